import type Stripe from 'stripe';
import { fixedClock } from '../../core/clock.ts';
import type { Ctx } from '../../core/context.ts';
import { customerNow } from '../test-clocks/lookup.ts';

/** The same context, with "now" fixed at `t`: work the engine does at a moment of a clock. */
export function ctxAt(ctx: Ctx, t: number): Ctx {
  return { ...ctx, clock: fixedClock(t) };
}

/** The context on a customer's time: its test clock's frozen time when it has one. */
export async function ctxForCustomer(ctx: Ctx, customer: Pick<Stripe.Customer, 'test_clock'>): Promise<Ctx> {
  if (!customer.test_clock) return ctx;
  return ctxAt(ctx, await customerNow(ctx, customer));
}
