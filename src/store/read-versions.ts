import type { Db } from './schema.ts';

/**
 * Optimistic concurrency for PostgreSQL. A change reads an object, edits it in memory and writes it
 * back; two transactions doing that to one object at once (two metadata updates, an API update and
 * a renewal, two redemptions of one promotion code) would each write over the other's change, since
 * READ COMMITTED takes no lock on a read. So a write transaction remembers the stored text of each
 * object it reads, and writes an object back only if the row still holds that text; when it no
 * longer does, the transaction is run again from the start on the newer state (store/retry.ts).
 * Reads take no locks, so concurrent requests that only read a price or a product never wait.
 *
 * SQLite needs none of this: its single writer runs one change at a time.
 */
const versions = new WeakMap<Db, Map<string, string>>();

/**
 * Transactions run again after losing a race: they lock what they read (`FOR UPDATE`), so that
 * when many changes crowd one object they queue for it instead of racing again and again.
 */
const locking = new WeakSet<Db>();

export function lockReadsOf(db: Db): void {
  locking.add(db);
}

export function locksReads(db: Db): boolean {
  return locking.has(db);
}

/** Records the text a write transaction read an object as (the key names table, scope and id). */
export function rememberRead(db: Db, key: string, text: string): void {
  if (!db.isTransaction) return;
  const seen = versions.get(db) ?? new Map<string, string>();
  versions.set(db, seen);
  seen.set(key, text);
}

/** The text this transaction last read or wrote the object as, if it did. */
export function readVersion(db: Db, key: string): string | undefined {
  return versions.get(db)?.get(key);
}

/** Another transaction changed an object between this one's read and its write. */
export class ConcurrentUpdate extends Error {
  constructor(readonly key: string) {
    super(`concurrent update of ${key}`);
  }
}
