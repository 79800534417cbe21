import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { errors, fail } from '../../../core/errors.ts';
import { findObject } from '../../../store/objects.ts';
import { currentPeriod } from '../../subscriptions/schedule.ts';
import type { ScheduleOwner } from './eligibility.ts';
import { ownedBy, type PortalScope } from './overview.ts';
import { scheduleOwner } from './portal-schedules.ts';

type Subscription = Stripe.Subscription;
type Configuration = Stripe.BillingPortal.Configuration;

/** What the portal offers to do to a subscription (contract §9.4): cancel, renew, pause, resume. */
export type SubscriptionAction = 'cancel' | 'renew' | 'pause' | 'resume';

/** Why an action is not offered: the subscription has ended, is already set to cancel, or does not qualify. */
export type Unavailable = 'ended' | 'cancel_pending' | 'not_eligible';

/**
 * Portico rule: every status the portal lists may be cancelled, a paused or unpaid subscription
 * included (nothing more is charged for it either way).
 */
export const CANCELLABLE: readonly Subscription['status'][] = [
  'active',
  'trialing',
  'past_due',
  'unpaid',
  'paused',
];

/**
 * A merchant's schedule stops the portal from cancelling (contract §9.12, 2: a schedule-driven
 * update would be lost). The portal's own pending change does not: cancelling drops it.
 * `owner` defaults to treating any schedule as a merchant's.
 */
export function blocksCancellation(
  sub: Subscription,
  owner: ScheduleOwner = sub.schedule ? 'foreign' : 'none',
): boolean {
  return owner === 'foreign';
}

const ended = (sub: Subscription) =>
  sub.status === 'canceled' || sub.status === 'incomplete' || sub.status === 'incomplete_expired';
const cancelPending = (sub: Subscription) => sub.cancel_at_period_end || sub.cancel_at !== null;

/**
 * Whether the configuration and the subscription's state allow the action now, or why not.
 * Renewing withdraws a cancellation at the period end while that end is still ahead; pausing
 * needs an active subscription that charges automatically (resuming charges it) without a
 * schedule; resuming, a pause the customer asked for.
 */
export function unavailability(
  config: Configuration,
  sub: Subscription,
  action: SubscriptionAction,
  now: number,
  owner?: ScheduleOwner,
): Unavailable | null {
  if (ended(sub)) return 'ended';
  const features = config.features;
  switch (action) {
    case 'cancel':
      if (!features.subscription_cancel.enabled) return 'not_eligible';
      if (cancelPending(sub)) return 'cancel_pending';
      return CANCELLABLE.includes(sub.status) && !blocksCancellation(sub, owner) ? null : 'not_eligible';
    case 'renew':
      return features.subscription_cancel.enabled && sub.cancel_at_period_end && now < currentPeriod(sub).end
        ? null
        : 'not_eligible';
    case 'pause':
      if (!features.subscription_pause.enabled) return 'not_eligible';
      if (cancelPending(sub)) return 'cancel_pending';
      return sub.status === 'active' && sub.collection_method === 'charge_automatically' && !sub.schedule
        ? null
        : 'not_eligible';
    case 'resume':
      return features.subscription_pause.enabled &&
        sub.status === 'paused' &&
        sub.collection_method === 'charge_automatically' &&
        sub.status_details?.paused?.subscription.type === 'pause_requested'
        ? null
        : 'not_eligible';
  }
}

/** The actions the homepage offers on a subscription, in the order it shows them. */
export function subscriptionActions(
  config: Configuration,
  sub: Subscription,
  now: number,
  owner?: ScheduleOwner,
): SubscriptionAction[] {
  const order: SubscriptionAction[] = ['renew', 'resume', 'pause', 'cancel'];
  return order.filter((action) => unavailability(config, sub, action, now, owner) === null);
}

/**
 * One of the session's subscriptions (its customer's, and `on_behalf_of`'s when set), whatever
 * its state; any other id, or one of another customer or account, is a page that does not exist.
 */
export async function portalSubscription(ctx: Ctx, portal: PortalScope, id: string): Promise<Subscription> {
  const found = await findObject<Subscription>(ctx.db, 'subscriptions', ctx.scope, id);
  if (!found || !ownedBy(portal)(found)) throw errors.noSuchPath('subscription', id);
  return found;
}

/** The subscription, refused with its reason when the action is not available now. */
export async function requireActionable(
  ctx: Ctx,
  portal: PortalScope,
  id: string,
  action: SubscriptionAction,
): Promise<Subscription> {
  const sub = await portalSubscription(ctx, portal, id);
  const reason = unavailability(
    portal.configuration,
    sub,
    action,
    ctx.clock.now(),
    await scheduleOwner(ctx, sub),
  );
  if (reason) throw fail('portal_subscription_action_unavailable', { subscription: id, action, reason });
  return sub;
}
