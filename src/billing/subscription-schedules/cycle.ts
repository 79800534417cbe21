import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { hasEnded } from '../subscriptions/cancel.ts';
import { requireSubscription } from '../subscriptions/store.ts';
import { abortSchedule } from './ended.ts';
import { begin, currentIndex, enter, finish } from './lifecycle.ts';
import { EXPIRY_NOTICE_SECONDS, endOf, idOf, saveSchedule } from './store.ts';

/**
 * What a schedule does when its time comes (`dueAt`, on the customer's clock): it starts (its
 * subscription is created), moves to its next phase, or ends by its `end_behavior`; seven days
 * before the end it sends `subscription_schedule.expiring`. One step per call, like the
 * subscription engine; a schedule due at the same instant as its subscription runs first, so a
 * phase that begins at a period end is what the renewal bills.
 */
export async function runSchedule(
  ctx: Ctx,
  schedule: Stripe.SubscriptionSchedule,
  dueAt: number,
): Promise<void> {
  const now = ctx.clock.now();
  const before = structuredClone(schedule);
  if (schedule.status === 'not_started') {
    if (now >= schedule.phases[0]!.start_date) {
      await begin(ctx, schedule, { offSession: true });
      await saveSchedule(ctx, schedule);
      await emitEvent(ctx, 'subscription_schedule.updated', schedule, { before });
    } else await saveSchedule(ctx, schedule);
    return;
  }
  if (schedule.status !== 'active' || !schedule.current_phase) {
    await saveSchedule(ctx, schedule);
    return;
  }
  // A subscription that ended unnoticed (it expired unpaid) takes its schedule with it.
  const id = idOf(schedule.subscription);
  const sub = id ? await requireSubscription(ctx, id) : null;
  if (!sub || hasEnded(sub)) {
    await abortSchedule(ctx, schedule, sub);
    return;
  }
  const notice = dueAt === endOf(schedule) - EXPIRY_NOTICE_SECONDS && now < endOf(schedule);
  if (now >= schedule.current_phase.end_date) {
    const next = currentIndex(schedule) + 1;
    if (next >= schedule.phases.length) {
      await finish(ctx, schedule, before);
      return;
    }
    await enter(ctx, schedule, next, { offSession: true });
    await saveSchedule(ctx, schedule);
    await emitEvent(ctx, 'subscription_schedule.updated', schedule, { before });
  } else await saveSchedule(ctx, schedule);
  if (notice) await emitEvent(ctx, 'subscription_schedule.expiring', schedule);
}
