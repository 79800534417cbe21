import type { Logger } from 'pino';
import type { Operations } from '../../operations/runner.ts';
import type { Db, Store } from '../../store/database.ts';
import { DUE_TABLES, type DueRow, runDueRow } from './due.ts';

interface DueOnRealClock extends DueRow {
  accountId: string;
  livemode: boolean;
}

const BATCH = 50;
/** A piece of work that failed is tried again this much later. */
const RETRY_FAILED_SECONDS = 3600;

/** Work due on the real clock (objects of customers without a test clock), any account, oldest first. */
async function dueNow(db: Db, now: number): Promise<DueOnRealClock[]> {
  const rows: DueOnRealClock[] = [];
  for (const table of DUE_TABLES) {
    const found = await db
      .selectFrom(table)
      .select(['id', 'account_id', 'livemode', 'next_action_at'])
      .where('test_clock', '=', '')
      .where('next_action_at', 'is not', null)
      .where('next_action_at', '<=', now)
      .orderBy('next_action_at')
      .limit(BATCH)
      .execute();
    for (const r of found) {
      rows.push({
        table,
        id: r.id,
        at: Number(r.next_action_at),
        accountId: r.account_id,
        livemode: r.livemode === 1,
      });
    }
  }
  // At one instant: schedules (a phase starting at a period end), then subscriptions, the ends of
  // pauses, then invoices.
  const order = (t: DueRow['table']) => DUE_TABLES.indexOf(t);
  return rows.sort((a, b) => a.at - b.at || order(a.table) - order(b.table));
}

/**
 * Claims one piece of work inside the transaction that does it: the row must still be due at the
 * same moment (another process may have done it since it was listed). On PostgreSQL the row is
 * locked, and a row another process holds is skipped rather than waited for, so two processes
 * never bill the same period twice. On SQLite the single writer gives the same guarantee.
 */
async function claim(db: Db, due: DueOnRealClock, dialect: Store['dialect']): Promise<boolean> {
  let q = db.selectFrom(due.table).select('id').where('id', '=', due.id).where('next_action_at', '=', due.at);
  if (dialect === 'postgres') q = q.forUpdate().skipLocked();
  return (await q.executeTakeFirst()) !== undefined;
}

/**
 * Runs billing for customers on the real clock: renewals, trial ends, draft finalization and
 * payment retries as their time comes, each piece in its own transaction and at its own moment
 * (a renewal late by a minute is still dated on the period boundary).
 */
export class BillingWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private stopped = false;

  constructor(
    private readonly ops: Operations,
    private readonly options: { pollMs: number },
    private readonly log: Logger,
  ) {}

  private get store(): Store {
    return this.ops.store;
  }

  start(): void {
    const tick = () => {
      this.running = this.running
        .then(async () => {
          await this.runOnce();
        })
        .catch((err) => this.log.error({ err }, 'billing worker failed'))
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(tick, this.options.pollMs).unref();
        });
    };
    tick();
  }

  /** Does everything due now; answers how many pieces of work ran. */
  async runOnce(): Promise<number> {
    let done = 0;
    for (;;) {
      const due = await dueNow(this.store.db, this.ops.env.clock.now());
      if (due.length === 0 || this.stopped) return done;
      let progressed = false;
      for (const row of due) {
        if (this.stopped) return done;
        let ran = false;
        try {
          const scope = { accountId: row.accountId, livemode: row.livemode };
          ran = await this.ops.automatic(scope, (ctx) => runDueRow(ctx, row), {
            at: row.at,
            claim: (db) => claim(db, row, this.store.dialect),
          });
        } catch (error) {
          // One piece that fails (a bug, or data it cannot handle) must not stop the others, nor
          // be retried every poll: it is logged and put off for an hour.
          this.log.error(
            { err: error, table: row.table, id: row.id },
            'billing work failed, retrying in an hour',
          );
          await this.postpone(row);
          continue;
        }
        if (ran) {
          done++;
          progressed = true;
        }
      }
      // Everything listed was taken by another process: look again on the next tick.
      if (!progressed) return done;
    }
  }

  private async postpone(row: DueOnRealClock): Promise<void> {
    await this.store
      .write((db) =>
        db
          .updateTable(row.table)
          .set({ next_action_at: row.at + RETRY_FAILED_SECONDS })
          .where('id', '=', row.id)
          .where('next_action_at', '=', row.at)
          .execute(),
      )
      .catch((err) =>
        this.log.error({ err, table: row.table, id: row.id }, 'postponing billing work failed'),
      );
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearTimeout(this.timer);
    await this.running;
  }
}
