import type { Logger } from 'pino';
import type Stripe from 'stripe';
import type { Operations } from '../../operations/runner.ts';
import { CLOCK_LIFETIME_SECONDS } from './lookup.ts';
import { removeClock } from './service.ts';

/** How often a running Portico looks for clocks past their lifetime. */
export const EXPIRY_SWEEP_MS = 60_000;

/**
 * Deletes every test clock whose 30 days are over, with its customers and their events, as
 * Stripe does. Reads already treat such clocks as gone; this makes it so, one clock per
 * transaction. Answers how many were deleted.
 */
export async function deleteExpiredClocks(ops: Operations): Promise<number> {
  const due = await ops.store.db
    .selectFrom('test_clocks')
    .select(['id', 'account_id'])
    .where('deleted', '=', 0)
    .where('livemode', '=', 0)
    .where('created', '<=', ops.env.clock.now() - CLOCK_LIFETIME_SECONDS)
    .orderBy('seq')
    .execute();
  let deleted = 0;
  for (const row of due) {
    await ops.automatic({ accountId: row.account_id, livemode: false }, async (ctx) => {
      const found = await ctx.db
        .selectFrom('test_clocks')
        .select('data')
        .where('id', '=', row.id)
        .where('deleted', '=', 0)
        .executeTakeFirst();
      // Deleted by a request in the meantime.
      if (!found) return;
      await removeClock(ctx, JSON.parse(found.data) as Stripe.TestHelpers.TestClock);
      deleted++;
    });
  }
  return deleted;
}

/**
 * Runs the sweep at start and then every minute, one at a time; `stop` ends it and waits for a
 * sweep under way. Failures are logged, not fatal: the next sweep tries again.
 */
export function startClockExpiry(
  ops: Operations,
  log: Logger,
  everyMs = EXPIRY_SWEEP_MS,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = running.then(() =>
      deleteExpiredClocks(ops).catch((err) => log.error({ err }, 'deleting expired test clocks failed')),
    );
  };
  sweep();
  const timer = setInterval(sweep, everyMs);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await running;
    },
  };
}
