import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCharge, saveCharge } from '../charges/store.ts';
import { idOf } from '../payment-methods/resolve.ts';
import type { CapturePaymentIntentParams } from './params.ts';
import { CAPTURABLE, checkStatus, onCustomerTime, refuseInvoiceIntent } from './rules.ts';
import { requirePaymentIntent, savePaymentIntent } from './store.ts';

type PaymentIntent = Stripe.PaymentIntent;

/**
 * `POST /v1/payment_intents/:id/capture`: an authorized payment (`requires_capture`) collected,
 * in full or in part (`amount_to_capture`). The part not captured is released: the charge shows
 * it in `amount_refunded`, as Stripe's does, and it cannot be captured later.
 */
export async function capturePaymentIntent(
  base: Ctx,
  id: string,
  params: CapturePaymentIntentParams,
): Promise<PaymentIntent> {
  const before = await requirePaymentIntent(base, id);
  await refuseInvoiceIntent(base, before, 'capture');
  checkStatus(before, 'capture', CAPTURABLE);
  const amount = params.amount_to_capture ?? before.amount_capturable;
  if (amount > before.amount_capturable) {
    throw fail(
      'capture_amount_too_large',
      { amount, capturable: before.amount_capturable },
      'amount_to_capture',
    );
  }
  const { ctx } = await onCustomerTime(base, before);
  const chargeId = idOf(before.latest_charge as string | null);
  const charge = await requireCharge(ctx, chargeId ?? '');
  const released = charge.amount - amount;
  const captured: Stripe.Charge = {
    ...charge,
    captured: true,
    amount_captured: amount,
    amount_refunded: released,
    refunded: released === charge.amount,
  };
  const intent: PaymentIntent = {
    ...before,
    status: 'succeeded',
    amount_capturable: 0,
    amount_received: amount,
    metadata: mergeMetadata(before.metadata, params.metadata),
  };
  if (params.statement_descriptor !== undefined) intent.statement_descriptor = params.statement_descriptor;
  if (params.statement_descriptor_suffix !== undefined)
    intent.statement_descriptor_suffix = params.statement_descriptor_suffix;
  await saveCharge(ctx, captured);
  await savePaymentIntent(ctx, intent);
  await emitEvent(ctx, 'charge.captured', captured, { before: charge });
  await emitEvent(ctx, 'payment_intent.succeeded', intent);
  return intent;
}
