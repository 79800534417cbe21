import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { type AppError, fail } from '../../core/errors.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCustomer } from '../customers/service.ts';
import type { StoredPaymentMethod } from '../payment-methods/store.ts';
import { checkReturnUrl, paymentMethodTypes, type TypesParams } from '../setup-intents/types.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { attemptPayment } from './attempt.ts';
import { newPaymentIntent } from './build.ts';
import { cardOptions } from './options.ts';
import type { CreatePaymentIntentParams } from './params.ts';
import { checkAmount, isOffSession, paymentMethodFor } from './rules.ts';
import { insertPaymentIntent } from './store.ts';

type PaymentIntent = Stripe.PaymentIntent;

/** Params that only mean something on a confirmation, refused without `confirm=true` as Stripe does. */
const CONFIRM_ONLY = ['off_session', 'return_url', 'error_on_requires_action'] as const;

/**
 * `POST /v1/payment_intents`: a PaymentIntent for an amount, dated on its customer's clock; with
 * `confirm=true` the payment is attempted at once (the answer may then be a card refusal, with
 * the failed attempt kept).
 */
export async function createPaymentIntent(
  base: Ctx,
  params: CreatePaymentIntentParams,
): Promise<PaymentIntent | AppError> {
  if (!params.confirm) {
    for (const name of CONFIRM_ONLY) {
      if (params[name] !== undefined) throw fail('payment_intent_needs_confirm', { name }, name);
    }
  }
  checkAmount(params.amount, params.currency);
  if (params.return_url !== undefined) checkReturnUrl(params.return_url);
  const types = paymentMethodTypes(params as TypesParams);
  const customer = params.customer ? await requireCustomer(base, params.customer, 'customer') : null;
  const ctx = customer ? await ctxForCustomer(base, customer) : base;
  const template = newPaymentIntent(ctx, {
    amount: params.amount,
    currency: params.currency,
    customer: customer?.id ?? null,
    description: params.description ?? null,
    paymentMethod: null,
  });
  const automatic = types.automatic_payment_methods;
  let intent: PaymentIntent = {
    ...template,
    allowed_payment_method_types: types.allowed_payment_method_types,
    payment_method_types: types.payment_method_types,
    automatic_payment_methods: automatic && {
      allow_redirects: automatic.allow_redirects,
      enabled: automatic.enabled ?? true,
    },
    capture_method: params.capture_method ?? 'automatic_async',
    confirmation_method: params.confirmation_method ?? 'automatic',
    metadata: mergeMetadata({}, params.metadata) ?? {},
    payment_method_options: cardOptions(null, params.payment_method_options?.card),
    receipt_email: params.receipt_email ?? null,
    setup_future_usage: params.setup_future_usage ?? null,
    statement_descriptor: params.statement_descriptor ?? null,
    statement_descriptor_suffix: params.statement_descriptor_suffix ?? null,
  };
  let stored: StoredPaymentMethod | undefined;
  if (params.payment_method !== undefined) {
    stored = await paymentMethodFor(ctx, intent, params.payment_method);
    intent = { ...intent, payment_method: stored.object.id, status: 'requires_confirmation' };
  }
  if (params.confirm && !stored) {
    throw fail('payment_intent_payment_method_missing', { paymentIntent: intent }, 'payment_method');
  }
  await insertPaymentIntent(ctx, intent);
  await emitEvent(ctx, 'payment_intent.created', intent);
  if (!params.confirm || !stored) return intent;
  return attemptPayment(ctx, intent, stored, {
    offSession: isOffSession(params.off_session),
    authenticated: false,
    returnUrl: params.return_url ?? null,
    errorOnRequiresAction: params.error_on_requires_action ?? false,
  });
}
