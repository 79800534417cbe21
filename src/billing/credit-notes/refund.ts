import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { newId } from '../../core/ids.ts';

/**
 * The refund a credit note's `refund_amount` asks for. Portico has no refunds API yet: this is the
 * one place that makes the refund, and for now it records it on the credit note only (an `re_` id
 * and the amount); the invoice's `post_payment_credit_notes_amount` counts it with the rest of the
 * credit note. When refunds exist this calls their service (refund the invoice's payment) instead.
 */
export async function refundForCreditNote(
  _ctx: Ctx,
  note: Stripe.CreditNote,
  _invoice: Stripe.Invoice,
  amount: number,
): Promise<void> {
  note.refunds.push({
    amount_refunded: amount,
    payment_record_refund: null,
    refund: newId('re'),
    type: 'refund',
  });
}
