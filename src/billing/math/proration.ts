import type Stripe from 'stripe';
import { divRound, toSafeNumber } from './fixed.ts';
import type { Period } from './periods.ts';

/**
 * Stripe's proration of a subscription change, by the second. For a change at `prorationDate`
 * within the period [start, end), with f = (end − prorationDate) / (end − start):
 *
 * - the old item is credited for its unused time: −round(oldAmount × f);
 * - the new item is charged for the remaining time: round(newAmount × f);
 *
 * where the amounts are each item's full-period amount for its quantity (`priceAmount`), and each
 * line is rounded on its own to the minor unit, halves away from zero. A credit is the exact
 * negative of the charge the same item would get, so changing A → B and back at the same instant
 * nets to zero. A quantity change is the same thing with one price: the old quantity credited, the
 * new one charged.
 *
 * Lines read as Stripe's do: "Unused time on Pro after 15 Jan 2027" and "Remaining time on
 * 3 × Pro after 15 Jan 2027" (the "n × " only when the quantity is not 1; the date is the
 * proration date in UTC, day padded to two digits), and cover [prorationDate, end].
 */

export interface ProratedItem {
  /** The item's amount for a whole period at its quantity, in minor units. */
  amount: number;
  quantity: number;
  /** The product's name, as the line description shows it. */
  name: string;
}

export interface ProrationLine {
  kind: 'unused_time' | 'remaining_time';
  amount: number;
  quantity: number;
  description: string;
  period: Stripe.InvoiceLineItem.Period;
}

export interface ProrationChange {
  period: Period;
  prorationDate: number;
  /** The item as it was (absent when the item is being added). */
  from?: ProratedItem | null;
  /** The item as it becomes (absent when the item is being removed). */
  to?: ProratedItem | null;
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** `15 Jan 2027`, `05 Feb 2027`: the date in proration descriptions (UTC). */
export function prorationDateText(t: number): string {
  const d = new Date(t * 1000);
  return `${String(d.getUTCDate()).padStart(2, '0')} ${MONTHS[d.getUTCMonth()]} ${d.getUTCFullYear()}`;
}

function checkWithin(period: Period, prorationDate: number): void {
  if (!(period.start < period.end)) throw new RangeError(`Empty period ${period.start}–${period.end}`);
  if (prorationDate < period.start || prorationDate > period.end) {
    throw new RangeError(
      `Proration date ${prorationDate} is outside the period ${period.start}–${period.end}`,
    );
  }
}

/** The share of a full-period amount for the time left from `prorationDate` to the period's end. */
export function remainingShare(amount: number, period: Period, prorationDate: number): number {
  checkWithin(period, prorationDate);
  const left = BigInt(period.end - prorationDate);
  return toSafeNumber(divRound(BigInt(amount) * left, BigInt(period.end - period.start)));
}

export function prorationDescription(
  kind: ProrationLine['kind'],
  item: ProratedItem,
  prorationDate: number,
): string {
  const what = item.quantity === 1 ? item.name : `${item.quantity} × ${item.name}`;
  const lead = kind === 'unused_time' ? 'Unused time on' : 'Remaining time on';
  return `${lead} ${what} after ${prorationDateText(prorationDate)}`;
}

/**
 * The proration lines of one item's change: the credit for the old state, then the charge for the
 * new one. No lines when no time is left, and none for a side with quantity 0 (nothing was or will
 * be billed for it). Lines of amount 0 (a free price) are kept: they show on the invoice.
 */
export function prorationLines(change: ProrationChange): ProrationLine[] {
  const { period, prorationDate } = change;
  checkWithin(period, prorationDate);
  if (prorationDate === period.end) return [];
  const linePeriod = { start: prorationDate, end: period.end };
  const lines: ProrationLine[] = [];
  const sides = [
    ['unused_time', change.from],
    ['remaining_time', change.to],
  ] as const;
  for (const [kind, item] of sides) {
    if (!item || item.quantity === 0) continue;
    const share = remainingShare(item.amount, period, prorationDate);
    lines.push({
      kind,
      // `0 -` rather than `-`: a credit of nothing is 0, not -0.
      amount: kind === 'unused_time' ? 0 - share : share,
      quantity: item.quantity,
      description: prorationDescription(kind, item, prorationDate),
      period: linePeriod,
    });
  }
  return lines;
}

/**
 * Whether a price change resets the billing cycle: Stripe moves the billing cycle anchor to the
 * change when the interval or `interval_count` changes (monthly → yearly, 1 month → 3 months), and
 * then bills the full new period at once, crediting the unused time of the old one.
 */
export function intervalChangeResetsCycle(
  from: Pick<Stripe.Price.Recurring, 'interval' | 'interval_count'>,
  to: Pick<Stripe.Price.Recurring, 'interval' | 'interval_count'>,
): boolean {
  return from.interval !== to.interval || from.interval_count !== to.interval_count;
}
