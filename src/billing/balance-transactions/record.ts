import type Stripe from 'stripe';
import { currentAccount } from '../../accounts/service.ts';
import type { Ctx } from '../../core/context.ts';
import { newId } from '../../core/ids.ts';
import { insertObject } from '../../store/objects.ts';

export type BalanceTransaction = Stripe.CustomerBalanceTransaction;
export type BalanceTransactionType = Stripe.CustomerBalanceTransaction.Type;

export interface BalanceMove {
  /** The customer as it is after the move: its `balance` is the transaction's `ending_balance`. */
  customer: Stripe.Customer;
  /** How much the balance moved: negative is credit given, positive is credit used or debt added. */
  amount: number;
  type: BalanceTransactionType;
  /** The moment of the move; the context's clock when left out. */
  created?: number;
  /** The invoice's currency for moves an invoice makes; otherwise the customer's or the account's. */
  currency?: string;
  invoice?: string | null;
  creditNote?: string | null;
  description?: string | null;
  metadata?: Stripe.Metadata;
}

/**
 * Records one move of a customer's balance. Every place that changes `customer.balance` calls
 * this in the same transaction, so a customer's transactions always add up to its balance.
 */
export async function recordBalanceMove(ctx: Ctx, move: BalanceMove): Promise<BalanceTransaction> {
  const currency =
    move.currency ?? move.customer.currency ?? (await currentAccount(ctx)).default_currency ?? 'usd';
  const transaction: BalanceTransaction = {
    id: newId('cbtxn'),
    object: 'customer_balance_transaction',
    amount: move.amount,
    checkout_session: null,
    created: move.created ?? ctx.clock.now(),
    credit_note: move.creditNote ?? null,
    currency,
    customer: move.customer.id,
    customer_account: null,
    description: move.description ?? null,
    ending_balance: move.customer.balance,
    invoice: move.invoice ?? null,
    livemode: ctx.scope.livemode,
    metadata: move.metadata ?? {},
    type: move.type,
  };
  await insertObject(ctx.db, 'customer_balance_transactions', ctx.scope, transaction, {
    customer: move.customer.id,
    invoice: transaction.invoice as string | null,
  });
  return transaction;
}
