/**
 * Credit note amounts, pure.
 *
 * - A line crediting an invoice line credits its whole amount, a `quantity` of it (the line's
 *   amount × quantity ÷ the line's quantity, rounded half away from zero), or an `amount` of it.
 *   The invoice line's discounts are credited in the same proportion, each rounded alone; the
 *   whole line credits its discounts exactly.
 * - A credit note's `subtotal` is the sum of its line amounts, `total` = `subtotal` − discounts.
 * - The total first reduces what is left to pay on the invoice (`pre_payment_amount` =
 *   min(total, `amount_remaining`)); the rest is `post_payment_amount`, which refunds, customer
 *   balance credit and out-of-band credit must add up to exactly.
 */

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

export interface CreditNoteTotals {
  subtotal: number;
  discount: number;
  total: number;
}

export function creditNoteTotals(lines: CreditedAmounts[]): CreditNoteTotals {
  const subtotal = lines.reduce((s, l) => s + l.amount, 0);
  const discount = lines.reduce((s, l) => s + l.discountAmounts.reduce((a, d) => a + d, 0), 0);
  return { subtotal, discount, total: subtotal - discount };
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
