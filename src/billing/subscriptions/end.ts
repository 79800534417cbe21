import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { subscriptionEnded } from '../subscription-schedules/ended.ts';
import { saveSubscription } from './store.ts';

/**
 * A subscription ends: status `canceled`, `ended_at` and `canceled_at` now (unless it was set
 * earlier, by a request to cancel later), no more work for the engine, and a
 * `customer.subscription.deleted` event.
 */
export async function endSubscription(
  ctx: Ctx,
  sub: Stripe.Subscription,
  before: Stripe.Subscription,
  details: Partial<Stripe.Subscription.CancellationDetails> = {},
): Promise<Stripe.Subscription> {
  const now = ctx.clock.now();
  sub.status = 'canceled';
  sub.ended_at = now;
  sub.canceled_at = sub.canceled_at ?? now;
  sub.cancel_at_period_end = false;
  sub.cancellation_details = {
    comment: details.comment ?? sub.cancellation_details?.comment ?? null,
    feedback: details.feedback ?? sub.cancellation_details?.feedback ?? null,
    feedback_option: details.feedback_option ?? sub.cancellation_details?.feedback_option ?? null,
    reason: details.reason ?? sub.cancellation_details?.reason ?? 'cancellation_requested',
  };
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.deleted', sub, { before });
  // A schedule still managing it ends with it.
  if (sub.schedule) await subscriptionEnded(ctx, sub);
  return sub;
}
