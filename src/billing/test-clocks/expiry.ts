import type { Logger } from 'pino';
import type Stripe from 'stripe';
import { automaticCtx } from '../../accounts/automatic.ts';
import type { Clock } from '../../core/clock.ts';
import type { Store } from '../../store/database.ts';
import { CLOCK_LIFETIME_SECONDS } from './lookup.ts';
import { removeClock } from './service.ts';

/** How often a running Portico looks for clocks past their lifetime. */
export const EXPIRY_SWEEP_MS = 60_000;

/**
 * Deletes every test clock whose 30 days are over, with its customers and their events, as
 * Stripe does. Reads already treat such clocks as gone; this makes it so, one clock per
 * transaction. Answers how many were deleted.
 */
export async function deleteExpiredClocks(store: Store, clock: Clock): Promise<number> {
  const due = await store.db
    .selectFrom('test_clocks')
    .select(['id', 'account_id'])
    .where('deleted', '=', 0)
    .where('livemode', '=', 0)
    .where('created', '<=', clock.now() - CLOCK_LIFETIME_SECONDS)
    .orderBy('seq')
    .execute();
  let deleted = 0;
  for (const row of due) {
    await store.write(async (db) => {
      const ctx = await automaticCtx(db, clock, { accountId: row.account_id, livemode: false });
      const found = await db
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
  store: Store,
  clock: Clock,
  log: Logger,
  everyMs = EXPIRY_SWEEP_MS,
): { stop(): Promise<void> } {
  let running: Promise<unknown> = Promise.resolve();
  const sweep = () => {
    running = running.then(() =>
      deleteExpiredClocks(store, clock).catch((err) =>
        log.error({ err }, 'deleting expired test clocks failed'),
      ),
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
