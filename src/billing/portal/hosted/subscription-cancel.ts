import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { fail } from '../../../core/errors.ts';
import { findObject } from '../../../store/objects.ts';
import { requireCoupon } from '../../coupons/service.ts';
import { cancelSubscription } from '../../subscriptions/cancel.ts';
import { productNames } from '../../subscriptions/invoicing.ts';
import type { UpdateSubscriptionParams } from '../../subscriptions/params.ts';
import { prorationsOf } from '../../subscriptions/proration.ts';
import { currentPeriod } from '../../subscriptions/schedule.ts';
import { updateSubscription } from '../../subscriptions/update.ts';
import type { PortalScope } from './overview.ts';
import { releasePortalSchedule } from './portal-schedules.ts';
import { portalSubscription, requireActionable } from './subscription-actions.ts';

/**
 * Cancelling in the hosted portal (contract §9.6): what cancelling would do, shown before the
 * customer confirms; the retention coupon a `subscription_cancel` flow may offer first; the
 * cancellation itself through the API's own update or cancel; then the optional reasons.
 */

type Subscription = Stripe.Subscription;
type Feedback = NonNullable<NonNullable<UpdateSubscriptionParams['cancellation_details']>['feedback']>;

/** What confirming would do: end at the period end, or now with the unused time credited or not. */
export interface CancelOutcome {
  mode: 'at_period_end' | 'immediately';
  /** When the subscription ends: the period end, or now. */
  endsAt: number;
  /** The credit for unused time (a positive amount in minor units), when the configuration prorates. */
  credit: { amount: number; currency: string } | null;
}

const prorates = (portal: PortalScope) =>
  portal.configuration.features.subscription_cancel.proration_behavior === 'create_prorations';

/**
 * The outcome of cancelling now, computed as the cancellation will: with `create_prorations`,
 * the same proration lines `DELETE /v1/subscriptions/:id` with `prorate` writes (none during a
 * trial, which was not charged).
 */
export async function cancelOutcome(
  ctx: Ctx,
  portal: PortalScope,
  sub: Subscription,
): Promise<CancelOutcome> {
  const feature = portal.configuration.features.subscription_cancel;
  const now = ctx.clock.now();
  const period = currentPeriod(sub);
  if (feature.mode === 'at_period_end') return { mode: 'at_period_end', endsAt: period.end, credit: null };
  if (!prorates(portal) || sub.status === 'trialing' || now <= period.start || now >= period.end) {
    return { mode: 'immediately', endsAt: now, credit: null };
  }
  const names = await productNames(ctx, sub);
  const changes = sub.items.data.map((item) => ({
    from: { item, price: item.price, quantity: item.quantity ?? 1 },
    to: null,
  }));
  const total = prorationsOf(names, period, now, changes).reduce((sum, p) => sum + p.amount, 0);
  return {
    mode: 'immediately',
    endsAt: now,
    credit: total < 0 ? { amount: -total, currency: sub.currency } : null,
  };
}

/**
 * Cancels as the configuration says, through the API's own functions so the same objects and
 * events follow: `at_period_end` is `cancel_at_period_end=true` (one
 * `customer.subscription.updated`); `immediately` is a cancellation now
 * (`customer.subscription.deleted`), with `create_prorations` crediting the unused time on a
 * final invoice at once (Portico rule: the credit lands on the customer's balance, for the next
 * invoice, rather than waiting as a pending item).
 */
export async function cancelFromPortal(ctx: Ctx, portal: PortalScope, id: string): Promise<Subscription> {
  const sub = await requireActionable(ctx, portal, id, 'cancel');
  // The portal's own pending change (a downgrade at the period end) goes with the cancellation.
  await releasePortalSchedule(ctx, sub);
  if (portal.configuration.features.subscription_cancel.mode === 'at_period_end') {
    return updateSubscription(ctx, id, { cancel_at_period_end: true });
  }
  return prorates(portal)
    ? cancelSubscription(ctx, id, { prorate: true, invoice_now: true })
    : cancelSubscription(ctx, id, {});
}

/** Withdraws a cancellation at the period end (`cancel_at_period_end=false`), before that end. */
export async function renewFromPortal(ctx: Ctx, portal: PortalScope, id: string): Promise<Subscription> {
  await requireActionable(ctx, portal, id, 'renew');
  return updateSubscription(ctx, id, { cancel_at_period_end: false });
}

/** The reasons step: the configured options and the account's active feedback options. */
export interface ReasonChoices {
  options: Feedback[];
  feedbackOptions: { id: string; description: string }[];
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** What the reasons step offers, or null when the configuration does not ask for reasons. */
export async function reasonChoices(ctx: Ctx, portal: PortalScope): Promise<ReasonChoices | null> {
  const reason = portal.configuration.features.subscription_cancel.cancellation_reason;
  if (!reason.enabled) return null;
  const feedbackOptions: ReasonChoices['feedbackOptions'] = [];
  // In the configuration's order; one deactivated since is no longer offered.
  for (const ref of reason.feedback_options ?? []) {
    const option = await findObject<Stripe.Billing.FeedbackOption>(
      ctx.db,
      'billing_feedback_options',
      ctx.scope,
      idOf(ref) ?? '',
    );
    if (option?.status === 'active') feedbackOptions.push({ id: option.id, description: option.description });
  }
  return { options: reason.options as Feedback[], feedbackOptions };
}

/** What the customer chose on the reasons step (already trimmed; absent when left empty). */
export interface ReasonInput {
  /** One of the configured options, or `option:<feedback option id>`. */
  choice?: string;
  comment?: string;
}

/** Portico rule: the reasons step follows a cancellation the customer just made. */
const cancelled = (sub: Subscription) =>
  sub.cancellation_details?.reason === 'cancellation_requested' &&
  (sub.status === 'canceled' || sub.cancel_at_period_end);

/**
 * Records the reasons in `cancellation_details` through the API's update (one
 * `customer.subscription.updated`). A choice the step did not offer is refused on its field and
 * nothing is written; nothing chosen and no comment writes nothing.
 */
export async function recordReasons(
  ctx: Ctx,
  portal: PortalScope,
  id: string,
  input: ReasonInput,
): Promise<Subscription | null> {
  const sub = await portalSubscription(ctx, portal, id);
  const choices = await reasonChoices(ctx, portal);
  if (!choices || !cancelled(sub)) {
    throw fail('portal_subscription_action_unavailable', {
      subscription: id,
      action: 'cancel',
      reason: 'not_eligible',
    });
  }
  const details: NonNullable<UpdateSubscriptionParams['cancellation_details']> = {};
  if (input.choice?.startsWith('option:')) {
    const option = input.choice.slice('option:'.length);
    if (!choices.feedbackOptions.some((o) => o.id === option))
      throw fail('parameter_invalid_empty', {}, 'reason');
    details.feedback_option = option;
  } else if (input.choice) {
    if (!choices.options.includes(input.choice as Feedback))
      throw fail('parameter_invalid_empty', {}, 'reason');
    details.feedback = input.choice as Feedback;
  }
  if (input.comment) details.comment = input.comment.slice(0, 5000);
  if (Object.keys(details).length === 0) return null;
  return updateSubscription(ctx, id, { cancellation_details: details });
}

/** The coupon a `subscription_cancel` flow offers to keep this subscription, or null. */
export async function retentionOffer(
  ctx: Ctx,
  portal: PortalScope,
  sub: Subscription,
): Promise<Stripe.Coupon | null> {
  const flow = portal.session.flow;
  const offer = flow?.type === 'subscription_cancel' ? flow.subscription_cancel : null;
  const couponId = offer?.subscription === sub.id ? offer.retention?.coupon_offer?.coupon : undefined;
  if (!couponId) return null;
  // Portico rules: at most once per subscription, only a valid coupon it does not already carry.
  const answered = await ctx.db
    .selectFrom('portal_retention_offers')
    .select('outcome')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('subscription', '=', sub.id)
    .executeTakeFirst();
  if (answered) return null;
  const coupon = await requireCoupon(ctx, couponId).catch(() => null);
  if (!coupon?.valid) return null;
  for (const ref of sub.discounts) {
    const discount = await findObject<Stripe.Discount>(ctx.db, 'discounts', ctx.scope, idOf(ref) ?? '');
    if (discount && idOf(discount.source.coupon) === coupon.id) return null;
  }
  return coupon;
}

async function recordAnswer(ctx: Ctx, sub: string, coupon: string, outcome: 'accepted' | 'declined') {
  await ctx.db
    .insertInto('portal_retention_offers')
    .values({
      account_id: ctx.scope.accountId,
      livemode: ctx.scope.livemode ? 1 : 0,
      subscription: sub,
      coupon,
      outcome,
      answered_at: ctx.clock.now(),
    })
    .execute();
}

/**
 * The customer's answer to the retention offer. Accepting adds the coupon to the subscription's
 * discounts through the API's update and cancels nothing; declining lets the cancellation go on.
 * Either answer is final for this subscription.
 */
export async function answerRetention(
  ctx: Ctx,
  portal: PortalScope,
  id: string,
  accept: boolean,
): Promise<Subscription> {
  const sub = await requireActionable(ctx, portal, id, 'cancel');
  const coupon = await retentionOffer(ctx, portal, sub);
  if (!coupon) throw fail('portal_retention_unavailable', { subscription: id });
  await recordAnswer(ctx, id, coupon.id, accept ? 'accepted' : 'declined');
  if (!accept) return sub;
  const kept = sub.discounts.map((d) => ({ discount: idOf(d)! }));
  return updateSubscription(ctx, id, { discounts: [...kept, { coupon: coupon.id }] });
}
