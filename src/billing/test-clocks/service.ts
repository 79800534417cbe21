import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery } from '../../core/list.ts';
import { emitEvent, withBufferedEvents } from '../../events/emit.ts';
import { insertObject, listObjectTexts, lockObject, updateObject } from '../../store/objects.ts';
import { deleteCustomer, requireCustomer } from '../customers/service.ts';
import { runClockUntil } from '../engine/clock.ts';
import { addInterval } from '../math/periods.ts';
import { CLOCK_LIFETIME_SECONDS, requireClock } from './lookup.ts';
import type { AdvanceClockParams, CreateClockParams, ListClockParams } from './params.ts';

type Clock = Stripe.TestHelpers.TestClock;

function testModeOnly(ctx: Ctx): void {
  if (ctx.scope.livemode) {
    throw fail('test_clock_live_mode', {});
  }
}

export async function createClock(ctx: Ctx, params: CreateClockParams): Promise<Clock> {
  testModeOnly(ctx);
  const created = ctx.clock.now();
  const clock: Clock = {
    id: newId('clock'),
    object: 'test_helpers.test_clock',
    created,
    deletes_after: created + CLOCK_LIFETIME_SECONDS,
    frozen_time: params.frozen_time,
    livemode: false,
    name: params.name ?? null,
    status: 'ready',
    status_details: {},
  };
  await insertObject(ctx.db, 'test_clocks', ctx.scope, clock, { deleted: 0 });
  await emitEvent(ctx, 'test_helpers.test_clock.created', clock);
  if (params.customer !== undefined) {
    // Once attached, a customer stays on its clock.
    const before = await requireCustomer(ctx, params.customer, 'customer');
    if (before.test_clock) {
      throw fail('test_clock_customer_attached', { customer: before.id }, 'customer');
    }
    const customer: Stripe.Customer = { ...before, test_clock: clock.id };
    await updateObject(ctx.db, 'customers', ctx.scope, customer, { test_clock: clock.id });
    await emitEvent(ctx, 'customer.updated', customer, { before });
  }
  return clock;
}

export async function listClocks(ctx: Ctx, params: ListClockParams): Promise<JsonText<ListObject<Clock>>> {
  testModeOnly(ctx);
  // Clocks past their lifetime are left out even before the expiry sweep has deleted them.
  const page = await listObjectTexts(ctx.db, 'test_clocks', ctx.scope, pageQuery(params), {
    deleted: 0,
    created: { gt: ctx.clock.now() - CLOCK_LIFETIME_SECONDS },
  });
  return listJson<Clock>(page, '/v1/test_helpers/test_clocks');
}

/**
 * Moves the clock forward. Portico does the work due in between (renewals, trial ends, invoice
 * finalization, payment retries) within the request, emitting `advancing` then `ready`; the
 * answer is the clock once ready, so code that polls until `ready` works unchanged.
 */
export async function advanceClock(ctx: Ctx, id: string, params: AdvanceClockParams): Promise<Clock> {
  testModeOnly(ctx);
  await requireClock(ctx, id);
  // The clock's row is held until this advance commits: a second advance of the same clock is
  // refused while this one runs (on PostgreSQL; SQLite runs one write at a time), so the work due
  // in between is done once. The clock is read again once held: another advance may have ended.
  if (!(await lockObject(ctx.db, 'test_clocks', ctx.scope, id))) {
    throw fail('test_clock_advancing', { clock: id });
  }
  const before = await requireClock(ctx, id);
  if (before.status !== 'ready') {
    throw fail('test_clock_advancing', { clock: id });
  }
  if (params.frozen_time <= before.frozen_time) {
    throw fail('test_clock_time_backwards', { frozenTime: before.frozen_time }, 'frozen_time');
  }
  const limit = await advanceLimit(ctx, before);
  if (params.frozen_time > limit.at) {
    throw fail(
      'test_clock_advance_too_far',
      { limit: limit.at, subscriptions: limit.subscriptions },
      'frozen_time',
    );
  }
  const advancing: Clock = {
    ...before,
    status: 'advancing',
    status_details: { advancing: { target_frozen_time: params.frozen_time } },
  };
  await emitEvent(ctx, 'test_helpers.test_clock.advancing', advancing, { before });
  // Everything due on the clock in between runs now, in time order, each at its own moment.
  await withBufferedEvents(ctx, (inner) => runClockUntil(inner, id, params.frozen_time));
  const ready: Clock = { ...before, frozen_time: params.frozen_time, status: 'ready', status_details: {} };
  await updateObject(ctx.db, 'test_clocks', ctx.scope, ready);
  await emitEvent(ctx, 'test_helpers.test_clock.ready', ready, { before: advancing });
  return ready;
}

/** Subscriptions in these states never bill again, so they do not bound an advance. */
const ENDED: Stripe.Subscription.Status[] = ['canceled', 'incomplete_expired'];

/**
 * How far Stripe lets a clock go in one advance: two intervals of the shortest live subscription
 * of its customers, counted on the calendar from the current frozen time (two months from 31 Jan
 * is 31 Mar); two years when it has none.
 */
async function advanceLimit(ctx: Ctx, clock: Clock): Promise<{ at: number; subscriptions: boolean }> {
  const rows = await ctx.db
    .selectFrom('subscriptions')
    .select('data')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', 0)
    .where('test_clock', '=', clock.id)
    .where('status', 'not in', ENDED)
    .execute();
  let at = Number.POSITIVE_INFINITY;
  for (const row of rows) {
    const subscription = JSON.parse(row.data) as Stripe.Subscription;
    for (const item of subscription.items.data) {
      const recurring = item.price.recurring;
      if (!recurring) continue;
      at = Math.min(at, addInterval(clock.frozen_time, recurring.interval, recurring.interval_count, 2));
    }
  }
  if (at !== Number.POSITIVE_INFINITY) return { at, subscriptions: true };
  return { at: addInterval(clock.frozen_time, 'year', 1, 2), subscriptions: false };
}

/** Deleting a clock deletes the customers on it, as Stripe does. */
export async function deleteClock(ctx: Ctx, id: string): Promise<Stripe.TestHelpers.DeletedTestClock> {
  testModeOnly(ctx);
  return removeClock(ctx, await requireClock(ctx, id));
}

/** Deletes a clock and its customers, emitting their events: on request, or when its lifetime ends. */
export async function removeClock(ctx: Ctx, clock: Clock): Promise<Stripe.TestHelpers.DeletedTestClock> {
  const id = clock.id;
  const customers = await ctx.db
    .selectFrom('customers')
    .select('id')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', 0)
    .where('test_clock', '=', id)
    .where('deleted', '=', 0)
    .execute();
  for (const { id: customer } of customers) await deleteCustomer(ctx, customer);
  const deleted: Stripe.TestHelpers.DeletedTestClock = {
    id,
    object: 'test_helpers.test_clock',
    deleted: true,
  };
  await updateObject(ctx.db, 'test_clocks', ctx.scope, deleted, { deleted: 1 });
  await emitEvent(ctx, 'test_helpers.test_clock.deleted', clock);
  return deleted;
}
