import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { findObject } from '../../../store/objects.ts';
import { releaseSchedule } from '../../subscription-schedules/service.ts';
import type { ScheduleOwner } from './eligibility.ts';

/**
 * The schedules the hosted portal makes to hold a change until the period ends (§9.5
 * `schedule_at_period_end`). They are ordinary schedules on the API; the row's
 * `portal_configuration` column (no API field) tells them from a merchant's, so the portal may
 * replace or cancel its own pending change while a merchant's schedule blocks it, as on Stripe.
 */

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** Marks a schedule as the portal's, made under a configuration. */
export async function markPortalSchedule(ctx: Ctx, scheduleId: string, configuration: string): Promise<void> {
  await ctx.db
    .updateTable('subscription_schedules')
    .set({ portal_configuration: configuration })
    .where('id', '=', scheduleId)
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .execute();
}

/** Whether the schedule was made by the hosted portal. */
export async function isPortalSchedule(ctx: Ctx, scheduleId: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('subscription_schedules')
    .select('portal_configuration')
    .where('id', '=', scheduleId)
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .executeTakeFirst();
  return row?.portal_configuration !== null && row?.portal_configuration !== undefined;
}

/** Who drives a subscription's schedule: nothing, the portal (its pending change) or someone else. */
export async function scheduleOwner(ctx: Ctx, sub: Stripe.Subscription): Promise<ScheduleOwner> {
  const id = idOf(sub.schedule);
  if (!id) return 'none';
  return (await isPortalSchedule(ctx, id)) ? 'portal' : 'foreign';
}

/** A change the portal holds until the period end: the price and quantity it brings, and when. */
export interface PendingChange {
  schedule: Stripe.SubscriptionSchedule;
  price: Stripe.Price;
  quantity: number;
  /** When it applies: the end of the current period. */
  date: number;
}

/**
 * The subscription's pending portal change, or null (no schedule, a merchant's schedule, or the
 * portal's schedule already in its second phase: the change has happened).
 */
export async function portalPendingChange(ctx: Ctx, sub: Stripe.Subscription): Promise<PendingChange | null> {
  const id = idOf(sub.schedule);
  if (!id || !(await isPortalSchedule(ctx, id))) return null;
  const schedule = await findObject<Stripe.SubscriptionSchedule>(
    ctx.db,
    'subscription_schedules',
    ctx.scope,
    id,
  );
  if (schedule?.status !== 'active' || schedule.phases.length < 2) return null;
  const [first, next] = schedule.phases;
  if (schedule.current_phase?.start_date !== first!.start_date) return null;
  const item = next!.items[0];
  const price = item
    ? await findObject<Stripe.Price>(ctx.db, 'prices', ctx.scope, idOf(item.price as string) ?? '')
    : undefined;
  if (!price) return null;
  return { schedule, price, quantity: item!.quantity ?? 1, date: next!.start_date };
}

/**
 * Lets go of the portal's schedule on a subscription (the pending change is dropped; the
 * subscription carries on as it is). A merchant's schedule is never touched.
 */
export async function releasePortalSchedule(ctx: Ctx, sub: Stripe.Subscription): Promise<boolean> {
  const id = idOf(sub.schedule);
  if (!id || !(await isPortalSchedule(ctx, id))) return false;
  await releaseSchedule(ctx, id, {});
  return true;
}
