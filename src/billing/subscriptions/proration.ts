import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { createPendingItem } from '../invoice-items/store.ts';
import { pricingOf } from '../invoices/lines.ts';
import { priceAmount } from '../math/price-amount.ts';
import { type ProratedItem, prorationLines } from '../math/proration.ts';
import { productNames } from './invoicing.ts';

/** One item's side of a change: its price and quantity, or nothing (added or removed). */
export interface ItemState {
  /**
   * Only the item's id and tax rates are read: a planned change names items that are not built
   * yet. A proration carries the tax rates of its side (the old item's for a credit).
   */
  item: Pick<Stripe.SubscriptionItem, 'id'> & { tax_rates?: Stripe.TaxRate[] | null };
  price: Stripe.Price;
  quantity: number;
}

function prorated(state: ItemState | null, names: ReadonlyMap<string, string>): ProratedItem | null {
  if (!state) return null;
  const product = typeof state.price.product === 'string' ? state.price.product : state.price.product.id;
  return {
    amount: priceAmount(state.price, state.quantity),
    quantity: state.quantity,
    name: names.get(product) ?? product,
  };
}

/** One proration a change makes: what its pending invoice item (or a preview's line) holds. */
export interface Proration {
  amount: number;
  description: string;
  period: Stripe.InvoiceLineItem.Period;
  quantity: number;
  pricing: Stripe.InvoiceLineItem.Pricing;
  subscriptionItem: string;
  taxRates: Stripe.TaxRate[];
}

/**
 * The prorations of a change at `at` within `period`, computed without writing anything (the
 * invoice preview shows them as the update would make them): a credit for the old state's unused
 * time and a charge for the new state's remaining time, change by change.
 */
export function prorationsOf(
  names: ReadonlyMap<string, string>,
  period: { start: number; end: number },
  at: number,
  changes: { from: ItemState | null; to: ItemState | null }[],
): Proration[] {
  const out: Proration[] = [];
  for (const change of changes) {
    const lines = prorationLines({
      period,
      prorationDate: at,
      from: prorated(change.from, names),
      to: prorated(change.to, names),
    });
    for (const line of lines) {
      const side = line.kind === 'unused_time' ? change.from! : change.to!;
      out.push({
        amount: line.amount,
        description: line.description,
        period: line.period,
        quantity: line.quantity,
        pricing: pricingOf(side.price),
        subscriptionItem: side.item.id,
        taxRates: side.item.tax_rates ?? [],
      });
    }
  }
  return out;
}

/**
 * The proration items of a change at `at` within `period`: a credit for the old state's unused
 * time and a charge for the new state's remaining time, as pending invoice items of the
 * subscription (they go on its next invoice, or on one made now with `always_invoice`).
 */
export async function prorateChanges(
  ctx: Ctx,
  sub: Stripe.Subscription,
  customer: Stripe.Customer,
  period: { start: number; end: number },
  at: number,
  changes: { from: ItemState | null; to: ItemState | null }[],
): Promise<number> {
  // Credits name what was billed before the change: prices that may no longer be on the subscription.
  const before = changes.flatMap((c) => (c.from ? [c.from.price] : []));
  const names = await productNames(ctx, sub, before);
  return createProrationItems(ctx, sub, customer, prorationsOf(names, period, at, changes));
}

/** Stores prorations already computed as the subscription's pending invoice items; answers their sum. */
export async function createProrationItems(
  ctx: Ctx,
  sub: Stripe.Subscription,
  customer: Stripe.Customer,
  prorations: Proration[],
): Promise<number> {
  let total = 0;
  for (const proration of prorations) {
    await createPendingItem(ctx, {
      customer,
      currency: sub.currency,
      amount: proration.amount,
      description: proration.description,
      period: proration.period,
      quantity: proration.quantity,
      pricing: proration.pricing,
      proration: true,
      // Discounts apply to prorations when the invoice is made, as in Stripe's classic billing.
      discountable: true,
      subscription: sub.id,
      subscriptionItem: proration.subscriptionItem,
      taxRates: proration.taxRates,
    });
    total += proration.amount;
  }
  return total;
}

/** Credits the unused rest of the period for every item (cancellations with `prorate`). */
export async function creditUnusedTime(
  ctx: Ctx,
  sub: Stripe.Subscription,
  customer: Stripe.Customer,
  period: { start: number; end: number },
  at: number,
): Promise<number> {
  const changes = sub.items.data.map((item) => ({
    from: { item, price: item.price, quantity: item.quantity ?? 1 },
    to: null,
  }));
  return prorateChanges(ctx, sub, customer, period, at, changes);
}
