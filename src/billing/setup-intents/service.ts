import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { type AppError, errors, fail, underParam } from '../../core/errors.ts';
import { newId, randomBase62 } from '../../core/ids.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { listObjectTexts } from '../../store/objects.ts';
import { requireCustomer } from '../customers/service.ts';
import { checkUsable } from '../payment-methods/attach.ts';
import { idOf, resolvePaymentMethod } from '../payment-methods/resolve.ts';
import { createPaymentMethod } from '../payment-methods/service.ts';
import type { StoredPaymentMethod } from '../payment-methods/store.ts';
import { customerNow } from '../test-clocks/lookup.ts';
import { attemptSetup } from './attempt.ts';
import { answerSetupChallenge } from './authenticate.ts';
import type {
  CancelSetupIntentParams,
  CompleteAuthenticationParams,
  ConfirmSetupIntentParams,
  CreateSetupIntentParams,
  ListSetupIntentParams,
  RetrieveSetupIntentParams,
  UpdateSetupIntentParams,
} from './params.ts';
import { checkOpen, insertSetupIntent, requireSetupIntent, saveSetupIntent } from './store.ts';
import { checkReturnUrl, paymentMethodTypes, type TypesParams } from './types.ts';

type SetupIntent = Stripe.SetupIntent;

/** The payment method a SetupIntent will use: a shortcut becomes a new one, dated on the customer's clock. */
async function paymentMethodFor(
  ctx: Ctx,
  intent: SetupIntent,
  id: string,
  created: number,
): Promise<StoredPaymentMethod> {
  const stored = await resolvePaymentMethod(ctx, id, 'payment_method', created);
  checkUsable(stored, idOf(intent.customer as string | null), 'payment_method');
  if (!intent.payment_method_types.includes(stored.object.type)) {
    throw fail(
      'setup_intent_payment_method_type_refused',
      { paymentMethod: stored.object.id, type: stored.object.type, allowed: intent.payment_method_types },
      'payment_method',
    );
  }
  return stored;
}

async function nowFor(ctx: Ctx, customer: Stripe.Customer | null): Promise<number> {
  return customer ? customerNow(ctx, customer) : ctx.clock.now();
}

async function customerOf(ctx: Ctx, intent: SetupIntent): Promise<Stripe.Customer | null> {
  const id = idOf(intent.customer as string | null);
  return id === null ? null : requireCustomer(ctx, id, 'customer');
}

function cardOptions(
  current: SetupIntent['payment_method_options'],
  params: CreateSetupIntentParams['payment_method_options'],
): SetupIntent['payment_method_options'] {
  const card = current?.card ?? { mandate_options: null, network: null, request_three_d_secure: 'automatic' };
  const requested = params?.card?.request_three_d_secure;
  return { ...current, card: { ...card, ...(requested ? { request_three_d_secure: requested } : {}) } };
}

export async function createSetupIntent(
  ctx: Ctx,
  params: CreateSetupIntentParams,
): Promise<SetupIntent | AppError> {
  const customer = params.customer ? await requireCustomer(ctx, params.customer, 'customer') : null;
  const types = paymentMethodTypes(params as TypesParams);
  if (params.return_url !== undefined) {
    if (!params.confirm) {
      throw fail('setup_intent_return_url_without_confirm', {}, 'return_url');
    }
    checkReturnUrl(params.return_url);
  }
  const created = await nowFor(ctx, customer);
  const id = newId('seti');
  let intent: SetupIntent = {
    id,
    object: 'setup_intent',
    ...types,
    application: null,
    cancellation_reason: null,
    client_secret: `${id}_secret_${randomBase62(24)}`,
    created,
    customer: customer?.id ?? null,
    customer_account: null,
    description: params.description ?? null,
    excluded_payment_method_types: null,
    last_setup_error: null,
    latest_attempt: null,
    livemode: ctx.scope.livemode,
    mandate: null,
    metadata: mergeMetadata({}, params.metadata),
    next_action: null,
    on_behalf_of: null,
    payment_method: null,
    payment_method_configuration_details: null,
    payment_method_options: cardOptions(null, params.payment_method_options),
    single_use_mandate: null,
    status: 'requires_payment_method',
    usage: params.usage ?? 'off_session',
  };
  let stored: StoredPaymentMethod | undefined;
  if (params.payment_method !== undefined) {
    stored = await paymentMethodFor(ctx, intent, params.payment_method, created);
    intent = { ...intent, payment_method: stored.object.id, status: 'requires_confirmation' };
  }
  if (params.confirm && !stored) throw missingPaymentMethod(intent);
  await insertSetupIntent(ctx, intent);
  await emitEvent(ctx, 'setup_intent.created', intent);
  if (!params.confirm || !stored) return intent;
  return attemptSetup(ctx, intent, stored, { authenticated: false, returnUrl: params.return_url });
}

function missingPaymentMethod(intent: SetupIntent): AppError {
  return fail('setup_intent_payment_method_missing', { setupIntent: intent }, 'payment_method');
}

/** `client_secret`, when given, must be the SetupIntent's. */
export async function retrieveSetupIntent(
  ctx: Ctx,
  id: string,
  params: RetrieveSetupIntentParams,
): Promise<SetupIntent> {
  const intent = await requireSetupIntent(ctx, id);
  if (params.client_secret !== undefined && params.client_secret !== intent.client_secret) {
    throw fail('setup_intent_client_secret_mismatch', {}, 'client_secret');
  }
  return intent;
}

export async function updateSetupIntent(
  ctx: Ctx,
  id: string,
  params: UpdateSetupIntentParams,
): Promise<SetupIntent> {
  const before = await requireSetupIntent(ctx, id);
  checkOpen(before, 'update');
  let intent: SetupIntent = structuredClone(before);
  if (params.customer !== undefined) {
    intent.customer = (await requireCustomer(ctx, params.customer, 'customer')).id;
  }
  if (params.allowed_payment_method_types !== undefined || params.payment_method_types !== undefined) {
    Object.assign(intent, paymentMethodTypes(params as TypesParams));
  }
  if (params.description !== undefined) intent.description = params.description;
  intent.metadata = mergeMetadata(intent.metadata ?? {}, params.metadata);
  intent.payment_method_options = cardOptions(intent.payment_method_options, params.payment_method_options);
  if (params.payment_method !== undefined) {
    const created = await nowFor(ctx, await customerOf(ctx, intent));
    const stored = await paymentMethodFor(ctx, intent, params.payment_method, created);
    // A new payment method starts the confirmation over.
    intent = {
      ...intent,
      payment_method: stored.object.id,
      status: 'requires_confirmation',
      next_action: null,
    };
  }
  await saveSetupIntent(ctx, intent);
  return intent;
}

/**
 * The payment method a confirmation names: `payment_method`, one made from `payment_method_data`
 * (as `POST /v1/payment_methods` makes it, errors named under `payment_method_data`), or the
 * intent's own.
 */
async function confirmingPaymentMethod(
  ctx: Ctx,
  before: SetupIntent,
  params: ConfirmSetupIntentParams,
): Promise<string> {
  const data = params.payment_method_data;
  if (data !== undefined) {
    if (params.payment_method !== undefined) {
      throw errors.parametersExclusive('payment_method', 'payment_method_data');
    }
    const made = await underParam('payment_method_data', () =>
      createPaymentMethod(ctx, { ...data, card: data.card }),
    );
    return made.id;
  }
  const id = params.payment_method ?? idOf(before.payment_method as string | null);
  if (id === null) throw missingPaymentMethod(before);
  return id;
}

/**
 * `mandate_data` is checked and not kept: cards need no mandate. `use_stripe_sdk` changes nothing:
 * a challenge's `next_action` depends on `return_url` alone (see challenge.ts).
 */
export async function confirmSetupIntent(
  ctx: Ctx,
  id: string,
  params: ConfirmSetupIntentParams,
): Promise<SetupIntent | AppError> {
  const before = await requireSetupIntent(ctx, id);
  if (params.client_secret !== undefined && params.client_secret !== before.client_secret) {
    throw fail('setup_intent_client_secret_mismatch', {}, 'client_secret');
  }
  checkOpen(before, 'confirm');
  if (params.confirmation_token !== undefined) {
    // Portico makes no confirmation tokens, so none can be found.
    throw errors.noSuchParam('confirmation_token', params.confirmation_token, 'confirmation_token');
  }
  if (params.return_url !== undefined) checkReturnUrl(params.return_url);
  const intent: SetupIntent = {
    ...before,
    ...(params.allowed_payment_method_types !== undefined
      ? paymentMethodTypes({ allowed_payment_method_types: params.allowed_payment_method_types })
      : {}),
    payment_method_options: cardOptions(before.payment_method_options, params.payment_method_options),
  };
  const paymentMethod = await confirmingPaymentMethod(ctx, intent, params);
  const created = await nowFor(ctx, await customerOf(ctx, intent));
  const stored = await paymentMethodFor(ctx, intent, paymentMethod, created);
  return attemptSetup(ctx, intent, stored, { authenticated: false, returnUrl: params.return_url });
}

export async function cancelSetupIntent(
  ctx: Ctx,
  id: string,
  params: CancelSetupIntentParams,
): Promise<SetupIntent> {
  const before = await requireSetupIntent(ctx, id);
  checkOpen(before, 'cancel');
  const intent: SetupIntent = {
    ...before,
    status: 'canceled',
    cancellation_reason: params.cancellation_reason ?? null,
    next_action: null,
  };
  await saveSetupIntent(ctx, intent);
  await emitEvent(ctx, 'setup_intent.canceled', intent);
  return intent;
}

export async function listSetupIntents(
  ctx: Ctx,
  params: ListSetupIntentParams,
): Promise<JsonText<ListObject<SetupIntent>>> {
  const where: Record<string, string> = {};
  if (params.customer !== undefined) where.customer = params.customer;
  if (params.payment_method !== undefined) where.payment_method = params.payment_method;
  const page = await listObjectTexts(ctx.db, 'setup_intents', ctx.scope, pageQuery(params), where);
  return listJson<SetupIntent>(page, '/v1/setup_intents');
}

/**
 * Test mode: `POST /v1/test_helpers/setup_intents/:id/complete_authentication`, the cardholder's
 * answer to the 3D Secure challenge of a SetupIntent in `requires_action`, as the hosted
 * challenge page gives it.
 */
export async function completeAuthentication(
  ctx: Ctx,
  id: string,
  params: CompleteAuthenticationParams,
): Promise<SetupIntent | AppError> {
  if (ctx.scope.livemode) {
    throw fail('test_helper_live_mode', {});
  }
  return answerSetupChallenge(ctx, await requireSetupIntent(ctx, id), params.outcome);
}
