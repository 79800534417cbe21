import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCustomer } from '../customers/service.ts';
import { mergeCancellationDetails } from './cancellation-details.ts';
import { deleteSubscriptionDiscount } from './discounts.ts';
import { endSubscription } from './end.ts';
import { issueInvoice } from './invoicing.ts';
import type { CancelSubscriptionParams } from './params.ts';
import { creditUnusedTime } from './proration.ts';
import { currentPeriod } from './schedule.ts';
import { requireSubscription, saveSubscription } from './store.ts';
import { ctxForCustomer } from './time.ts';

/** Whether the subscription has ended (nothing more can be done to it but metadata). */
export function hasEnded(sub: Stripe.Subscription): boolean {
  return sub.status === 'canceled' || sub.status === 'incomplete_expired';
}

/**
 * `DELETE /v1/subscriptions/:id`: ends it now. With `prorate`, the unused time of the period is
 * credited (a pending proration item); with `invoice_now`, a final invoice takes the pending items
 * (that credit, and anything else pending) at once; a negative total becomes customer credit.
 */
export async function cancelSubscription(
  base: Ctx,
  id: string,
  params: CancelSubscriptionParams,
): Promise<Stripe.Subscription> {
  const found = await requireSubscription(base, id);
  if (hasEnded(found)) {
    throw fail('subscription_cancel_ended', { subscription: id });
  }
  const customer = await requireCustomer(base, String(found.customer));
  const ctx = await ctxForCustomer(base, customer);
  const sub = structuredClone(found);
  const now = ctx.clock.now();
  const period = currentPeriod(sub);
  if (params.prorate && sub.status !== 'trialing' && now > period.start && now < period.end) {
    await creditUnusedTime(ctx, sub, customer, period, now);
  }
  if (params.invoice_now) {
    await issueInvoice(ctx, sub, {
      billingReason: 'subscription_update',
      lines: [],
      period: { start: period.start, end: now },
      immediate: true,
      collect: true,
      offSession: true,
    });
  }
  const details = params.cancellation_details
    ? await mergeCancellationDetails(ctx, sub.cancellation_details, params.cancellation_details)
    : sub.cancellation_details;
  return endSubscription(ctx, sub, found, { ...details, reason: 'cancellation_requested' });
}

/** `DELETE /v1/subscriptions/:id/discount`. */
export async function deleteDiscount(base: Ctx, id: string): Promise<Stripe.DeletedDiscount> {
  const before = await requireSubscription(base, id);
  const customer = await requireCustomer(base, String(before.customer));
  const ctx = await ctxForCustomer(base, customer);
  const removed = await deleteSubscriptionDiscount(ctx, before);
  if (!removed) {
    throw fail('subscription_discount_missing', { subscription: id });
  }
  await saveSubscription(ctx, removed.sub, before);
  await emitEvent(ctx, 'customer.subscription.updated', removed.sub, { before });
  return removed.deleted;
}
