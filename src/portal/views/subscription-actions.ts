import type Stripe from 'stripe';
import type { ScheduleOwner } from '../../billing/portal/hosted/eligibility.ts';
import type { PortalScope } from '../../billing/portal/hosted/overview.ts';
import { subscriptionActions } from '../../billing/portal/hosted/subscription-actions.ts';
import type { SubscriptionActionView } from '../ui/index.ts';
import { sessionBase } from './chrome.ts';

const _idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** The path of an action's page for a subscription. */
export const actionPath = (base: string, subscription: string, action: string) =>
  `${base}/subscriptions/${subscription}/${action}`;

/** The homepage's links to the actions allowed on a subscription now. */
export function subscriptionActionViews(
  portal: PortalScope,
  sub: Stripe.Subscription,
  base = sessionBase(portal.session.id),
  owner?: ScheduleOwner,
): SubscriptionActionView[] {
  return subscriptionActions(portal.configuration, sub, portal.now, owner).map((kind) => ({
    kind,
    url: actionPath(base, sub.id, kind),
  }));
}

/** A coupon as the retention offer words it. */
export function retentionDiscount(coupon: Stripe.Coupon) {
  return {
    percentOff: coupon.percent_off,
    amountOff:
      coupon.amount_off !== null && coupon.currency
        ? { amount: coupon.amount_off, currency: coupon.currency }
        : null,
    duration: coupon.duration as 'once' | 'repeating' | 'forever',
    months: coupon.duration_in_months,
  };
}
