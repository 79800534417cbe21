import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { type AppError, errors, fail, isRefusal } from '../../../core/errors.ts';
import { updateCustomer } from '../../customers/service.ts';
import { detachFromCustomer } from '../../payment-methods/attach.ts';
import { idOf } from '../../payment-methods/resolve.ts';
import { createPaymentMethod } from '../../payment-methods/service.ts';
import { loadPaymentMethod } from '../../payment-methods/store.ts';
import { answerSetupChallenge } from '../../setup-intents/authenticate.ts';
import { createSetupIntent } from '../../setup-intents/service.ts';
import { requireSetupIntent } from '../../setup-intents/store.ts';
import { updateSubscription } from '../../subscriptions/update.ts';
import { portalInvoicePage } from './invoices.ts';
import { type PortalScope, portalPaymentMethods, portalSubscriptions } from './overview.ts';

/**
 * The customer's payment methods in the hosted portal (contract §9.8): adding a card through a
 * SetupIntent set up for off-session use, choosing the default and removing one. Each goes
 * through the same services as the API, so the same objects and events follow.
 */

/** A card as typed on the add-card form (already trimmed; absent when left empty). */
export interface NewCardInput {
  number?: string;
  /** "MM / YY" (or MM/YYYY) as typed. */
  exp?: string;
  cvc?: string;
  postalCode?: string;
}

/**
 * What adding a card came to: saved (and made the default), waiting for the cardholder's 3D
 * Secure answer, or refused: bad input (nothing written) or a decline (the failed SetupIntent
 * attempt is recorded and its events sent, so the caller commits).
 */
export type AddCardResult =
  | { status: 'added'; paymentMethod: Stripe.PaymentMethod; setupIntent: Stripe.SetupIntent }
  | { status: 'requires_action'; setupIntent: Stripe.SetupIntent }
  | { status: 'refused'; error: AppError };

/** "MM / YY", "MM/YY", "MMYY" or "MM / YYYY": month and year, or undefined when unreadable. */
export function parseExpiry(text: string | undefined): { month: number; year: number } | undefined {
  const m = text?.replace(/\s+/g, '').match(/^(\d{1,2})\/?(\d{2}|\d{4})$/);
  if (!m) return undefined;
  return { month: Number(m[1]), year: Number(m[2]) };
}

/**
 * Makes a card the customer's default for invoices (`customer.updated`). A subscription's own
 * `default_payment_method` would still win over it, so the portal clears those overrides on the
 * customer's subscriptions (contract §9.8, Portico does): the card the customer just chose is the
 * one their subscriptions charge. Each cleared subscription emits `customer.subscription.updated`,
 * as the same change through the API does.
 */
async function madeDefault(ctx: Ctx, portal: PortalScope, paymentMethodId: string): Promise<void> {
  await updateCustomer(ctx, portal.customer.id, {
    invoice_settings: { default_payment_method: paymentMethodId },
  });
  for (const subscription of await portalSubscriptions(ctx, portal)) {
    if (subscription.default_payment_method === null) continue;
    await updateSubscription(ctx, subscription.id, { default_payment_method: null });
  }
}

/** After a successful setup: the new card is the customer's default, as Stripe's portal makes it. */
async function settled(
  ctx: Ctx,
  portal: PortalScope,
  intent: Stripe.SetupIntent | AppError,
): Promise<AddCardResult> {
  if (isRefusal(intent)) return { status: 'refused', error: intent };
  if (intent.status === 'requires_action') return { status: 'requires_action', setupIntent: intent };
  const id = idOf(intent.payment_method as string | null)!;
  await madeDefault(ctx, portal, id);
  const stored = await loadPaymentMethod(ctx, id);
  return { status: 'added', paymentMethod: stored!.object, setupIntent: intent };
}

/**
 * Adds a card for the session's customer: a card payment method from the typed details (test
 * mode: the card simulator's raw test numbers), then a confirmed off-session SetupIntent. A
 * refusal of the details themselves is answered before anything is written.
 */
export async function addCard(ctx: Ctx, portal: PortalScope, input: NewCardInput): Promise<AddCardResult> {
  if (!input.number) return { status: 'refused', error: fail('card_number_invalid', {}, 'card[number]') };
  const expiry = parseExpiry(input.exp);
  if (!expiry) return { status: 'refused', error: fail('card_expiry_month_invalid', {}, 'card[exp_month]') };
  let paymentMethod: Stripe.PaymentMethod;
  try {
    paymentMethod = await createPaymentMethod(ctx, {
      type: 'card',
      card: { number: input.number, exp_month: expiry.month, exp_year: expiry.year, cvc: input.cvc },
      billing_details: input.postalCode ? { address: { postal_code: input.postalCode } } : undefined,
    });
  } catch (error) {
    if (!isRefusal(error)) throw error;
    return { status: 'refused', error };
  }
  const intent = await createSetupIntent(ctx, {
    customer: portal.customer.id,
    payment_method: paymentMethod.id,
    payment_method_types: ['card'],
    usage: 'off_session',
    confirm: true,
  });
  return settled(ctx, portal, intent);
}

/** One of the customer's SetupIntents; another customer's (or an unknown id) is not found. */
export async function portalSetupIntent(
  ctx: Ctx,
  portal: PortalScope,
  id: string,
): Promise<Stripe.SetupIntent> {
  const intent = await requireSetupIntent(ctx, id);
  if (idOf(intent.customer as string | null) !== portal.customer.id) {
    throw errors.noSuchPath('setup_intent', id);
  }
  return intent;
}

/** A card being added that waits for its 3D Secure challenge: the SetupIntent and the card. */
export async function cardChallenge(
  ctx: Ctx,
  portal: PortalScope,
  setupIntentId: string,
): Promise<{ setupIntent: Stripe.SetupIntent; paymentMethod: Stripe.PaymentMethod }> {
  const setupIntent = await portalSetupIntent(ctx, portal, setupIntentId);
  const stored =
    setupIntent.status === 'requires_action'
      ? await loadPaymentMethod(ctx, idOf(setupIntent.payment_method as string | null) ?? '')
      : undefined;
  if (!stored) throw errors.noSuchPath('setup_intent', setupIntentId);
  return { setupIntent, paymentMethod: stored.object };
}

/**
 * The cardholder's answer to a 3D Secure challenge of a card being added. `complete` lets the
 * issuer decide again, authenticated; `fail` returns the SetupIntent to `requires_payment_method`
 * (answered as the refusal `authentication_failed`).
 */
export async function answerCardAuthentication(
  ctx: Ctx,
  portal: PortalScope,
  setupIntentId: string,
  outcome: 'complete' | 'fail',
): Promise<AddCardResult> {
  const intent = await portalSetupIntent(ctx, portal, setupIntentId);
  const answered = await answerSetupChallenge(ctx, intent, outcome === 'complete' ? 'succeed' : 'fail');
  if (outcome === 'fail' && !isRefusal(answered)) {
    return { status: 'refused', error: fail('setup_intent_authentication_failure', {}) };
  }
  return settled(ctx, portal, answered);
}

/** One of the customer's saved payment methods; another customer's (or an unknown id) is not found. */
export async function portalPaymentMethod(
  ctx: Ctx,
  portal: PortalScope,
  id: string,
): Promise<Stripe.PaymentMethod> {
  const stored = await loadPaymentMethod(ctx, id);
  if (!stored || stored.detached || idOf(stored.object.customer) !== portal.customer.id) {
    throw errors.noSuchPath('payment_method', id);
  }
  return stored.object;
}

/** Makes one of the customer's payment methods the default for invoices (`customer.updated`). */
export async function setDefaultPaymentMethod(ctx: Ctx, portal: PortalScope, id: string): Promise<void> {
  await portalPaymentMethod(ctx, portal, id);
  if (idOf(portal.customer.invoice_settings?.default_payment_method as string | null) === id) return;
  await madeDefault(ctx, portal, id);
}

/** Subscriptions that charge the default payment method on their own. */
const CHARGING: Stripe.Subscription.Status[] = ['active', 'trialing', 'past_due', 'unpaid'];

/**
 * Why a payment method cannot be removed, or null: the last one may not go while a subscription
 * charges automatically (the customer adds another first).
 */
export async function removalBlock(
  ctx: Ctx,
  portal: PortalScope,
  id: string,
): Promise<'last_with_active_subscription' | null> {
  const methods = await portalPaymentMethods(ctx, portal);
  if (methods.some((pm) => pm.id !== id)) return null;
  const subscriptions = await portalSubscriptions(ctx, portal);
  const charging = subscriptions.some(
    (s) => CHARGING.includes(s.status) && s.collection_method === 'charge_automatically',
  );
  return charging ? 'last_with_active_subscription' : null;
}

/**
 * The card that becomes the default when the default `id` is removed: the newest remaining card
 * (Portico rule). Undefined when `id` is not the default or no other card is left.
 */
export async function defaultAfterRemoval(
  ctx: Ctx,
  portal: PortalScope,
  id: string,
): Promise<Stripe.PaymentMethod | undefined> {
  const wasDefault = idOf(portal.customer.invoice_settings?.default_payment_method as string | null) === id;
  if (!wasDefault) return undefined;
  return (await portalPaymentMethods(ctx, portal)).find((pm) => pm.id !== id && pm.type === 'card');
}

/**
 * Removes one of the customer's payment methods (`payment_method.detached`). When it was the
 * default, the newest remaining card takes its place (Portico rule), with one `customer.updated`.
 */
export async function removePaymentMethod(ctx: Ctx, portal: PortalScope, id: string): Promise<void> {
  await portalPaymentMethod(ctx, portal, id);
  if (await removalBlock(ctx, portal, id)) {
    throw fail('last_payment_method', { paymentMethod: id });
  }
  const next = await defaultAfterRemoval(ctx, portal, id);
  const stored = (await loadPaymentMethod(ctx, id))!;
  await detachFromCustomer(ctx, stored, { clearDefault: next === undefined });
  if (next) await madeDefault(ctx, portal, next.id);
}

/**
 * Open invoices past due (due date passed, or a payment already attempted and failed), which the
 * portal offers to pay once a card was added. Newest first.
 */
export async function pastDueInvoices(ctx: Ctx, portal: PortalScope): Promise<Stripe.Invoice[]> {
  const page = await portalInvoicePage(ctx, portal, { limit: 100 });
  return page.data.filter(
    (invoice) =>
      invoice.status === 'open' &&
      invoice.amount_remaining > 0 &&
      ((invoice.due_date !== null && invoice.due_date < portal.now) || invoice.attempt_count > 0),
  );
}
