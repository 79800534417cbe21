import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { type AppError, fail } from '../../core/errors.ts';
import type { PaymentOutcome } from '../invoices/collect.ts';
import { cardRefusal } from '../payment-methods/declines.ts';
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
    throw fail('customer_payment_method_missing', { paymentMethod: stored.object.id }, param);
  }
  return stored.object.id;
}

export function noPaymentMethod(): AppError {
  return fail('customer_no_payment_method', {});
}

/** What `payment_behavior=error_if_incomplete` answers when the first charge does not succeed. */
export function paymentError(outcome: Exclude<PaymentOutcome, { outcome: 'paid' }>): AppError {
  if (outcome.outcome === 'requires_action') {
    return fail('subscription_payment_requires_action', { paymentIntent: outcome.paymentIntent });
  }
  if (!outcome.decline) return noPaymentMethod();
  // The charge's refusal names no card field and gives no advice (its PaymentIntent carries them).
  const objects = outcome.paymentIntent ? { paymentIntent: outcome.paymentIntent } : {};
  return cardRefusal(outcome.decline, objects, undefined, { advice: false });
}
