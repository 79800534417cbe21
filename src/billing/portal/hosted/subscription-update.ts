import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { type AppError, errors, fail } from '../../../core/errors.ts';
import type { Decline } from '../../../payments/processor.ts';
import { findObject, listObjects } from '../../../store/objects.ts';
import type { PreviewInvoiceParams } from '../../invoices/params.ts';
import { previewInvoice } from '../../invoices/preview.ts';
import { cardRefusal } from '../../payment-methods/declines.ts';
import { createSchedule } from '../../subscription-schedules/create.ts';
import { updateSchedule } from '../../subscription-schedules/update.ts';
import type { UpdateSubscriptionParams } from '../../subscriptions/params.ts';
import { noPaymentMethod } from '../../subscriptions/payment.ts';
import { updateSubscription } from '../../subscriptions/update.ts';
import { requireValidCoupon, requireValidPromotionCode } from '../sessions/discounts.ts';
import {
  type PriceChoice,
  priceChoices,
  quantityRange,
  type ScheduleCondition,
  scheduleCondition,
  type UpdateBlock,
  updateBlock,
} from './eligibility.ts';
import { heldChangeAmount, pendingChangeAmount } from './held-change-amount.ts';
import { ownedBy, type PortalScope } from './overview.ts';
import {
  markPortalSchedule,
  type PendingChange,
  portalPendingChange,
  releasePortalSchedule,
  scheduleOwner,
} from './portal-schedules.ts';
import { withdrawPendingUpdate } from './update-authentication.ts';

/**
 * Switching plans in the hosted portal (§9.5): what a subscription may become, the preview the
 * customer confirms (the invoice `invoices.createPreview` computes for the same change) and the
 * change itself, made through `subscriptions.update`, or held until the period end by a schedule
 * when a `schedule_at_period_end` condition holds. The page and the API thus share every rule.
 */

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** A subscription as the update pages see it. */
export interface UpdateTarget {
  subscription: Stripe.Subscription;
  /** The item being changed (the only one, or the one picked with multi-item updates). */
  item: Stripe.SubscriptionItem;
  block: UpdateBlock | null;
  choices: PriceChoice[];
  products: Map<string, Stripe.Product>;
  promotionCodes: boolean;
  pending: PendingChange | null;
}

/** What the customer chose (or a `subscription_update_confirm` flow prefilled). */
export interface ChangeInput {
  price?: string;
  quantity?: number;
  /** A promotion code as typed (its `code`). */
  promotionCode?: string;
  /** A flow's prefilled discount. */
  discount?: { coupon?: string | null; promotion_code?: string | null } | null;
}

/** A checked change, ready to preview or apply. */
export interface PortalChange {
  price: Stripe.Price;
  quantity: number;
  discount: { coupon: string } | { promotion_code: string } | null;
  /** The promotion code's `code`, to show back. */
  codeText: string | null;
  /** The condition that holds it until the period end, or null: it applies now. */
  condition: ScheduleCondition | null;
}

/**
 * The customer's subscription by id: another's (or another account's, with `on_behalf_of`) or an
 * unknown id is not found. An ended one is found, and blocked by its status.
 */
async function portalSubscription(ctx: Ctx, portal: PortalScope, id: string): Promise<Stripe.Subscription> {
  const sub = await findObject<Stripe.Subscription>(ctx.db, 'subscriptions', ctx.scope, id);
  if (!sub || !ownedBy(portal)(sub)) {
    throw errors.noSuchPath('subscription', id);
  }
  return sub;
}

const feature = (portal: PortalScope) => portal.configuration.features.subscription_update;

/** Whether the subscription can be updated here (without loading its prices). */
export async function updateBlockOf(
  ctx: Ctx,
  portal: PortalScope,
  sub: Stripe.Subscription,
  multiItem: boolean,
): Promise<UpdateBlock | null> {
  return updateBlock({
    subscription: sub,
    feature: feature(portal),
    schedule: await scheduleOwner(ctx, sub),
    multiItem,
  });
}

/**
 * The subscription to update, with what it may become. `itemId` picks the item when multi-item
 * updates are on; otherwise (and by default) the first item of an offered product.
 */
export async function loadUpdateTarget(
  ctx: Ctx,
  portal: PortalScope,
  subscriptionId: string,
  options: { multiItem: boolean; itemId?: string },
): Promise<UpdateTarget> {
  const sub = await portalSubscription(ctx, portal, subscriptionId);
  const f = feature(portal);
  let block = f.enabled ? await updateBlockOf(ctx, portal, sub, options.multiItem) : 'status';
  const offered = new Set((f.products ?? []).map((p) => p.product));
  const item = options.itemId
    ? sub.items.data.find((i) => i.id === options.itemId)
    : (sub.items.data.find((i) => offered.has(idOf(i.price.product) ?? '')) ?? sub.items.data[0]);
  if (!item) throw errors.noSuchPath('subscription_item', options.itemId ?? '');
  const prices = new Map<string, Stripe.Price>();
  const products = new Map<string, Stripe.Product>();
  for (const entry of f.products ?? []) {
    const product = await findObject<Stripe.Product>(ctx.db, 'products', ctx.scope, entry.product);
    if (product) products.set(product.id, product);
    for (const id of entry.prices) {
      const price = await findObject<Stripe.Price>(ctx.db, 'prices', ctx.scope, id);
      if (price) prices.set(id, price);
    }
  }
  // The subscription's own products name its items (several with multi-item updates).
  for (const own of sub.items.data) {
    const id = idOf(own.price.product) ?? '';
    if (products.has(id)) continue;
    const product = await findObject<Stripe.Product>(ctx.db, 'products', ctx.scope, id);
    if (product) products.set(product.id, product);
  }
  const choices = priceChoices(sub, item, f, prices);
  const promotionCodes = f.default_allowed_updates.includes('promotion_code');
  const quantities = choices.some((c) => quantityRange(f, c.product.product) !== null);
  if (!block && choices.length === 0) block = 'product_not_offered';
  if (!block && choices.length <= 1 && !quantities && !promotionCodes) block = 'nothing_to_change';
  return {
    subscription: sub,
    item,
    block,
    choices,
    products,
    promotionCodes,
    pending: await portalPendingChange(ctx, sub),
  };
}

/** The active promotion code a customer typed (codes match whatever their case). */
async function promotionCodeByText(ctx: Ctx, text: string): Promise<Stripe.PromotionCode> {
  const key = text.trim().toLowerCase();
  const found = async (where: Record<string, string | number>) =>
    (await listObjects<Stripe.PromotionCode>(ctx.db, 'promotion_codes', ctx.scope, { limit: 1 }, where))
      .data[0];
  const code = (await found({ code_key: key, active: 1 })) ?? (await found({ code_key: key }));
  if (!code) throw fail('portal_promotion_code_unknown', { code: text }, 'promotion_code');
  return code;
}

/**
 * Checks a choice against the target: a price among the choices (anything else reads as not
 * found), a quantity within the product's range, a promotion code that may be redeemed by this
 * customer, and something that actually changes. Refusals name the form's field.
 */
export async function checkChange(
  ctx: Ctx,
  portal: PortalScope,
  target: UpdateTarget,
  input: ChangeInput,
): Promise<PortalChange> {
  if (target.block)
    throw fail(
      'portal_subscription_update_not_active',
      { subscription: target.subscription.id, status: target.subscription.status },
      'subscription',
    );
  const f = feature(portal);
  const choice = input.price
    ? target.choices.find((c) => c.price.id === input.price)
    : target.choices.find((c) => c.current);
  if (!choice) throw errors.noSuchPath('price', input.price ?? '');
  const currentQuantity = target.item.quantity ?? 1;
  const range = quantityRange(f, choice.product.product);
  const quantity = input.quantity ?? currentQuantity;
  if (quantity !== currentQuantity || (range && !Number.isSafeInteger(quantity))) {
    if (!range) {
      throw fail('portal_quantity_not_adjustable', { product: choice.product.product }, 'quantity');
    }
    if (
      !Number.isSafeInteger(quantity) ||
      quantity < range.minimum ||
      (range.maximum !== null && quantity > range.maximum)
    ) {
      throw fail(
        'portal_quantity_out_of_range',
        { product: choice.product.product, min: range.minimum, max: range.maximum },
        'quantity',
      );
    }
  }
  let discount: PortalChange['discount'] = null;
  let codeText: string | null = null;
  const customer = portal.customer.id;
  if (input.promotionCode) {
    if (!target.promotionCodes) throw errors.parameterUnknown('promotion_code');
    const code = await promotionCodeByText(ctx, input.promotionCode);
    await requireValidPromotionCode(ctx, code.id, customer, 'promotion_code');
    discount = { promotion_code: code.id };
    codeText = code.code;
  } else if (input.discount?.promotion_code) {
    const code = await requireValidPromotionCode(
      ctx,
      input.discount.promotion_code,
      customer,
      'promotion_code',
    );
    discount = { promotion_code: code.id };
    codeText = code.code;
  } else if (input.discount?.coupon) {
    await requireValidCoupon(ctx, input.discount.coupon, 'promotion_code');
    discount = { coupon: input.discount.coupon };
  }
  if (choice.current && quantity === currentQuantity && !discount) {
    throw fail('portal_confirm_nothing', {}, 'price');
  }
  const condition = scheduleCondition(
    f,
    { price: target.item.price, quantity: currentQuantity },
    { price: choice.price, quantity },
  );
  return { price: choice.price, quantity, discount, codeText, condition };
}

/** The update's params for a change that applies now, following the configuration. */
function updateParams(portal: PortalScope, target: UpdateTarget, change: PortalChange) {
  const f = feature(portal);
  const sub = target.subscription;
  return {
    items: [{ id: target.item.id, price: change.price.id, quantity: change.quantity }],
    proration_behavior: f.proration_behavior as 'always_invoice' | 'create_prorations' | 'none',
    ...(f.billing_cycle_anchor === 'now' ? { billing_cycle_anchor: 'now' as const } : {}),
    // Modifying a trial ends it, unless the configuration keeps it (§9.5, limitation 6).
    ...(sub.status === 'trialing' && f.trial_update_behavior !== 'continue_trial'
      ? { trial_end: 'now' as const }
      : {}),
  };
}

/** What the preview page shows. */
export interface ChangePreview {
  change: PortalChange;
  /** The invoice made now (prorations or a new period), or null when nothing is invoiced now. */
  now: Stripe.Invoice | null;
  /** The next invoice once the change is made: amount and date. */
  next: { amount: number; currency: string; date: number } | null;
  /** That next invoice in full when it carries the change's prorations (nothing invoiced now). */
  upcoming: Stripe.Invoice | null;
  /** A held change: when it applies (the period end). */
  scheduledAt: number | null;
  /** With `continue_trial`: the trial end, which stays. */
  trialEnd: number | null;
}

const previewDiscounts = (change: PortalChange): PreviewInvoiceParams['discounts'] =>
  change.discount ? [change.discount] : undefined;

/**
 * The preview of a change, from `invoices.createPreview` with the same params the update will
 * get: the invoice made now, if any, and the next one. A held change shows when it applies
 * and the next period's amount of the new price.
 */
export async function previewChange(
  ctx: Ctx,
  portal: PortalScope,
  target: UpdateTarget,
  change: PortalChange,
): Promise<ChangePreview> {
  const sub = target.subscription;
  const trialEnd =
    sub.status === 'trialing' && feature(portal).trial_update_behavior === 'continue_trial'
      ? sub.trial_end
      : null;
  if (change.condition) {
    const date = target.item.current_period_end;
    const items = sub.items.data.map((i) =>
      i.id === target.item.id
        ? { price: change.price, quantity: change.quantity }
        : { price: i.price, quantity: i.quantity ?? 1 },
    );
    const discounts = change.discount ? [change.discount] : null;
    const amount = await heldChangeAmount(ctx, sub, { items, discounts, periodStart: date });
    return {
      change,
      now: null,
      next: { ...amount, date },
      upcoming: null,
      scheduledAt: date,
      trialEnd,
    };
  }
  const params = updateParams(portal, target, change);
  const first = await previewInvoice(ctx, {
    subscription: sub.id,
    subscription_details: params,
    discounts: previewDiscounts(change),
  });
  const at = ctx.clock.now();
  const invoicedNow = first.created <= at;
  if (!invoicedNow) {
    return {
      change,
      now: null,
      next: { amount: first.amount_due, currency: first.currency, date: first.created },
      upcoming: first,
      scheduledAt: null,
      trialEnd,
    };
  }
  // The renewal after the change: the same change without prorations shows the new period's amount.
  const renewal = await previewInvoice(ctx, {
    subscription: sub.id,
    subscription_details: { ...params, proration_behavior: 'none' },
    discounts: previewDiscounts(change),
  });
  const date = renewal.created <= at ? first.period_end : renewal.created;
  return {
    change,
    now: first,
    next: { amount: renewal.amount_due, currency: renewal.currency, date },
    upcoming: null,
    scheduledAt: null,
    trialEnd,
  };
}

/** What confirming came to. */
export type ApplyResult =
  | { status: 'updated'; subscription: Stripe.Subscription }
  | { status: 'scheduled'; schedule: Stripe.SubscriptionSchedule }
  /** The change waits in `pending_update` for the cardholder's 3D Secure answer. */
  | { status: 'requires_action'; subscription: Stripe.Subscription };

/**
 * Confirms a change. A pending portal change is released first (a new change replaces it), and
 * so is a pending update still waiting for its payment. A held change becomes a two-phase
 * schedule, marked as the portal's. Otherwise the subscription is updated; a change invoiced now
 * waits for its payment (`pending_if_incomplete`). When that payment asks for 3D Secure, the
 * pending update and its open invoice are kept for the challenge; any other refusal (a decline,
 * no card) is thrown so the transaction leaves nothing behind. A change that brings a discount is
 * refused the same way when it needs a challenge: a pending update cannot hold a discount, and
 * the one applied for the invoice would outlive a change that lapses.
 */
export async function applyChange(
  ctx: Ctx,
  portal: PortalScope,
  target: UpdateTarget,
  change: PortalChange,
): Promise<ApplyResult> {
  const sub = target.subscription;
  await releasePortalSchedule(ctx, sub);
  await withdrawPendingUpdate(ctx, sub);
  if (change.condition)
    return { status: 'scheduled', schedule: await holdChange(ctx, portal, target, change) };
  if (change.discount) {
    await updateSubscription(ctx, sub.id, { discounts: [change.discount] });
  }
  const params: UpdateSubscriptionParams = updateParams(portal, target, change);
  const preview = await previewChange(ctx, portal, target, { ...change, discount: null });
  if (preview.now) {
    params.payment_behavior = 'pending_if_incomplete';
    // A change that waits for its payment is invoiced now: prorations go on that invoice.
    if (params.proration_behavior === 'create_prorations') delete params.proration_behavior;
  }
  const updated = await updateSubscription(ctx, sub.id, params);
  if (!updated.pending_update) return { status: 'updated', subscription: updated };
  const refusal = await paymentRefusal(ctx, updated);
  if (refusal.code === 'subscription_payment_requires_action' && !change.discount) {
    return { status: 'requires_action', subscription: updated };
  }
  throw refusal;
}

/** Why the change's invoice was not paid: a decline, a 3D Secure challenge, or no card. */
async function paymentRefusal(ctx: Ctx, sub: Stripe.Subscription): Promise<AppError> {
  const invoice = await findObject<Stripe.Invoice>(
    ctx.db,
    'invoices',
    ctx.scope,
    idOf(sub.latest_invoice as string) ?? '',
  );
  const intentId = idOf(invoice?.payments?.data[0]?.payment.payment_intent as string | undefined);
  const intent = intentId
    ? await findObject<Stripe.PaymentIntent>(ctx.db, 'payment_intents', ctx.scope, intentId)
    : undefined;
  if (!intent) return noPaymentMethod();
  if (intent.status === 'requires_action') {
    return fail('subscription_payment_requires_action', { paymentIntent: intent });
  }
  const error = intent.last_payment_error;
  const decline = {
    code: error?.code ?? 'card_declined',
    decline_code: error?.decline_code ?? 'generic_decline',
    message: error?.message ?? 'Your card was declined.',
  } as Decline;
  return cardRefusal(decline, { paymentIntent: intent }, undefined, { advice: false });
}

/**
 * A change held until the period end: a schedule from the subscription, its current phase to
 * the period end, then the new price (with the discount, if any), released after one period.
 */
async function holdChange(
  ctx: Ctx,
  portal: PortalScope,
  target: UpdateTarget,
  change: PortalChange,
): Promise<Stripe.SubscriptionSchedule> {
  const sub = target.subscription;
  const schedule = await createSchedule(ctx, { from_subscription: sub.id });
  const phase = schedule.phases[0]!;
  const updated = await updateSchedule(ctx, schedule.id, {
    phases: [
      {
        items: phase.items.map((i) => ({ price: idOf(i.price as string)!, quantity: i.quantity ?? 1 })),
        start_date: phase.start_date,
        end_date: phase.end_date,
      },
      {
        items: sub.items.data.map((i) =>
          i.id === target.item.id
            ? { price: change.price.id, quantity: change.quantity }
            : { price: i.price.id, quantity: i.quantity ?? 1 },
        ),
        ...(change.discount ? { discounts: [change.discount] } : {}),
      },
    ],
  });
  await markPortalSchedule(ctx, schedule.id, portal.configuration.id);
  return updated;
}

/** "Cancel scheduled update": the portal's pending change is dropped; nothing else changes. */
export async function cancelPendingChange(
  ctx: Ctx,
  portal: PortalScope,
  subscriptionId: string,
): Promise<void> {
  const sub = await portalSubscription(ctx, portal, subscriptionId);
  const pending = await portalPendingChange(ctx, sub);
  if (!pending) throw errors.noSuchPath('subscription_schedule', idOf(sub.schedule) ?? '');
  await releasePortalSchedule(ctx, sub);
}

/** What the homepage offers on a subscription: the update action, and the pending change if any. */
export async function updateOffer(
  ctx: Ctx,
  portal: PortalScope,
  sub: Stripe.Subscription,
  multiItem: boolean,
): Promise<{
  updatable: boolean;
  pending: PendingChange | null;
  /** What the invoice starting the pending change will ask for, discounts and credit counted. */
  pendingAmount: { amount: number; currency: string } | null;
  products: Map<string, Stripe.Product>;
}> {
  const amountOf = async (pending: PendingChange | null) =>
    pending ? await pendingChangeAmount(ctx, sub, pending.schedule) : null;
  if (!feature(portal).enabled) {
    const pending = await portalPendingChange(ctx, sub);
    return { updatable: false, pending, pendingAmount: await amountOf(pending), products: new Map() };
  }
  const target = await loadUpdateTarget(ctx, portal, sub.id, { multiItem });
  return {
    updatable: target.block === null,
    pending: target.pending,
    pendingAmount: await amountOf(target.pending),
    products: target.products,
  };
}
