import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { errors } from '../../../core/errors.ts';
import { requireSubscription } from '../../subscriptions/lookup.ts';

type Subscription = Stripe.Subscription;
/** What a flow does to its subscription, which decides the states it accepts. */
export type FlowAction = 'cancel' | 'pause' | 'update';

const idOf = (value: string | { id: string } | null) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** Why the portal can only cancel this subscription, or null when it can also update it. */
function cancelOnly(subscription: Subscription): string | null {
  const items = subscription.items.data;
  const products = new Set(items.map((item) => idOf(item.price.product)));
  if (products.size > 1) return 'it has several products';
  if (items.some((item) => item.price.recurring?.usage_type === 'metered'))
    return 'it has usage-based prices';
  if (subscription.collection_method === 'send_invoice')
    return 'it is invoiced (collection_method=send_invoice)';
  return null;
}

function checkState(subscription: Subscription, action: FlowAction, param: string): void {
  const id = subscription.id;
  if (action === 'cancel' && (subscription.cancel_at_period_end || subscription.cancel_at !== null)) {
    throw errors.invalidRequest(`The subscription ${id} is already set to cancel.`, param);
  }
  if (action === 'pause') {
    if (subscription.status !== 'active') {
      throw errors.invalidRequest(
        `The subscription ${id} is ${subscription.status}: only active subscriptions can be paused.`,
        param,
      );
    }
    if (subscription.collection_method !== 'charge_automatically') {
      throw errors.invalidRequest(
        `The subscription ${id} is invoiced (collection_method=send_invoice): only subscriptions charged automatically can be paused.`,
        param,
      );
    }
  }
  if (action === 'update') {
    if (subscription.status !== 'active' && subscription.status !== 'trialing') {
      throw errors.invalidRequest(
        `The subscription ${id} is ${subscription.status}: only active or trialing subscriptions can be updated.`,
        param,
      );
    }
    const reason = cancelOnly(subscription);
    if (reason) {
      throw errors.invalidRequest(
        `The subscription ${id} cannot be updated in the portal because ${reason}; it can only be canceled.`,
        param,
      );
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
    throw errors.invalidRequest(
      `The subscription ${id} does not belong to the customer ${owner.customer}.`,
      param,
    );
  }
  if (owner.onBehalfOf !== null && idOf(subscription.on_behalf_of) !== owner.onBehalfOf) {
    throw errors.invalidRequest(
      `The subscription ${id} is not on behalf of ${owner.onBehalfOf}: a session with on_behalf_of reaches only that account's subscriptions.`,
      param,
    );
  }
  if (['canceled', 'incomplete', 'incomplete_expired'].includes(subscription.status)) {
    throw errors.invalidRequest(
      `The subscription ${id} is ${subscription.status}: the portal only acts on live subscriptions.`,
      param,
    );
  }
  if (subscription.schedule) {
    throw errors.invalidRequest(
      `The subscription ${id} is managed by the subscription schedule ${idOf(subscription.schedule)}: release the schedule before sending the customer to the portal.`,
      param,
    );
  }
  checkState(subscription, action, param);
  return subscription;
}
