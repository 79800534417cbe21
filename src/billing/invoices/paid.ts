import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { saveInvoice } from './store.ts';

/**
 * An invoice is paid: collected by a charge, settled out of band, or owing nothing. Emits
 * `invoice.paid` and `invoice.payment_succeeded`, as Stripe does for each.
 */
export async function markPaid(ctx: Ctx, invoice: Stripe.Invoice, amount: number): Promise<void> {
  const now = ctx.clock.now();
  invoice.status = 'paid';
  invoice.amount_paid = amount;
  invoice.amount_remaining = 0;
  invoice.next_payment_attempt = null;
  invoice.status_transitions.paid_at = now;
  const payment = invoice.payments?.data[0];
  if (payment) {
    payment.status = 'paid';
    payment.amount_paid = amount;
    payment.status_transitions.paid_at = now;
  }
  await saveInvoice(ctx, invoice);
  await emitEvent(ctx, 'invoice.paid', invoice);
  await emitEvent(ctx, 'invoice.payment_succeeded', invoice);
}
