import type { Db } from './schema.ts';
import { registerSyncWriter, type SqliteHandle } from './sqlite.ts';

/**
 * Group commit for SQLite. A commit costs more than the writes it seals (each dirty page is
 * written to the WAL), and SQLite runs one write transaction at a time anyway, so concurrent write
 * requests are run one after another inside one transaction, each in its own savepoint, and
 * committed together. A request whose work fails rolls back to its savepoint alone. Every caller
 * learns its outcome only after the commit, so nothing is reported done before it is durable.
 *
 * Work given here must use only the handle it is passed: the connection is held by the batch.
 */
interface Job {
  work: (tx: Db) => Promise<unknown>;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
}

type Outcome = { ok: true; value: unknown } | { ok: false; error: unknown };

const MAX_BATCH = 64;

export class WriteBatcher {
  private queue: Job[] = [];
  private draining = false;

  constructor(
    private readonly db: Db,
    private readonly writer: SqliteHandle,
  ) {}

  run<T>(work: (tx: Db) => Promise<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      if (!this.draining) {
        this.draining = true;
        // better-sqlite3 never yields, so a batch started at once would only ever hold one job.
        // Waiting for the check phase lets every request read in this turn of the event loop join.
        setImmediate(() => void this.drain());
      }
    });
  }

  private async drain(): Promise<void> {
    try {
      while (this.queue.length > 0) await this.runBatch(this.queue.splice(0, MAX_BATCH));
    } finally {
      this.draining = false;
    }
  }

  private async runBatch(batch: Job[]): Promise<void> {
    const outcomes: Outcome[] = [];
    try {
      const trx = await this.db.startTransaction().execute();
      try {
        for (const job of batch) {
          const savepoint = await trx.savepoint('job').execute();
          registerSyncWriter(savepoint, this.writer);
          try {
            const value = await job.work(savepoint);
            outcomes.push({ ok: true, value });
          } catch (error) {
            await savepoint.rollbackToSavepoint('job').execute();
            outcomes.push({ ok: false, error });
          }
          await savepoint.releaseSavepoint('job').execute();
        }
        await trx.commit().execute();
      } catch (error) {
        await trx
          .rollback()
          .execute()
          .catch(() => undefined);
        throw error;
      }
    } catch (error) {
      for (const job of batch) job.reject(error);
      return;
    }
    batch.forEach((job, i) => {
      const outcome = outcomes[i]!;
      if (outcome.ok) job.resolve(outcome.value);
      else job.reject(outcome.error);
    });
  }
}
