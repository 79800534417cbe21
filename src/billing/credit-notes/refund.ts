import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { createRefund } from '../refunds/create.ts';

/** Credit note reasons that are also refund reasons; the others leave the refund's reason unset. */
const REFUND_REASONS: Partial<Record<string, 'duplicate' | 'fraudulent'>> = {
  duplicate: 'duplicate',
  fraudulent: 'fraudulent',
};

/**
 * The refund a credit note's `refund_amount` asks for: a real Refund of the invoice's card payment
 * (`refund.created`, `charge.refunded`), made in the credit note's transaction, and listed in the
 * credit note's `refunds`. An invoice paid without a card payment (by its customer's balance, or out
 * of band) has nothing to refund: `refund_amount` is refused.
 */
export async function refundForCreditNote(
  ctx: Ctx,
  note: Stripe.CreditNote,
  invoice: Stripe.Invoice,
  amount: number,
): Promise<void> {
  const paid = invoice.payments?.data.find((p) => p.status === 'paid' && p.payment.payment_intent);
  const intent = paid?.payment.payment_intent;
  if (!intent) {
    throw fail(
      'credit_note_refund_exceeds',
      { amount, refundable: 0, currency: invoice.currency },
      'refund_amount',
    );
  }
  const reason = note.reason ? REFUND_REASONS[note.reason] : undefined;
  const refund = await createRefund(ctx, {
    payment_intent: typeof intent === 'string' ? intent : intent.id,
    amount,
    ...(reason ? { reason } : {}),
  });
  note.refunds.push({
    amount_refunded: amount,
    payment_record_refund: null,
    refund: refund.id,
    type: 'refund',
  });
}
