import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { cancelSubscription, hasEnded } from '../subscriptions/cancel.ts';
import { requireSubscription } from '../subscriptions/store.ts';
import { updateSubscription } from '../subscriptions/update.ts';
import { type ApplyOptions, applyPhase, linkSubscription, startSubscription } from './apply.ts';
import { idOf, saveSchedule } from './store.ts';

type Schedule = Stripe.SubscriptionSchedule;

/** The index of the phase the schedule is in (the one `current_phase` names), or -1. */
export function currentIndex(schedule: Schedule): number {
  const start = schedule.current_phase?.start_date;
  return start === undefined ? -1 : schedule.phases.findIndex((p) => p.start_date === start);
}

/** The schedule's subscription while it still runs, or null. */
export async function openSubscription(ctx: Ctx, schedule: Schedule): Promise<Stripe.Subscription | null> {
  const id = idOf(schedule.subscription);
  if (!id) return null;
  const sub = await requireSubscription(ctx, id);
  return hasEnded(sub) ? null : sub;
}

/** The first phase begins: the subscription is created and the schedule is `active`. */
export async function begin(ctx: Ctx, schedule: Schedule, options: { offSession: boolean }): Promise<void> {
  const phase = schedule.phases[0]!;
  const sub = await startSubscription(ctx, schedule, phase, options);
  schedule.status = 'active';
  schedule.subscription = sub.id;
  schedule.current_phase = { start_date: phase.start_date, end_date: phase.end_date };
}

/** The phase at `index` begins on the subscription. */
export async function enter(
  ctx: Ctx,
  schedule: Schedule,
  index: number,
  options: Omit<ApplyOptions, 'entering' | 'previous'>,
): Promise<void> {
  const phase = schedule.phases[index]!;
  await applyPhase(ctx, schedule, phase, { ...options, entering: true });
  schedule.current_phase = { start_date: phase.start_date, end_date: phase.end_date };
}

/**
 * Released: the schedule lets go of its subscription, which carries on by itself. The
 * cancellation date the schedule set (with `end_behavior=cancel`) goes too, unless
 * `preserve_cancel_date`.
 */
export async function release(
  ctx: Ctx,
  schedule: Schedule,
  before: Schedule,
  options: { preserveCancelDate: boolean },
): Promise<void> {
  const sub = await openSubscription(ctx, schedule);
  if (sub) {
    if (!options.preserveCancelDate && schedule.end_behavior === 'cancel' && sub.cancel_at !== null) {
      await updateSubscription(ctx, sub.id, { cancel_at: null });
    }
    await linkSubscription(ctx, sub.id, null);
  }
  schedule.status = 'released';
  schedule.released_at = ctx.clock.now();
  schedule.released_subscription = idOf(schedule.subscription);
  schedule.subscription = null;
  schedule.current_phase = null;
  await saveSchedule(ctx, schedule);
  await emitEvent(ctx, 'subscription_schedule.released', schedule, { before });
}

/** Canceled on request: the subscription is canceled with it (prorated and invoiced as asked). */
export async function cancel(
  ctx: Ctx,
  schedule: Schedule,
  before: Schedule,
  options: { prorate: boolean; invoiceNow: boolean },
): Promise<void> {
  schedule.status = 'canceled';
  schedule.canceled_at = ctx.clock.now();
  schedule.current_phase = null;
  // Saved first: the subscription's end then finds its schedule already over.
  await saveSchedule(ctx, schedule);
  await emitEvent(ctx, 'subscription_schedule.canceled', schedule, { before });
  const sub = await openSubscription(ctx, schedule);
  if (sub) {
    await cancelSubscription(ctx, sub.id, { prorate: options.prorate, invoice_now: options.invoiceNow });
  }
}

/**
 * The last phase is over: `release` leaves the subscription running (the schedule is
 * `released`), `cancel` cancels it (the schedule is `completed`).
 */
export async function finish(ctx: Ctx, schedule: Schedule, before: Schedule): Promise<void> {
  if (schedule.end_behavior !== 'cancel') {
    await release(ctx, schedule, before, { preserveCancelDate: false });
    return;
  }
  schedule.status = 'completed';
  schedule.completed_at = ctx.clock.now();
  schedule.current_phase = null;
  await saveSchedule(ctx, schedule);
  await emitEvent(ctx, 'subscription_schedule.completed', schedule, { before });
  const sub = await openSubscription(ctx, schedule);
  if (sub) await cancelSubscription(ctx, sub.id, {});
}
