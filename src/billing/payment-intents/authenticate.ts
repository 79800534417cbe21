import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { type AppError, fail } from '../../core/errors.ts';
import { findObject } from '../../store/objects.ts';
import { answerPaymentAuthentication } from '../invoices/authenticate.ts';
import { idOf } from '../payment-methods/resolve.ts';
import { requirePaymentMethod } from '../payment-methods/store.ts';
import { attemptPayment, failAuthentication } from './attempt.ts';
import { intentOfSecret } from './challenge.ts';
import type { CompletePaymentAuthenticationParams } from './params.ts';
import { onCustomerTime } from './rules.ts';
import { invoiceOfIntent, requirePaymentIntent } from './store.ts';

type PaymentIntent = Stripe.PaymentIntent;

/**
 * The cardholder's answer to a PaymentIntent's 3D Secure challenge. `succeed`: the issuer decides
 * again with the cardholder authenticated (`succeeded`, `requires_capture`, or a decline);
 * `fail`: back to `requires_payment_method` with `payment_intent_authentication_failure`. An
 * invoice's PaymentIntent is answered through its invoice, which records the attempt.
 */
export async function answerChallenge(
  base: Ctx,
  intent: PaymentIntent,
  answer: 'succeed' | 'fail',
): Promise<PaymentIntent | AppError> {
  const invoice = await invoiceOfIntent(base, intent.id);
  if (invoice !== null) {
    await answerPaymentAuthentication(base, invoice, answer);
    return requirePaymentIntent(base, intent.id);
  }
  const { ctx } = await onCustomerTime(base, intent);
  const stored = await requirePaymentMethod(ctx, idOf(intent.payment_method as string | null) ?? '');
  if (answer === 'fail') return failAuthentication(ctx, intent, stored);
  return attemptPayment(ctx, intent, stored, {
    offSession: false,
    authenticated: true,
    returnUrl: intent.next_action?.redirect_to_url?.return_url ?? null,
    errorOnRequiresAction: false,
  });
}

/** Test mode: `POST /v1/test_helpers/payment_intents/:id/complete_authentication` (Portico's). */
export async function completePaymentAuthentication(
  ctx: Ctx,
  id: string,
  params: CompletePaymentAuthenticationParams,
): Promise<PaymentIntent | AppError> {
  if (ctx.scope.livemode) throw fail('test_helper_live_mode', {});
  const intent = await requirePaymentIntent(ctx, id);
  if (intent.status !== 'requires_action') {
    throw fail('payment_intent_not_requires_action', { paymentIntent: intent });
  }
  return answerChallenge(ctx, intent, params.outcome);
}

/**
 * The PaymentIntent a challenge page's client secret names, when the secret is its own and a
 * challenge waits; undefined otherwise (the page answers 404 for any other secret).
 */
export async function challengeOfSecret(ctx: Ctx, secret: string): Promise<PaymentIntent | undefined> {
  const id = intentOfSecret(secret);
  if (id === null) return undefined;
  const intent = await findObject<PaymentIntent>(ctx.db, 'payment_intents', ctx.scope, id);
  if (!intent || intent.client_secret !== secret) return undefined;
  return intent;
}
