import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCharge, saveCharge } from '../charges/store.ts';
import { idOf } from '../payment-methods/resolve.ts';
import type { CancelPaymentIntentParams } from './params.ts';
import { CANCELABLE, checkStatus, onCustomerTime, refuseInvoiceIntent } from './rules.ts';
import { requirePaymentIntent, savePaymentIntent } from './store.ts';

type PaymentIntent = Stripe.PaymentIntent;

/**
 * `POST /v1/payment_intents/:id/cancel`: an unpaid PaymentIntent ends `canceled`. An authorized
 * one (`requires_capture`) releases its authorization: its charge is refunded in full.
 */
export async function cancelPaymentIntent(
  base: Ctx,
  id: string,
  params: CancelPaymentIntentParams,
): Promise<PaymentIntent> {
  const before = await requirePaymentIntent(base, id);
  await refuseInvoiceIntent(base, before, 'cancel');
  checkStatus(before, 'cancel', CANCELABLE);
  const { ctx } = await onCustomerTime(base, before);
  if (before.status === 'requires_capture') {
    const charge = await requireCharge(ctx, idOf(before.latest_charge as string | null) ?? '');
    const released: Stripe.Charge = { ...charge, amount_refunded: charge.amount, refunded: true };
    await saveCharge(ctx, released);
    await emitEvent(ctx, 'charge.refunded', released, { before: charge });
  }
  const intent: PaymentIntent = {
    ...before,
    status: 'canceled',
    canceled_at: ctx.clock.now(),
    cancellation_reason: params.cancellation_reason ?? null,
    amount_capturable: 0,
    next_action: null,
  };
  await savePaymentIntent(ctx, intent);
  await emitEvent(ctx, 'payment_intent.canceled', intent);
  return intent;
}
