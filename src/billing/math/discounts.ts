import type Stripe from 'stripe';
import { divRound, fixedOf, SCALE, toSafeNumber } from './fixed.ts';
import { addInterval } from './periods.ts';

/**
 * How coupons take money off an invoice's lines.
 *
 * - A discount applies to the lines that are `discountable` (Stripe: never prorations) and, when
 *   its coupon has `applies_to.products`, belong to one of those products. Only what a line still
 *   costs counts: lines at or below zero take no discount.
 * - Several discounts apply in order, each to what the lines still cost after the ones before it.
 * - `percent_off`: each line's discount is its remaining amount × percent_off / 100, rounded to the
 *   minor unit per line, halves away from zero.
 * - `amount_off`: in the invoice's currency, from `amount_off` when the coupon's `currency` is the
 *   invoice's, else from `currency_options`; with neither the discount does not apply and is
 *   reported in `not_applied`. It is capped at what the eligible lines still cost, then
 *   spread over them in proportion to those amounts; the parts are whole minor units that add up
 *   exactly to the capped amount (leftover units go to the largest remainders, earlier lines first
 *   on ties).
 *
 * `total_discount_amounts` holds one entry per applied discount, in order, with the sum of its line
 * amounts (0 when no line was eligible).
 */

export interface DiscountableLine {
  /** The line's amount in minor units, before discounts. */
  amount: number;
  /** The line's product id, for `applies_to`. */
  product: string | null;
  discountable: boolean;
}

export type DiscountCoupon = Pick<
  Stripe.Coupon,
  'percent_off' | 'amount_off' | 'currency' | 'currency_options' | 'applies_to'
>;

/**
 * What an `amount_off` coupon takes off in `currency`: `amount_off` in its own currency, the
 * `currency_options` amount in another, null when it has none there.
 */
export function amountOffIn(coupon: DiscountCoupon, currency: string): number | null {
  const wanted = currency.toLowerCase();
  if (coupon.amount_off === null) return null;
  if (coupon.currency?.toLowerCase() === wanted) return coupon.amount_off;
  return coupon.currency_options?.[wanted]?.amount_off ?? null;
}

export interface InvoiceDiscount {
  /** The discount's id (`di_…`), as `discount_amounts` names it. */
  id: string;
  coupon: DiscountCoupon;
}

export interface DiscountAllocation {
  /** Per input line, in order: the amount each discount took off it (discounts with 0 left out). */
  lines: Stripe.InvoiceLineItem.DiscountAmount[][];
  total_discount_amounts: Stripe.Invoice.TotalDiscountAmount[];
  /** Ids of discounts that could not apply (an `amount_off` coupon in another currency). */
  not_applied: string[];
}

function eligible(line: DiscountableLine, coupon: DiscountCoupon, remaining: number): boolean {
  if (!line.discountable || remaining <= 0) return false;
  const products = coupon.applies_to?.products;
  return !products || (line.product !== null && products.includes(line.product));
}

/** `total` split over `weights` (positive) in proportion, whole units summing exactly to `total`. */
export function allocateProportionally(total: number, weights: number[]): number[] {
  const sum = weights.reduce((s, w) => s + BigInt(w), 0n);
  if (sum === 0n) return weights.map(() => 0);
  const exact = weights.map((w) => BigInt(total) * BigInt(w));
  const parts = exact.map((e) => e / sum);
  let left = BigInt(total) - parts.reduce((s, p) => s + p, 0n);
  const byRemainder = exact
    .map((e, i) => ({ i, rest: e % sum }))
    .sort((a, b) => (a.rest === b.rest ? a.i - b.i : a.rest > b.rest ? -1 : 1));
  for (const { i } of byRemainder) {
    if (left === 0n) break;
    parts[i]! += 1n;
    left -= 1n;
  }
  return parts.map(toSafeNumber);
}

/** What one coupon takes off each line, given what the lines still cost. */
function couponShares(
  coupon: DiscountCoupon,
  amountOff: number,
  lines: DiscountableLine[],
  remaining: number[],
): number[] {
  const mask = lines.map((line, i) => eligible(line, coupon, remaining[i]!));
  if (coupon.percent_off !== null) {
    const percent = fixedOf(coupon.percent_off);
    return remaining.map((r, i) => (mask[i] ? toSafeNumber(divRound(BigInt(r) * percent, 100n * SCALE)) : 0));
  }
  const eligibleTotal = remaining.reduce((s, r, i) => (mask[i] ? s + r : s), 0);
  const capped = Math.min(amountOff, eligibleTotal);
  const weights = remaining.map((r, i) => (mask[i] ? r : 0));
  return allocateProportionally(capped, weights);
}

export function applyDiscounts(
  lines: DiscountableLine[],
  discounts: InvoiceDiscount[],
  currency: string,
): DiscountAllocation {
  const remaining = lines.map((l) => l.amount);
  const perLine: Stripe.InvoiceLineItem.DiscountAmount[][] = lines.map(() => []);
  const totals: Stripe.Invoice.TotalDiscountAmount[] = [];
  const notApplied: string[] = [];
  for (const discount of discounts) {
    const { coupon } = discount;
    const amountOff = amountOffIn(coupon, currency);
    if (coupon.percent_off === null && amountOff === null) {
      notApplied.push(discount.id);
      continue;
    }
    const shares = couponShares(coupon, amountOff ?? 0, lines, remaining);
    let total = 0;
    shares.forEach((share, i) => {
      if (share === 0) return;
      remaining[i]! -= share;
      perLine[i]!.push({ amount: share, discount: discount.id });
      total += share;
    });
    totals.push({ amount: total, discount: discount.id });
  }
  return { lines: perLine, total_discount_amounts: totals, not_applied: notApplied };
}

type Duration = Pick<Stripe.Coupon, 'duration' | 'duration_in_months'>;

/**
 * `discount.end` for a discount starting at `start`: for `repeating`, `duration_in_months` months
 * later (month arithmetic as for billing periods: 31 Jan + 1 month = 28/29 Feb); null otherwise.
 */
export function discountEnd(coupon: Duration, start: number): number | null {
  if (coupon.duration !== 'repeating') return null;
  const months = coupon.duration_in_months;
  if (months === null || !Number.isSafeInteger(months) || months < 1) {
    throw new RangeError(`A repeating coupon needs duration_in_months ≥ 1, got ${months}`);
  }
  return addInterval(start, 'month', months, 1);
}

/**
 * Whether a discount still applies to an invoice for a period starting at `periodStart`:
 * `forever` always; `repeating` while the period starts before `discount.end`, so a 3-month coupon
 * on a monthly subscription covers 3 invoices; `once` whenever it is still attached, since the
 * engine removes it after the first invoice it applies to, as Stripe does.
 */
export function discountStillApplies(coupon: Duration, discountStart: number, periodStart: number): boolean {
  const end = discountEnd(coupon, discountStart);
  return end === null || periodStart < end;
}
