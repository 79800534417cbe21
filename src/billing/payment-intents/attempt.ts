import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { type AppError, fail } from '../../core/errors.ts';
import { emitEvent } from '../../events/emit.ts';
import { processor } from '../../payments/index.ts';
import type { Decline } from '../../payments/processor.ts';
import { insertCharge } from '../charges/store.ts';
import { requireCustomer } from '../customers/service.ts';
import { attachToCustomer } from '../payment-methods/attach.ts';
import { declineError, errorFields } from '../payment-methods/declines.ts';
import { idOf } from '../payment-methods/resolve.ts';
import { processorCard, type StoredPaymentMethod, savePaymentMethod } from '../payment-methods/store.ts';
import { newCharge } from './build.ts';
import { challengeAction } from './challenge.ts';
import { effectiveCapture, effectiveSetupFutureUsage } from './options.ts';
import { savePaymentIntent } from './store.ts';

type PaymentIntent = Stripe.PaymentIntent;

export interface AttemptOptions {
  /** The customer is not present: no challenge can be shown (`off_session`). */
  offSession: boolean;
  /** The cardholder has just passed the 3D Secure challenge of this attempt. */
  authenticated: boolean;
  returnUrl: string | null;
  /** `error_on_requires_action`: a challenge is a failure rather than a `requires_action`. */
  errorOnRequiresAction: boolean;
}

/** Stripe's words when the cardholder fails a PaymentIntent's 3D Secure challenge. */
const AUTHENTICATION_FAILED =
  'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';

/**
 * One confirmation of a PaymentIntent with a card: the processor decides. Approved: a charge,
 * and the PaymentIntent `succeeded` (or `requires_capture` with `capture_method=manual`), the
 * card saved to the customer when `setup_future_usage` asks. A challenge: `requires_action` with
 * the hosted challenge page in `next_action`. Declined: a failed charge, the PaymentIntent back at
 * `requires_payment_method` with `last_payment_error`, and the refusal returned (not thrown) so
 * the failed attempt and its events are kept while the caller answers 402, as on Stripe.
 */
export async function attemptPayment(
  ctx: Ctx,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
  options: AttemptOptions,
): Promise<PaymentIntent | AppError> {
  const decision = processor.charge(processorCard(stored), {
    amount: intent.amount,
    currency: intent.currency,
    offSession: options.offSession,
    authenticated: options.authenticated,
  });
  if (decision.outcome === 'requires_action') {
    if (options.errorOnRequiresAction) return refuseAction(ctx, intent, stored);
    const next: PaymentIntent = {
      ...intent,
      status: 'requires_action',
      payment_method: stored.object.id,
      next_action: challengeAction(ctx, intent, options.returnUrl),
    };
    await savePaymentIntent(ctx, next);
    await emitEvent(ctx, 'payment_intent.requires_action', next);
    return next;
  }
  if (decision.outcome === 'declined') return decline(ctx, intent, stored, decision.decline);
  return approve(ctx, intent, stored);
}

async function approve(ctx: Ctx, intent: PaymentIntent, stored: StoredPaymentMethod): Promise<PaymentIntent> {
  const manual = effectiveCapture(intent) === 'manual';
  const saved = await saveForLater(ctx, intent, stored);
  const charge = newCharge(ctx, {
    intent: { ...intent, payment_method: saved.object.id },
    paymentMethod: saved.object,
    decline: null,
    capture: !manual,
  });
  await insertCharge(ctx, charge);
  const next: PaymentIntent = {
    ...intent,
    payment_method: saved.object.id,
    latest_charge: charge.id,
    next_action: null,
    last_payment_error: null,
    status: manual ? 'requires_capture' : 'succeeded',
    amount_capturable: manual ? intent.amount : 0,
    amount_received: manual ? 0 : intent.amount,
  };
  await savePaymentIntent(ctx, next);
  await emitEvent(ctx, 'charge.succeeded', charge);
  await emitEvent(
    ctx,
    manual ? 'payment_intent.amount_capturable_updated' : 'payment_intent.succeeded',
    next,
  );
  return next;
}

/**
 * `setup_future_usage`: the card is attached to the PaymentIntent's customer once the payment
 * goes through, and with `off_session` it counts as set up for payments without the customer
 * (as a SetupIntent would leave it).
 */
async function saveForLater(
  ctx: Ctx,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
): Promise<StoredPaymentMethod> {
  const usage = effectiveSetupFutureUsage(intent);
  const customerId = idOf(intent.customer as string | null);
  if (!usage || customerId === null) return stored;
  const customer = await requireCustomer(ctx, customerId, 'customer');
  let saved = await attachToCustomer(ctx, stored, customer, { verified: true });
  if (usage === 'off_session' && !saved.setUpOffSession) {
    saved = { ...saved, setUpOffSession: true };
    await savePaymentMethod(ctx, saved);
  }
  return saved;
}

async function decline(
  ctx: Ctx,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
  refusal: Decline,
): Promise<AppError> {
  const charge = newCharge(ctx, { intent, paymentMethod: stored.object, decline: refusal });
  await insertCharge(ctx, charge);
  const next: PaymentIntent = {
    ...intent,
    status: 'requires_payment_method',
    payment_method: null,
    latest_charge: charge.id,
    next_action: null,
    last_payment_error: {
      type: 'card_error',
      ...errorFields(refusal),
      charge: charge.id,
      payment_method: stored.object,
      payment_method_type: 'card',
    } as Stripe.PaymentIntent.LastPaymentError,
  };
  await savePaymentIntent(ctx, next);
  await emitEvent(ctx, 'charge.failed', charge);
  await emitEvent(ctx, 'payment_intent.payment_failed', next);
  return declineError(refusal, { paymentMethod: stored.object, paymentIntent: next });
}

/** `error_on_requires_action`: the challenge is not shown; the payment fails as needing it. */
async function refuseAction(ctx: Ctx, intent: PaymentIntent, stored: StoredPaymentMethod): Promise<AppError> {
  const next: PaymentIntent = {
    ...intent,
    status: 'requires_payment_method',
    payment_method: null,
    next_action: null,
    last_payment_error: {
      type: 'card_error',
      code: 'authentication_required',
      decline_code: 'authentication_required',
      message:
        'This payment required an authentication action to complete, but `error_on_requires_action` was set.',
      payment_method: stored.object,
      payment_method_type: 'card',
    } as Stripe.PaymentIntent.LastPaymentError,
  };
  await savePaymentIntent(ctx, next);
  await emitEvent(ctx, 'payment_intent.payment_failed', next);
  return fail('payment_intent_requires_action_refused', { paymentIntent: next });
}

/** A failed 3D Secure challenge: the PaymentIntent wants another payment method. */
export async function failAuthentication(
  ctx: Ctx,
  intent: PaymentIntent,
  stored: StoredPaymentMethod,
): Promise<PaymentIntent> {
  const next: PaymentIntent = {
    ...intent,
    status: 'requires_payment_method',
    payment_method: null,
    next_action: null,
    last_payment_error: {
      type: 'invalid_request_error',
      code: 'payment_intent_authentication_failure',
      message: AUTHENTICATION_FAILED,
      payment_method: stored.object,
      payment_method_type: 'card',
    } as Stripe.PaymentIntent.LastPaymentError,
  };
  await savePaymentIntent(ctx, next);
  await emitEvent(ctx, 'payment_intent.payment_failed', next);
  return next;
}
