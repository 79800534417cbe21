import type Stripe from 'stripe';
import { type LineTax, taxSums } from './tax.ts';

/**
 * An invoice's totals from its lines, its discounts, its taxes (math/tax.ts) and the customer's
 * balance.
 *
 * - `subtotal` = the sum of the line amounts (credits included, negative; inclusive tax is part
 *   of a line's amount).
 * - `subtotal_excluding_tax` = `subtotal` − the inclusive taxes.
 * - `total` = `subtotal` − the sum of `total_discount_amounts` + the exclusive taxes.
 * - `total_excluding_tax` = `total` − every tax (= `subtotal_excluding_tax` − the discounts).
 * - `starting_balance` is the customer's `balance` when the invoice is finalised: negative is credit
 *   the customer holds, positive is money the customer owes.
 * - `amount_due` = max(0, `total` + `starting_balance`): credit is used up to the total, debt is
 *   added to it.
 * - `ending_balance` = (`total` + `starting_balance`) − `amount_due`: credit left over, or, when the
 *   total is negative (a downgrade's proration credits), the credit the invoice hands back; the
 *   customer's balance becomes this.
 * - Optionally, Stripe's minimum charge: an `amount_due` above 0 but below the currency's minimum
 *   (`minimumCharge`, e.g. 50 for USD) is not charged; it becomes 0 and the amount is carried in
 *   `ending_balance` as debt, to be collected with the next invoice.
 * - `amount_remaining` = `amount_due` − `amount_paid`, never below 0.
 */

export interface TotalsInput {
  lines: Pick<Stripe.InvoiceLineItem, 'amount'>[];
  totalDiscountAmounts?: Pick<Stripe.Invoice.TotalDiscountAmount, 'amount'>[];
  /** Every tax of the invoice (its lines' or their sums by rate: only the amounts count). */
  taxes?: Pick<LineTax, 'amount' | 'inclusive'>[];
  /** The customer's balance before this invoice (`customer.balance`). */
  startingBalance: number;
  amountPaid?: number;
  /** The smallest amount a charge may be in the invoice's currency; 0 or absent for no minimum. */
  minimumCharge?: number;
}

export interface InvoiceTotals
  extends Pick<
    Stripe.Invoice,
    'subtotal' | 'total' | 'starting_balance' | 'amount_due' | 'amount_paid' | 'amount_remaining'
  > {
  subtotal_excluding_tax: number;
  total_excluding_tax: number;
  ending_balance: number;
  /** The sum of `total_discount_amounts`. */
  discount: number;
}

export function invoiceTotals(input: TotalsInput): InvoiceTotals {
  const subtotal = input.lines.reduce((s, l) => s + l.amount, 0);
  const discount = (input.totalDiscountAmounts ?? []).reduce((s, d) => s + d.amount, 0);
  const tax = taxSums(input.taxes ?? []);
  const total = subtotal - discount + tax.exclusive;
  const owed = total + input.startingBalance;
  let amountDue = Math.max(0, owed);
  if (amountDue > 0 && amountDue < (input.minimumCharge ?? 0)) amountDue = 0;
  const amountPaid = input.amountPaid ?? 0;
  return {
    subtotal,
    subtotal_excluding_tax: subtotal - tax.inclusive,
    discount,
    total,
    total_excluding_tax: total - tax.inclusive - tax.exclusive,
    starting_balance: input.startingBalance,
    amount_due: amountDue,
    amount_paid: amountPaid,
    amount_remaining: Math.max(0, amountDue - amountPaid),
    ending_balance: owed - amountDue,
  };
}
