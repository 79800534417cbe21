/**
 * Credit note amounts, pure.
 *
 * - A line crediting an invoice line credits its whole amount, a `quantity` of it (the line's
 *   amount × quantity ÷ the line's quantity, rounded half away from zero), or an `amount` of it.
 *   The invoice line's discounts are credited in the same proportion, each rounded alone; the
 *   whole line credits its discounts exactly.
 * - A credited line is taxed at the invoice line's tax rates (`creditedTaxes`): a credit that
 *   reaches what is left of the line (the whole line, or the last part of it) credits exactly
 *   the line's taxes less what earlier credit notes credited of them, so the parts of a line
 *   never credit more tax than it carried; any other part is taxed on its own credited amount
 *   after its discounts, as math/tax.ts taxes an invoice line (each tax rounded alone).
 * - A credit note's `subtotal` is the sum of its line amounts (inclusive tax is part of them),
 *   `subtotal_excluding_tax` = `subtotal` − inclusive taxes, `total` = `subtotal` − discounts +
 *   exclusive taxes, `total_excluding_tax` = `total` − every tax (as an invoice's, math/totals.ts).
 * - The total first reduces what is left to pay on the invoice (`pre_payment_amount` =
 *   min(total, `amount_remaining`)); the rest is `post_payment_amount`, which refunds, customer
 *   balance credit and out-of-band credit must add up to exactly.
 */

import { type LineTax, lineTaxes, type TaxRateTerms, taxSums } from './tax.ts';

/** Halves away from zero, as every amount Portico rounds. */
function roundHalfAway(value: number): number {
  return Math.sign(value) * Math.round(Math.abs(value));
}

export interface CreditedLine {
  /** The invoice line's amount before discounts, and its quantity (null for lines without one). */
  lineAmount: number;
  lineQuantity: number | null;
  /** What each of the invoice line's discounts took off it. */
  discountAmounts: number[];
  /** At most one of these; neither credits the whole line. */
  quantity?: number;
  amount?: number;
}

export interface CreditedAmounts {
  amount: number;
  discountAmounts: number[];
  /** The credited taxes, one per rate of the line (none for an untaxed line). */
  taxes?: LineTax[];
}

export function creditedLine(input: CreditedLine): CreditedAmounts {
  let amount = input.lineAmount;
  if (input.amount !== undefined) amount = input.amount;
  else if (input.quantity !== undefined && input.lineQuantity) {
    amount = roundHalfAway((input.lineAmount * input.quantity) / input.lineQuantity);
  }
  if (amount === input.lineAmount) return { amount, discountAmounts: [...input.discountAmounts] };
  const share = (d: number) => (input.lineAmount === 0 ? 0 : roundHalfAway((d * amount) / input.lineAmount));
  return { amount, discountAmounts: input.discountAmounts.map(share) };
}

export interface CreditedTaxInput {
  /** The credited part: its amount after its credited discounts. */
  base: number;
  /** The line's tax rates, in its taxes' order. */
  rates: readonly TaxRateTerms[];
  /** Whether this credit reaches what is left of the line (earlier credits plus this = the line). */
  rest: boolean;
  /** The invoice line's taxes, and what earlier credit notes credited of each rate. */
  lineTaxes: readonly LineTax[];
  creditedBefore: ReadonlyMap<string, { amount: number; taxableAmount: number }>;
}

export function creditedTaxes(input: CreditedTaxInput): LineTax[] {
  if (!input.rest) return lineTaxes(input.base, input.rates);
  return input.lineTaxes.map((t) => {
    const before = input.creditedBefore.get(t.rate) ?? { amount: 0, taxableAmount: 0 };
    return {
      ...t,
      amount: t.amount - before.amount,
      taxableAmount: t.taxableAmount - before.taxableAmount,
    };
  });
}

export interface CreditNoteTotals {
  subtotal: number;
  subtotalExcludingTax: number;
  discount: number;
  total: number;
  totalExcludingTax: number;
}

export function creditNoteTotals(lines: CreditedAmounts[]): CreditNoteTotals {
  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  const discount = lines.reduce((s, l) => s + l.discountAmounts.reduce((a, d) => a + d, 0), 0);
  const tax = taxSums(lines.flatMap((l) => l.taxes ?? []));
  const total = subtotal - discount + tax.exclusive;
  return {
    subtotal,
    subtotalExcludingTax: subtotal - tax.inclusive,
    discount,
    total,
    totalExcludingTax: total - tax.exclusive - tax.inclusive,
  };
}

export interface PaymentSplit {
  prePayment: number;
  postPayment: number;
  type: 'pre_payment' | 'post_payment' | 'mixed';
}

/** How a credit note's total divides between what is still due and what was already paid. */
export function splitCreditNote(total: number, amountRemaining: number): PaymentSplit {
  const prePayment = Math.max(0, Math.min(total, amountRemaining));
  const postPayment = total - prePayment;
  const type = postPayment === 0 ? 'pre_payment' : prePayment === 0 ? 'post_payment' : 'mixed';
  return { prePayment, postPayment, type };
}
