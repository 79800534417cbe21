import type Stripe from 'stripe';
import { fixedClock } from '../../core/clock.ts';
import type { Ctx } from '../../core/context.ts';
import { customerNow } from '../test-clocks/lookup.ts';

/** Clocks fixed at a moment: work done there (a schedule's phase change) must not leave it. */
const placed = new WeakSet<Ctx['clock']>();

/** The same context, with "now" fixed at `t`: work the engine does at a moment of a clock. */
export function ctxAt(ctx: Ctx, t: number): Ctx {
  const at = { ...ctx, clock: fixedClock(t) };
  placed.add(at.clock);
  return at;
}

/** The context on a customer's time: its test clock's frozen time when it has one. */
export async function ctxForCustomer(ctx: Ctx, customer: Pick<Stripe.Customer, 'test_clock'>): Promise<Ctx> {
  if (!customer.test_clock || placed.has(ctx.clock)) return ctx;
  return ctxAt(ctx, await customerNow(ctx, customer));
}
