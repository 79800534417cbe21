import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { findObject, listObjectTexts, updateObject } from '../../store/objects.ts';
import { customerNow } from '../test-clocks/lookup.ts';
import type {
  CreateBalanceTransactionParams,
  ListBalanceTransactionParams,
  UpdateBalanceTransactionParams,
} from './params.ts';
import { type BalanceTransaction, recordBalanceMove } from './record.ts';

async function liveCustomer(ctx: Ctx, id: string): Promise<Stripe.Customer> {
  const found = await findObject<Stripe.Customer | Stripe.DeletedCustomer>(
    ctx.db,
    'customers',
    ctx.scope,
    id,
  );
  if (!found || found.deleted) throw errors.noSuchPath('customer', id);
  return found;
}

/**
 * `POST /v1/customers/:id/balance_transactions`: an `adjustment` of the balance (negative is
 * credit). The currency must be the customer's; a customer without one takes it, as on Stripe.
 */
export async function createBalanceTransaction(
  ctx: Ctx,
  customerId: string,
  params: CreateBalanceTransactionParams,
): Promise<BalanceTransaction> {
  const before = await liveCustomer(ctx, customerId);
  if (before.currency && before.currency !== params.currency) {
    throw fail(
      'balance_transaction_currency_mismatch',
      { currency: params.currency, customerCurrency: before.currency },
      'currency',
    );
  }
  const customer: Stripe.Customer = {
    ...before,
    currency: params.currency,
    balance: before.balance + params.amount,
  };
  const transaction = await recordBalanceMove(ctx, {
    customer,
    amount: params.amount,
    type: 'adjustment',
    created: await customerNow(ctx, before),
    currency: params.currency,
    description: params.description ?? null,
    metadata: mergeMetadata({}, params.metadata),
  });
  await updateObject(ctx.db, 'customers', ctx.scope, customer);
  await emitEvent(ctx, 'customer.updated', customer, { before });
  return transaction;
}

async function customerTransaction(ctx: Ctx, customerId: string, id: string): Promise<BalanceTransaction> {
  await liveCustomer(ctx, customerId);
  const found = await findObject<BalanceTransaction>(ctx.db, 'customer_balance_transactions', ctx.scope, id);
  if (!found || found.customer !== customerId) throw errors.noSuchPath('customer_balance_transaction', id);
  return found;
}

/** `GET /v1/customers/:id/balance_transactions/:transaction`. */
export function retrieveBalanceTransaction(
  ctx: Ctx,
  customerId: string,
  id: string,
): Promise<BalanceTransaction> {
  return customerTransaction(ctx, customerId, id);
}

/** `POST /v1/customers/:id/balance_transactions/:transaction`: `description` and `metadata` only. */
export async function updateBalanceTransaction(
  ctx: Ctx,
  customerId: string,
  id: string,
  params: UpdateBalanceTransactionParams,
): Promise<BalanceTransaction> {
  const transaction = await customerTransaction(ctx, customerId, id);
  if (params.description !== undefined) transaction.description = params.description;
  transaction.metadata = mergeMetadata(transaction.metadata ?? {}, params.metadata);
  await updateObject(ctx.db, 'customer_balance_transactions', ctx.scope, transaction);
  return transaction;
}

/** `GET /v1/customers/:id/balance_transactions`: newest first, by `invoice` and `created`. */
export async function listBalanceTransactions(
  ctx: Ctx,
  customerId: string,
  params: ListBalanceTransactionParams,
): Promise<JsonText<ListObject<BalanceTransaction>>> {
  await liveCustomer(ctx, customerId);
  const where: Record<string, string> = { customer: customerId };
  if (params.invoice !== undefined) where.invoice = params.invoice;
  const page = await listObjectTexts(
    ctx.db,
    'customer_balance_transactions',
    ctx.scope,
    pageQuery(params),
    where,
  );
  return listJson<BalanceTransaction>(page, `/v1/customers/${customerId}/balance_transactions`);
}
