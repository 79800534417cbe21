import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import type { PortalCancelOnlyReason } from '../../../core/error-codes.ts';
import { fail } from '../../../core/errors.ts';
import { requireSubscription } from '../../subscriptions/lookup.ts';
import { isPortalSchedule } from '../hosted/portal-schedules.ts';

type Subscription = Stripe.Subscription;
/** What a flow does to its subscription, which decides the states it accepts. */
export type FlowAction = 'cancel' | 'pause' | 'update';

const idOf = (value: string | { id: string } | null) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** Why the portal can only cancel this subscription, or null when it can also update it. */
function cancelOnly(subscription: Subscription): PortalCancelOnlyReason | null {
  const items = subscription.items.data;
  const products = new Set(items.map((item) => idOf(item.price.product)));
  if (products.size > 1) return 'several_products';
  if (items.some((item) => item.price.recurring?.usage_type === 'metered')) return 'usage_based';
  if (subscription.collection_method === 'send_invoice') return 'send_invoice';
  return null;
}

function checkState(subscription: Subscription, action: FlowAction, param: string): void {
  const id = subscription.id;
  if (action === 'cancel' && (subscription.cancel_at_period_end || subscription.cancel_at !== null)) {
    throw fail('portal_subscription_cancel_pending', { subscription: id }, param);
  }
  if (action === 'pause') {
    if (subscription.status !== 'active') {
      throw fail(
        'portal_subscription_pause_not_active',
        { subscription: id, status: subscription.status },
        param,
      );
    }
    if (subscription.collection_method !== 'charge_automatically') {
      throw fail('portal_subscription_pause_send_invoice', { subscription: id }, param);
    }
  }
  if (action === 'update') {
    if (subscription.status !== 'active' && subscription.status !== 'trialing') {
      throw fail(
        'portal_subscription_update_not_active',
        { subscription: id, status: subscription.status },
        param,
      );
    }
    const reason = cancelOnly(subscription);
    if (reason) {
      throw fail('portal_subscription_update_unsupported', { subscription: id, reason }, param);
    }
  }
}

/**
 * The subscription of a flow: the session's customer's (and `on_behalf_of`'s, when given), live,
 * free of schedules, and in a state that allows the flow's action.
 */
export async function requireFlowSubscription(
  ctx: Ctx,
  id: string,
  param: string,
  action: FlowAction,
  owner: { customer: string; onBehalfOf: string | null },
): Promise<Subscription> {
  const subscription = await requireSubscription(ctx, id, param);
  if (idOf(subscription.customer) !== owner.customer) {
    throw fail('portal_subscription_other_customer', { subscription: id, customer: owner.customer }, param);
  }
  if (owner.onBehalfOf !== null && idOf(subscription.on_behalf_of) !== owner.onBehalfOf) {
    throw fail('portal_subscription_other_account', { subscription: id, account: owner.onBehalfOf }, param);
  }
  if (['canceled', 'incomplete', 'incomplete_expired'].includes(subscription.status)) {
    throw fail('portal_subscription_ended', { subscription: id, status: subscription.status }, param);
  }
  // The portal's own pending change does not block a flow (a new change or a cancel replaces it).
  const schedule = idOf(subscription.schedule);
  if (schedule && !(await isPortalSchedule(ctx, schedule))) {
    throw fail(
      'portal_subscription_scheduled',
      { subscription: id, schedule: idOf(subscription.schedule) },
      param,
    );
  }
  checkState(subscription, action, param);
  return subscription;
}
