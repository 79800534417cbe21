import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, listObject } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { testCard } from '../../payments/test-cards.ts';
import { listObjectTexts } from '../../store/objects.ts';
import { requireCustomer } from '../customers/service.ts';
import { customerNow } from '../test-clocks/lookup.ts';
import { attachToCustomer, detachFromCustomer } from './attach.ts';
import { addressGiven, applyBillingDetails, newCardPaymentMethod } from './build.ts';
import { type CheckedCard, cardChecks, checkExpiry, checkRawCard, tokenCard } from './card.ts';
import type {
  AttachPaymentMethodParams,
  CreatePaymentMethodParams,
  ListCustomerPaymentMethodParams,
  ListPaymentMethodParams,
  UpdatePaymentMethodParams,
} from './params.ts';
import { idOf, resolvePaymentMethod } from './resolve.ts';
import {
  insertPaymentMethod,
  requirePaymentMethod,
  type StoredPaymentMethod,
  savePaymentMethod,
} from './store.ts';

type PaymentMethod = Stripe.PaymentMethod;

function cardFromParams(
  ctx: Ctx,
  card: NonNullable<CreatePaymentMethodParams['card']>,
  now: number,
): CheckedCard {
  if (card.token !== undefined) {
    for (const field of ['number', 'exp_month', 'exp_year', 'cvc'] as const) {
      if (card[field] !== undefined) throw errors.parametersExclusive('card[token]', `card[${field}]`);
    }
    const checked = ctx.scope.livemode ? undefined : tokenCard(card.token, now);
    if (!checked) throw errors.noSuchParam('token', card.token, 'card[token]');
    return checked;
  }
  if (card.number === undefined) throw errors.parameterMissing('card[number]');
  // Raw card numbers are a test-mode convenience; live mode refuses them (402, as Stripe does).
  if (ctx.scope.livemode) throw fail('card_number_in_live_mode', {}, 'card[number]');
  return checkRawCard(
    { number: card.number, exp_month: card.exp_month, exp_year: card.exp_year, cvc: card.cvc },
    now,
  );
}

export async function createPaymentMethod(
  ctx: Ctx,
  params: CreatePaymentMethodParams,
): Promise<PaymentMethod> {
  if (params.type !== 'card') {
    throw fail('payment_method_type_unsupported', { type: params.type }, 'type');
  }
  if (!params.card) throw errors.parameterMissing('card');
  const now = ctx.clock.now();
  const stored = newCardPaymentMethod(ctx, cardFromParams(ctx, params.card, now), {
    billingDetails: params.billing_details,
    metadata: params.metadata,
    allowRedisplay: params.allow_redisplay,
    preferredNetwork: params.card.networks?.preferred,
    created: now,
  });
  await insertPaymentMethod(ctx, stored);
  return stored.object;
}

export async function retrievePaymentMethod(ctx: Ctx, id: string): Promise<PaymentMethod> {
  return (await requirePaymentMethod(ctx, id)).object;
}

function updatedCard(
  stored: StoredPaymentMethod,
  card: PaymentMethod['card'] & object,
  params: UpdatePaymentMethodParams,
  billing: PaymentMethod['billing_details'],
  now: number,
): PaymentMethod['card'] {
  const next = structuredClone(card);
  const expiry = params.card;
  if (expiry?.exp_month !== undefined || expiry?.exp_year !== undefined) {
    const month = expiry.exp_month ?? card.exp_month;
    next.exp_year = checkExpiry(month, expiry.exp_year ?? card.exp_year, now, 'card');
    next.exp_month = month;
  }
  const preferred = expiry?.networks?.preferred;
  if (preferred !== undefined) {
    if (preferred !== null && !card.networks?.available.includes(preferred)) {
      throw fail(
        'card_network_unavailable',
        { network: preferred, brand: card.brand },
        'card[networks][preferred]',
      );
    }
    next.networks = { available: card.networks?.available ?? [card.brand], preferred };
  }
  // A new billing address is checked again; the CVC check stays what it was.
  const test = stored.testCard ? testCard(stored.testCard) : undefined;
  if (params.billing_details?.address !== undefined && test) {
    const checks = cardChecks(test, false, addressGiven(billing));
    next.checks = { ...checks, cvc_check: card.checks?.cvc_check ?? null };
  }
  return next;
}

/** Stripe updates only payment methods saved to a customer. */
export async function updatePaymentMethod(
  ctx: Ctx,
  id: string,
  params: UpdatePaymentMethodParams,
): Promise<PaymentMethod> {
  const stored = await requirePaymentMethod(ctx, id);
  const before = stored.object;
  if (idOf(before.customer) === null) {
    throw fail('payment_method_not_saved', {});
  }
  const object = structuredClone(before);
  object.billing_details = applyBillingDetails(before.billing_details, params.billing_details);
  if (object.card) {
    object.card = updatedCard(stored, object.card, params, object.billing_details, ctx.clock.now());
  }
  if (params.allow_redisplay !== undefined) object.allow_redisplay = params.allow_redisplay;
  object.metadata = mergeMetadata(before.metadata ?? {}, params.metadata);
  await savePaymentMethod(ctx, { ...stored, object });
  await emitEvent(ctx, 'payment_method.updated', object, { before });
  return object;
}

/** Attaching a shortcut (`pm_card_visa`) makes a new payment method and attaches that. */
export async function attachPaymentMethod(
  ctx: Ctx,
  id: string,
  params: AttachPaymentMethodParams,
): Promise<PaymentMethod> {
  const customer = await requireCustomer(ctx, params.customer, 'customer');
  const stored = await resolvePaymentMethod(ctx, id, undefined, await customerNow(ctx, customer));
  return (await attachToCustomer(ctx, stored, customer)).object;
}

export async function detachPaymentMethod(ctx: Ctx, id: string): Promise<PaymentMethod> {
  const stored = await requirePaymentMethod(ctx, id);
  return (await detachFromCustomer(ctx, stored, { clearDefault: true })).object;
}

async function listFor(
  ctx: Ctx,
  customerId: string,
  params: ListCustomerPaymentMethodParams,
  url: string,
): Promise<JsonText<ListObject<PaymentMethod>>> {
  const where: Record<string, string> = { customer: customerId };
  if (params.type !== undefined) where.type = params.type;
  if (params.allow_redisplay !== undefined) where.allow_redisplay = params.allow_redisplay;
  const page = await listObjectTexts(
    ctx.db,
    'payment_methods',
    ctx.scope,
    { limit: params.limit ?? 10, startingAfter: params.starting_after, endingBefore: params.ending_before },
    where,
  );
  return listJson<PaymentMethod>(page, url);
}

/**
 * `GET /v1/payment_methods`: a customer's payment methods. Without `customer` Stripe lists the
 * account's own (Treasury) payment methods, which Portico has none of: the list is empty.
 */
export async function listPaymentMethods(
  ctx: Ctx,
  params: ListPaymentMethodParams,
): Promise<JsonText<ListObject<PaymentMethod>> | ListObject<PaymentMethod>> {
  if (params.customer === undefined) {
    return listObject<PaymentMethod>({ data: [], hasMore: false }, '/v1/payment_methods');
  }
  await requireCustomer(ctx, params.customer, 'customer');
  return listFor(ctx, params.customer, params, '/v1/payment_methods');
}

export async function listCustomerPaymentMethods(
  ctx: Ctx,
  customerId: string,
  params: ListCustomerPaymentMethodParams,
): Promise<JsonText<ListObject<PaymentMethod>>> {
  await requireCustomer(ctx, customerId);
  return listFor(ctx, customerId, params, `/v1/customers/${customerId}/payment_methods`);
}

export async function retrieveCustomerPaymentMethod(
  ctx: Ctx,
  customerId: string,
  id: string,
): Promise<PaymentMethod> {
  await requireCustomer(ctx, customerId);
  const stored = await requirePaymentMethod(ctx, id);
  if (idOf(stored.object.customer) !== customerId) {
    throw fail('customer_payment_method_not_found', { customer: customerId, paymentMethod: id }, 'customer');
  }
  return stored.object;
}
