import type Stripe from 'stripe';
import { currentAccount } from '../../accounts/service.ts';
import type { Ctx } from '../../core/context.ts';
import { type ListObject, listObject } from '../../core/list.ts';

/**
 * A customer's fields that Stripe includes only when `expand[]` names them and that Portico works
 * out from other objects: `sources`, `cash_balance` and `invoice_credit_balance` (subscriptions
 * and tax IDs are their own resources' business).
 */

/** Portico has payment methods, never the legacy sources (cards, bank accounts): always empty. */
export function embeddedSources(customer: Stripe.Customer): ListObject<Stripe.CustomerSource> {
  return listObject({ data: [], hasMore: false }, `/v1/customers/${customer.id}/sources`);
}

/** Portico holds no cash for customers (no bank transfers): nothing available, Stripe's defaults. */
export function cashBalance(ctx: Ctx, customer: Stripe.Customer): Stripe.CashBalance {
  return {
    object: 'cash_balance',
    available: null,
    customer: customer.id,
    customer_account: null,
    livemode: ctx.scope.livemode,
    settings: { reconciliation_mode: 'automatic', using_merchant_default: true },
  };
}

/**
 * The customer's invoice credit by currency. Portico keeps one balance, in the customer's
 * currency or, while it has none, the account's default currency; `balance` is negative when it
 * is a credit, while here a credit is positive, as Stripe words it. Empty when nothing is held.
 */
export async function invoiceCreditBalance(
  ctx: Ctx,
  customer: Stripe.Customer,
): Promise<Record<string, number>> {
  const balance = customer.balance ?? 0;
  if (balance === 0) return {};
  const currency = customer.currency ?? (await currentAccount(ctx)).default_currency ?? 'usd';
  return { [currency]: -balance };
}
