import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { type AppError, errors, fail, underParam } from '../../core/errors.ts';
import { idOf } from '../payment-methods/resolve.ts';
import { createPaymentMethod } from '../payment-methods/service.ts';
import { checkReturnUrl } from '../setup-intents/types.ts';
import { attemptPayment } from './attempt.ts';
import { cardOptions } from './options.ts';
import type { ConfirmPaymentIntentParams } from './params.ts';
import {
  CONFIRMABLE,
  checkStatus,
  isOffSession,
  onCustomerTime,
  paymentMethodFor,
  refuseInvoiceIntent,
} from './rules.ts';
import { requirePaymentIntent } from './store.ts';

type PaymentIntent = Stripe.PaymentIntent;

/**
 * `POST /v1/payment_intents/:id/confirm`: the payment attempted with the payment method given
 * now or set before; what the confirmation sets (`setup_future_usage`, `capture_method`,
 * `receipt_email`, card options) applies to this attempt and stays on the PaymentIntent.
 */
export async function confirmPaymentIntent(
  base: Ctx,
  id: string,
  params: ConfirmPaymentIntentParams,
): Promise<PaymentIntent | AppError> {
  const before = await requirePaymentIntent(base, id);
  await refuseInvoiceIntent(base, before, 'confirm');
  checkStatus(before, 'confirm', CONFIRMABLE);
  if (params.return_url !== undefined) checkReturnUrl(params.return_url);
  const { ctx } = await onCustomerTime(base, before);
  const intent: PaymentIntent = {
    ...before,
    payment_method_options: cardOptions(before.payment_method_options, params.payment_method_options?.card),
  };
  if (params.capture_method !== undefined) intent.capture_method = params.capture_method;
  if (params.receipt_email !== undefined) intent.receipt_email = params.receipt_email;
  if (params.setup_future_usage !== undefined) intent.setup_future_usage = params.setup_future_usage;
  if (params.client_secret !== undefined && params.client_secret !== before.client_secret) {
    throw fail('payment_intent_client_secret_mismatch', {}, 'client_secret');
  }
  const data = params.payment_method_data;
  if (data !== undefined && params.payment_method !== undefined) {
    throw errors.parametersExclusive('payment_method', 'payment_method_data');
  }
  // A card made for this confirmation, as Stripe.js sends it with the publishable key.
  const made =
    data === undefined
      ? undefined
      : await underParam('payment_method_data', () => createPaymentMethod(ctx, { ...data, card: data.card }));
  const paymentMethod = made?.id ?? params.payment_method ?? idOf(before.payment_method as string | null);
  if (paymentMethod === null) {
    throw fail('payment_intent_payment_method_missing', { paymentIntent: before }, 'payment_method');
  }
  const stored = await paymentMethodFor(ctx, intent, paymentMethod);
  return attemptPayment(ctx, { ...intent, payment_method: stored.object.id }, stored, {
    offSession: isOffSession(params.off_session),
    authenticated: false,
    returnUrl: params.return_url ?? null,
    errorOnRequiresAction: params.error_on_requires_action ?? false,
  });
}
