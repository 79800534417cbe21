import type Stripe from 'stripe';
import { applyDiscounts, type DiscountCoupon, discountStillApplies } from './discounts.ts';
import { invoiceTotals } from './totals.ts';

/**
 * What the invoice renewing a subscription at `periodStart` will ask for, before it exists: the
 * portal's held change (a downgrade at the period end) states it on its preview and homepage.
 *
 * - The lines are the new period's items (amount for the quantity, and the product, for a
 *   coupon's `applies_to`); all are discountable, as a period's lines are.
 * - A discount counts when its coupon still applies to a period starting then
 *   (`discountStillApplies`): `forever` always, `repeating` while the period starts before its
 *   months are over, `once` while it is still attached (it is spent by the first invoice it
 *   discounts). A discount the change itself brings starts at `periodStart`.
 * - Discounts apply in order as on any invoice (`applyDiscounts`), then the customer's balance
 *   is used as on any invoice (`invoiceTotals`): credit lowers the amount due, never below zero.
 */

export interface RenewalLine {
  amount: number;
  product: string | null;
}

export interface RenewalDiscount {
  id: string;
  coupon: DiscountCoupon & Pick<Stripe.Coupon, 'duration' | 'duration_in_months'>;
  /** When the discount began (`discount.start`). */
  start: number;
}

export interface RenewalInput {
  lines: RenewalLine[];
  discounts: RenewalDiscount[];
  currency: string;
  periodStart: number;
  /** The customer's balance now (negative: credit they hold). */
  balance: number;
}

export function renewalAmountDue(input: RenewalInput): number {
  const applying = input.discounts.filter((d) => discountStillApplies(d.coupon, d.start, input.periodStart));
  const lines = input.lines.map((l) => ({ ...l, discountable: true }));
  const allocation = applyDiscounts(lines, applying, input.currency);
  return invoiceTotals({
    lines,
    totalDiscountAmounts: allocation.total_discount_amounts,
    startingBalance: input.balance,
  }).amount_due;
}
