import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { Undone, undoable } from '../../operations/savepoint.ts';
import { findObject } from '../../store/objects.ts';
import { requireCustomer } from '../customers/service.ts';
import { hasEnded } from '../subscriptions/cancel.ts';
import { createSubscription } from '../subscriptions/create.ts';
import type {
  CreateSubscriptionParams,
  DiscountParams,
  UpdateSubscriptionParams,
} from '../subscriptions/params.ts';
import { requireSubscription, saveSubscription } from '../subscriptions/store.ts';
import { updateSubscription } from '../subscriptions/update.ts';

/** Phases were checked when scheduled: a price archived since still applies when the phase starts. */
const ENGINE = { allowArchivedPrices: true };

import type { ProrationBehavior } from './params.ts';
import { endOf, idOf } from './store.ts';

type Schedule = Stripe.SubscriptionSchedule;
type Phase = Stripe.SubscriptionSchedule.Phase;

/** How a phase is being put on the subscription. */
export interface ApplyOptions {
  /** The phase begins now (its trial, anchor and metadata take effect), rather than being edited in place. */
  entering: boolean;
  /** When edited in place: the phase as it was, so only what changed is applied again. */
  previous?: Phase;
  /** Overrides the phase's own `proration_behavior` (an update's request-level choice). */
  proration?: ProrationBehavior;
  /** The engine acts with the customer away: charges are off-session. */
  offSession: boolean;
}

/** The whole-phase trial ends with the phase; otherwise `trial_end` within it, if any. */
function phaseTrialEnd(phase: Phase): number | null {
  return phase.trial ? phase.end_date : phase.trial_end;
}

function collectionOf(schedule: Schedule, phase: Phase) {
  const method = (phase.collection_method ??
    schedule.default_settings.collection_method ??
    'charge_automatically') as 'charge_automatically' | 'send_invoice';
  const days =
    method === 'send_invoice'
      ? (phase.invoice_settings?.days_until_due ?? schedule.default_settings.invoice_settings.days_until_due)
      : null;
  return { method, days };
}

function paymentMethodOf(schedule: Schedule, phase: Phase): string | null {
  return idOf(phase.default_payment_method) ?? idOf(schedule.default_settings.default_payment_method);
}

/**
 * A phase's discounts as subscription params. A coupon or promotion code the subscription already
 * has a discount from keeps that discount (it is not redeemed twice).
 */
async function discountParams(
  ctx: Ctx,
  phase: Phase,
  sub: Stripe.Subscription | null,
): Promise<DiscountParams[]> {
  const held = new Map<string, string>();
  for (const ref of sub?.discounts ?? []) {
    const id = idOf(ref)!;
    const discount = await findObject<Stripe.Discount>(ctx.db, 'discounts', ctx.scope, id);
    if (!discount) continue;
    if (discount.promotion_code) held.set(`promotion_code:${idOf(discount.promotion_code)}`, id);
    else held.set(`coupon:${idOf(discount.source.coupon)}`, id);
  }
  return phase.discounts.map((d) => {
    if (d.discount) return { discount: idOf(d.discount)! };
    if (d.promotion_code) {
      const kept = held.get(`promotion_code:${idOf(d.promotion_code)}`);
      return kept ? { discount: kept } : { promotion_code: idOf(d.promotion_code)! };
    }
    const kept = held.get(`coupon:${idOf(d.coupon)}`);
    return kept ? { discount: kept } : { coupon: idOf(d.coupon)! };
  });
}

const sameDiscounts = (a: Phase['discounts'], b: Phase['discounts']) =>
  JSON.stringify(a) === JSON.stringify(b);
const sameMetadata = (a: Phase['metadata'], b: Phase['metadata']) => JSON.stringify(a) === JSON.stringify(b);

const rateIds = (rates: readonly (Stripe.TaxRate | string)[] | null | undefined): string[] =>
  (rates ?? []).map((r) => idOf(r)!);
const sameRates = (a: string[], b: string[]) => a.join(',') === b.join(',');

/**
 * The item changes that turn the subscription's items into the phase's: kept, requantified,
 * retaxed (an item takes the phase item's `tax_rates`, none clearing its own), added, removed.
 */
function itemChanges(sub: Stripe.Subscription, phase: Phase): NonNullable<UpdateSubscriptionParams['items']> {
  const wanted = new Map(phase.items.map((item) => [idOf(item.price)!, item]));
  const changes: NonNullable<UpdateSubscriptionParams['items']> = [];
  for (const item of sub.items.data) {
    const want = wanted.get(item.price.id);
    if (!want) {
      changes.push({ id: item.id, deleted: true });
      continue;
    }
    wanted.delete(item.price.id);
    const change: NonNullable<UpdateSubscriptionParams['items']>[number] = { id: item.id };
    if ((item.quantity ?? 1) !== (want.quantity ?? 1)) change.quantity = want.quantity ?? 1;
    const rates = rateIds(want.tax_rates);
    if (!sameRates(rates, rateIds(item.tax_rates))) change.tax_rates = rates.length > 0 ? rates : null;
    if (Object.keys(change).length > 1) changes.push(change);
  }
  for (const [price, item] of wanted) {
    const rates = rateIds(item.tax_rates);
    changes.push({
      price,
      quantity: item.quantity ?? 1,
      metadata: item.metadata ?? undefined,
      ...(rates.length > 0 ? { tax_rates: rates } : {}),
    });
  }
  return changes;
}

/** Whether update params change anything beyond how the change is billed. */
function changesSomething(params: UpdateSubscriptionParams): boolean {
  return Object.keys(params).some((k) => k !== 'proration_behavior' && k !== 'off_session');
}

/** The params of the one subscription update that puts `phase` in force; empty when nothing differs. */
async function phaseUpdate(
  ctx: Ctx,
  schedule: Schedule,
  sub: Stripe.Subscription,
  phase: Phase,
  options: ApplyOptions,
): Promise<UpdateSubscriptionParams> {
  const now = ctx.clock.now();
  const params: UpdateSubscriptionParams = {};
  const items = itemChanges(sub, phase);
  if (items.length > 0) params.items = items;
  const { method, days } = collectionOf(schedule, phase);
  if (method !== sub.collection_method) params.collection_method = method;
  if (days !== null && days !== sub.days_until_due) params.days_until_due = days;
  const paymentMethod = paymentMethodOf(schedule, phase);
  if (paymentMethod !== null && paymentMethod !== idOf(sub.default_payment_method)) {
    params.default_payment_method = paymentMethod;
  }
  const description = phase.description ?? schedule.default_settings.description;
  if (description !== null && description !== sub.description) params.description = description;
  // The phase's `default_tax_rates` become the subscription's (none clears them), as on Stripe.
  const defaultRates = rateIds(phase.default_tax_rates);
  if (!sameRates(defaultRates, rateIds(sub.default_tax_rates))) {
    params.default_tax_rates = defaultRates.length > 0 ? defaultRates : null;
  }
  // Edited in place, only what the edit changed is applied again.
  const previous = options.previous ?? phase;
  if ((options.entering || !sameMetadata(previous.metadata, phase.metadata)) && phase.metadata) {
    if (Object.keys(phase.metadata).length > 0) params.metadata = phase.metadata;
  }
  const trial = phaseTrialEnd(phase);
  const trialChanged = options.entering || trial !== phaseTrialEnd(previous);
  const trialing = sub.status === 'trialing' && (sub.trial_end ?? 0) > now;
  if (trialChanged && trial !== null && trial > now && trial !== sub.trial_end) params.trial_end = trial;
  // A trial the phase ends now, or a phase without one entered, ends a trial still running.
  if (
    trialing &&
    ((trialChanged && trial !== null && trial <= now) || (options.entering && trial === null))
  ) {
    params.trial_end = 'now';
  }
  const anchor = phase.billing_cycle_anchor ?? schedule.default_settings.billing_cycle_anchor;
  if (options.entering && anchor === 'phase_start' && trial === null && params.trial_end === undefined) {
    params.billing_cycle_anchor = 'now';
  }
  if (
    phase.discounts.length > 0 &&
    (options.entering || !sameDiscounts(previous.discounts, phase.discounts))
  ) {
    const wanted = await discountParams(ctx, phase, sub);
    const current = sub.discounts.map((d) => idOf(d)).join(',');
    const redeems = wanted.some((d) => d.discount === undefined);
    if (redeems || wanted.map((d) => d.discount).join(',') !== current) params.discounts = wanted;
  }
  if (!changesSomething(params)) return {};
  params.proration_behavior = options.proration ?? (phase.proration_behavior as ProrationBehavior);
  if (options.offSession) params.off_session = true;
  return params;
}

/**
 * Puts a phase in force on the schedule's subscription through the subscription API, with the
 * phase's proration behaviour (or the request's). At a boundary the engine calls this before the
 * subscription renews, so a change at a period end is billed by the renewal. When the engine
 * cannot redeem a phase's discounts any more (a coupon that expired meanwhile), the phase still
 * begins, without them.
 */
export async function applyPhase(
  ctx: Ctx,
  schedule: Schedule,
  phase: Phase,
  options: ApplyOptions,
): Promise<void> {
  const id = idOf(schedule.subscription);
  if (!id) return;
  const sub = await requireSubscription(ctx, id);
  if (hasEnded(sub)) return;
  const params = await phaseUpdate(ctx, schedule, sub, phase, options);
  if (!changesSomething(params)) return;
  if (!options.offSession || params.discounts === undefined) {
    await updateSubscription(ctx, id, params, ENGINE);
    return;
  }
  // A refused change undoes only what it wrote: the engine then tries a smaller one instead of
  // failing the whole clock advance.
  const done = await undoable(ctx, () => updateSubscription(ctx, id, params, ENGINE));
  if (!(done instanceof Undone)) return;
  const { discounts: _dropped, ...rest } = params;
  if (changesSomething(rest)) await updateSubscription(ctx, id, rest, ENGINE);
}

/**
 * The first phase begins: the schedule's subscription is created from it, under the schedule.
 * When the engine starts it and the customer has no way to pay, the first invoice waits for
 * payment (`default_incomplete`) rather than the start failing.
 */
export async function startSubscription(
  ctx: Ctx,
  schedule: Schedule,
  phase: Phase,
  options: { offSession: boolean },
): Promise<Stripe.Subscription> {
  const customer = await requireCustomer(ctx, idOf(schedule.customer)!);
  const { method, days } = collectionOf(schedule, phase);
  const paymentMethod = paymentMethodOf(schedule, phase);
  const trial = phaseTrialEnd(phase);
  const description = phase.description ?? schedule.default_settings.description;
  const cannotPay =
    method === 'charge_automatically' &&
    trial === null &&
    paymentMethod === null &&
    !customer.invoice_settings?.default_payment_method;
  const params: CreateSubscriptionParams = {
    customer: customer.id,
    items: phase.items.map((item) => ({
      price: idOf(item.price)!,
      quantity: item.quantity ?? 1,
      metadata: item.metadata ?? undefined,
      ...(item.tax_rates?.length ? { tax_rates: rateIds(item.tax_rates) } : {}),
    })),
    ...(phase.default_tax_rates?.length ? { default_tax_rates: rateIds(phase.default_tax_rates) } : {}),
    collection_method: method,
    ...(days !== null ? { days_until_due: days } : {}),
    ...(paymentMethod !== null ? { default_payment_method: paymentMethod } : {}),
    ...(description !== null ? { description } : {}),
    ...(phase.discounts.length > 0 ? { discounts: await discountParams(ctx, phase, null) } : {}),
    ...(phase.metadata && Object.keys(phase.metadata).length > 0 ? { metadata: phase.metadata } : {}),
    ...(trial !== null ? { trial_end: trial } : {}),
    ...(schedule.end_behavior === 'cancel' ? { cancel_at: endOf(schedule) } : {}),
    ...(options.offSession ? { off_session: true } : {}),
    ...(options.offSession && cannotPay ? { payment_behavior: 'default_incomplete' as const } : {}),
  };
  if (!options.offSession || params.discounts === undefined) {
    return createSubscription(ctx, params, { schedule: schedule.id, ...ENGINE });
  }
  const made = await undoable(ctx, () =>
    createSubscription(ctx, params, { schedule: schedule.id, ...ENGINE }),
  );
  if (!(made instanceof Undone)) return made;
  const { discounts: _dropped, ...rest } = params;
  return createSubscription(ctx, rest, { schedule: schedule.id, ...ENGINE });
}

/**
 * With `end_behavior=cancel` the subscription carries the schedule's end as its `cancel_at`, as
 * on Stripe; switching to `release` (or releasing) takes it away again.
 */
export async function syncCancelDate(ctx: Ctx, schedule: Schedule, hadCancel: boolean): Promise<void> {
  const id = idOf(schedule.subscription);
  if (!id) return;
  const sub = await requireSubscription(ctx, id);
  if (hasEnded(sub)) return;
  const wanted = schedule.end_behavior === 'cancel' ? endOf(schedule) : null;
  if (wanted !== null && wanted > ctx.clock.now() && (sub.cancel_at !== wanted || sub.cancel_at_period_end)) {
    await updateSubscription(ctx, id, { cancel_at: wanted });
  } else if (wanted === null && hadCancel && (sub.cancel_at !== null || sub.cancel_at_period_end)) {
    await updateSubscription(ctx, id, { cancel_at: null });
  }
}

/** Sets (or clears) the subscription's `schedule`, with `customer.subscription.updated`. */
export async function linkSubscription(
  ctx: Ctx,
  subscriptionId: string,
  schedule: string | null,
): Promise<void> {
  const before = await requireSubscription(ctx, subscriptionId);
  if (idOf(before.schedule) === schedule) return;
  const sub = structuredClone(before);
  sub.schedule = schedule;
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
}
