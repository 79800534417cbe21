import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { ApiError, errors } from '../../core/errors.ts';
import type { PaymentOutcome } from '../invoices/collect.ts';
import { resolvePaymentMethod } from '../payment-methods/resolve.ts';

const idOf = (v: unknown) =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : (v as { id: string }).id;

/** A subscription's `default_payment_method` must already be attached to its customer. */
export async function subscriptionPaymentMethod(
  ctx: Ctx,
  id: string | undefined | null,
  customer: Stripe.Customer,
  param = 'default_payment_method',
): Promise<string | null> {
  if (id === undefined || id === null) return null;
  const stored = await resolvePaymentMethod(ctx, id, param);
  if (stored.detached || idOf(stored.object.customer) !== customer.id) {
    throw errors.invalidRequest(
      `The customer does not have a payment method with the ID ${stored.object.id}. The payment method must be attached to the customer.`,
      param,
    );
  }
  return stored.object.id;
}

export function noPaymentMethod(): ApiError {
  return errors.invalidRequest(
    'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
  );
}

/** What `payment_behavior=error_if_incomplete` answers when the first charge does not succeed. */
export function paymentError(outcome: Exclude<PaymentOutcome, { outcome: 'paid' }>): ApiError {
  if (outcome.outcome === 'requires_action') {
    return new ApiError(402, {
      type: 'card_error',
      code: 'subscription_payment_intent_requires_action',
      message:
        'Payment for this subscription requires additional user action before it can be completed successfully.',
      payment_intent: outcome.paymentIntent,
    });
  }
  if (!outcome.decline) return noPaymentMethod();
  return new ApiError(402, {
    type: 'card_error',
    code: outcome.decline.code,
    decline_code: outcome.decline.decline_code,
    message: outcome.decline.message,
    ...(outcome.paymentIntent ? { payment_intent: outcome.paymentIntent } : {}),
  });
}
