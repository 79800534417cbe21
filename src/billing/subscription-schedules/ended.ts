import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { findSchedule, idOf, isOpen, saveSchedule } from './store.ts';

/**
 * The schedule's subscription ended without the schedule ending it (canceled through the API,
 * by dunning, or expired unpaid): the schedule is canceled with it. Stripe calls a schedule
 * canceled by a subscription's delinquency `aborted`; either way its status is `canceled`.
 * The subscriptions module calls this when one of its subscriptions ends, so it imports nothing
 * from there.
 */
export async function abortSchedule(
  ctx: Ctx,
  schedule: Stripe.SubscriptionSchedule,
  sub: Stripe.Subscription | null,
): Promise<void> {
  if (!isOpen(schedule)) return;
  const before = structuredClone(schedule);
  schedule.status = 'canceled';
  schedule.canceled_at = ctx.clock.now();
  schedule.current_phase = null;
  await saveSchedule(ctx, schedule);
  const delinquent =
    sub?.cancellation_details?.reason === 'payment_failed' || sub?.status === 'incomplete_expired';
  await emitEvent(
    ctx,
    delinquent ? 'subscription_schedule.aborted' : 'subscription_schedule.canceled',
    schedule,
    {
      before,
    },
  );
}

/** Called as a subscription ends: its schedule, if one still manages it, ends too. */
export async function subscriptionEnded(ctx: Ctx, sub: Stripe.Subscription): Promise<void> {
  const id = idOf(sub.schedule);
  if (!id) return;
  const schedule = await findSchedule(ctx, id);
  if (!schedule || idOf(schedule.subscription) !== sub.id) return;
  await abortSchedule(ctx, schedule, sub);
}
