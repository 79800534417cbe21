import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { findObject } from '../../store/objects.ts';

/** Stripe allows three customers on one test clock. */
export const MAX_CUSTOMERS_PER_CLOCK = 3;

/** Stripe deletes a test clock, and everything on it, 30 days after it was made. */
export const CLOCK_LIFETIME_SECONDS = 30 * 24 * 60 * 60;

export async function requireClock(
  ctx: Ctx,
  id: string,
  param?: string,
): Promise<Stripe.TestHelpers.TestClock> {
  const clock = await findObject<Stripe.TestHelpers.TestClock & { deleted?: true }>(
    ctx.db,
    'test_clocks',
    ctx.scope,
    id,
  );
  // A clock past `deletes_after` is gone even before the expiry sweep has deleted it.
  if (!clock || clock.deleted || clock.deletes_after <= ctx.clock.now()) {
    throw param ? errors.noSuchParam('test_clock', id, param) : errors.noSuchPath('test_clock', id);
  }
  return clock;
}

/** How many customers a clock has; refuses one more beyond Stripe's limit. */
export async function checkClockRoom(ctx: Ctx, clockId: string): Promise<void> {
  const row = await ctx.db
    .selectFrom('customers')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('test_clock', '=', clockId)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  if (Number(row?.n ?? 0) >= MAX_CUSTOMERS_PER_CLOCK) {
    throw fail('test_clock_full', { clock: clockId, max: MAX_CUSTOMERS_PER_CLOCK }, 'test_clock');
  }
}

/**
 * "Now" for a customer's objects: its test clock's frozen time when it has one, the server's
 * clock otherwise. Everything that happens to a clock customer's objects is dated by this.
 */
export async function customerNow(
  ctx: Ctx,
  customer: { test_clock?: string | Stripe.TestHelpers.TestClock | null },
): Promise<number> {
  const clock = customer.test_clock;
  if (!clock) return ctx.clock.now();
  const id = typeof clock === 'string' ? clock : clock.id;
  const found = await findObject<Stripe.TestHelpers.TestClock>(ctx.db, 'test_clocks', ctx.scope, id);
  return found ? found.frozen_time : ctx.clock.now();
}
