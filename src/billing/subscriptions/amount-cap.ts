import type Stripe from 'stripe';
import { fail, onParam } from '../../core/errors.ts';
import { MAX_AMOUNT } from '../../core/limits.ts';
import { priceAmount } from '../math/price-amount.ts';
import type { ResolvedItemEntry } from './item-changes.ts';

/** An item as it bills one period, with the param that set its quantity in this request. */
export interface BilledItem {
  price: Stripe.Price;
  quantity: number;
  param?: string;
}

/**
 * A subscription's amount for one period, its licensed items together, is held under Stripe's
 * per-invoice maximum (core/limits.ts) whenever it is created or changed, so every renewal's own
 * lines fit on one invoice (invoices/amount-cap.ts says what happens to pending items that do
 * not). Metered items bill usage, not a quantity, and are not counted. An item past the maximum
 * alone, or the one that takes the sum past it, is refused on its `items[i][quantity]`.
 */
export function checkPeriodAmount(items: BilledItem[]): void {
  let sum = 0;
  for (const item of items) {
    if (item.price.recurring?.usage_type === 'metered') continue;
    const amount = () => priceAmount(item.price, item.quantity);
    sum += item.param ? onParam(item.param, amount) : amount();
    if (Math.abs(sum) > MAX_AMOUNT) {
      throw fail(
        'amount_too_large',
        { max: MAX_AMOUNT, currency: item.price.currency, subject: 'subscription' },
        item.param,
      );
    }
  }
}

/** The items a change of `items[]` leaves, each with the entry that last set it. */
export function itemsAfter(
  sub: Stripe.Subscription,
  entries: ResolvedItemEntry[],
  param = 'items',
): BilledItem[] {
  const byId = new Map<string, BilledItem>(
    sub.items.data.map((item) => [item.id, { price: item.price, quantity: item.quantity ?? 1 }]),
  );
  entries.forEach((entry, i) => {
    if (entry.kind === 'delete') {
      byId.delete(entry.id);
      return;
    }
    const held = byId.get(entry.id);
    byId.set(entry.id, {
      price: entry.price ?? held!.price,
      quantity: entry.quantity ?? held?.quantity ?? 1,
      param: `${param}[${i}][quantity]`,
    });
  });
  return [...byId.values()];
}
