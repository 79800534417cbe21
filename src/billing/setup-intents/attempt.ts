import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import type { AppError } from '../../core/errors.ts';
import { emitEvent } from '../../events/emit.ts';
import { processor } from '../../payments/index.ts';
import { requireCustomer } from '../customers/service.ts';
import { attachToCustomer } from '../payment-methods/attach.ts';
import { declineError, errorFields } from '../payment-methods/declines.ts';
import { idOf } from '../payment-methods/resolve.ts';
import { processorCard, type StoredPaymentMethod, savePaymentMethod } from '../payment-methods/store.ts';
import { setupChallengeAction } from './challenge.ts';
import { saveSetupIntent } from './store.ts';

type SetupIntent = Stripe.SetupIntent;

/**
 * One confirmation attempt of a SetupIntent with a payment method: the processor decides, and the
 * SetupIntent ends `succeeded` (the card saved to the customer), `requires_action` (a 3D Secure
 * challenge) or back at `requires_payment_method` with `last_setup_error`. A refusal is returned,
 * not thrown: the failed attempt is recorded (and its event sent) and the caller answers with the
 * error, as Stripe answers 402 and keeps the SetupIntent.
 */
export async function attemptSetup(
  ctx: Ctx,
  intent: SetupIntent,
  stored: StoredPaymentMethod,
  options: { authenticated: boolean; returnUrl?: string | null },
): Promise<SetupIntent | AppError> {
  const decision = processor.authorizeSetup(processorCard(stored), {
    usage: intent.usage === 'on_session' ? 'on_session' : 'off_session',
    requestThreeDSecure: threeDSecureRequest(intent),
    authenticated: options.authenticated,
  });
  if (decision.outcome === 'approved') return succeed(ctx, intent, stored);
  if (decision.outcome === 'requires_action') {
    const next: SetupIntent = {
      ...intent,
      status: 'requires_action',
      payment_method: stored.object.id,
      next_action: setupChallengeAction(ctx, intent, options.returnUrl ?? null),
    };
    await saveSetupIntent(ctx, next);
    await emitEvent(ctx, 'setup_intent.requires_action', next);
    return next;
  }
  const failed: SetupIntent = {
    ...intent,
    status: 'requires_payment_method',
    payment_method: null,
    next_action: null,
    last_setup_error: {
      type: 'card_error',
      ...errorFields(decision.decline),
      payment_method: stored.object,
      payment_method_type: 'card',
    } as Stripe.SetupIntent.LastSetupError,
  };
  await saveSetupIntent(ctx, failed);
  await emitEvent(ctx, 'setup_intent.setup_failed', failed);
  return declineError(decision.decline, { paymentMethod: stored.object, setupIntent: failed });
}

function threeDSecureRequest(intent: SetupIntent): 'automatic' | 'any' | 'challenge' {
  const asked = intent.payment_method_options?.card?.request_three_d_secure;
  if (asked === 'any') return 'any';
  return asked === 'challenge' ? 'challenge' : 'automatic';
}

async function succeed(ctx: Ctx, intent: SetupIntent, stored: StoredPaymentMethod): Promise<SetupIntent> {
  let saved = stored;
  const customerId = idOf(intent.customer as string | null);
  if (customerId !== null) {
    const customer = await requireCustomer(ctx, customerId, 'customer');
    saved = await attachToCustomer(ctx, saved, customer, { verified: true });
  }
  if (intent.usage !== 'on_session' && !saved.setUpOffSession) {
    saved = { ...saved, setUpOffSession: true };
    await savePaymentMethod(ctx, saved);
  }
  const next: SetupIntent = {
    ...intent,
    status: 'succeeded',
    payment_method: saved.object.id,
    next_action: null,
    last_setup_error: null,
  };
  await saveSetupIntent(ctx, next);
  await emitEvent(ctx, 'setup_intent.succeeded', next);
  return next;
}

/** A failed 3D Secure challenge: the SetupIntent wants another payment method. */
export async function failAuthentication(
  ctx: Ctx,
  intent: SetupIntent,
  stored: StoredPaymentMethod,
): Promise<SetupIntent> {
  const next: SetupIntent = {
    ...intent,
    status: 'requires_payment_method',
    payment_method: null,
    next_action: null,
    last_setup_error: {
      type: 'invalid_request_error',
      code: 'setup_intent_authentication_failure',
      message:
        'The latest attempt to set up the payment method has failed because authentication failed. Provide a new payment method to attempt to set up again.',
      payment_method: stored.object,
      payment_method_type: 'card',
    } as Stripe.SetupIntent.LastSetupError,
  };
  await saveSetupIntent(ctx, next);
  await emitEvent(ctx, 'setup_intent.setup_failed', next);
  return next;
}
