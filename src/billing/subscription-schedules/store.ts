import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';

type Schedule = Stripe.SubscriptionSchedule;

const DAY = 86_400;
/** Stripe sends `subscription_schedule.expiring` seven days before a schedule ends. */
export const EXPIRY_NOTICE_SECONDS = 7 * DAY;

export const idOf = (v: unknown): string | null =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : (v as { id: string }).id;

/** A schedule still in charge: it may start, move to its next phase, end, be released or canceled. */
export function isOpen(schedule: Schedule): boolean {
  return schedule.status === 'not_started' || schedule.status === 'active';
}

/** When the last phase ends: the schedule's own end. */
export function endOf(schedule: Schedule): number {
  return schedule.phases[schedule.phases.length - 1]!.end_date;
}

/**
 * When the engine next has work for a schedule, seen at `now`: its start, the end of its current
 * phase (the next phase begins, or the schedule ends), and the expiry notice while it is ahead.
 */
export function nextActionAt(schedule: Schedule, now: number): number | null {
  if (schedule.status === 'not_started') return schedule.phases[0]?.start_date ?? null;
  if (schedule.status !== 'active' || !schedule.current_phase) return null;
  const due = [schedule.current_phase.end_date];
  const notice = endOf(schedule) - EXPIRY_NOTICE_SECONDS;
  if (notice > now) due.push(notice);
  return Math.min(...due);
}

function indexed(schedule: Schedule, now: number) {
  return {
    customer: idOf(schedule.customer) ?? '',
    subscription: idOf(schedule.subscription),
    status: schedule.status,
    test_clock: idOf(schedule.test_clock) ?? '',
    next_action_at: nextActionAt(schedule, now),
    canceled_at: schedule.canceled_at,
    completed_at: schedule.completed_at,
    released_at: schedule.released_at,
  };
}

export async function insertSchedule(ctx: Ctx, schedule: Schedule): Promise<void> {
  await insertObject(
    ctx.db,
    'subscription_schedules',
    ctx.scope,
    schedule,
    indexed(schedule, ctx.clock.now()),
  );
}

export async function saveSchedule(ctx: Ctx, schedule: Schedule): Promise<void> {
  await updateObject(
    ctx.db,
    'subscription_schedules',
    ctx.scope,
    schedule,
    indexed(schedule, ctx.clock.now()),
  );
}

export function findSchedule(ctx: Ctx, id: string): Promise<Schedule | undefined> {
  return findObject<Schedule>(ctx.db, 'subscription_schedules', ctx.scope, id);
}

/** A schedule for a path (404) or a param (400). */
export async function requireSchedule(ctx: Ctx, id: string, param?: string): Promise<Schedule> {
  const found = await findSchedule(ctx, id);
  if (!found) {
    throw param
      ? errors.noSuchParam('subscription_schedule', id, param)
      : errors.noSuchPath('subscription_schedule', id);
  }
  return found;
}

/** Stripe's refusal of a change to a schedule that has ended. */
export function notOpen(schedule: Schedule, action: string): Error {
  return fail('schedule_status_forbids', { action, status: schedule.status });
}
