import Database from 'better-sqlite3';
import type { SqliteDatabase, SqliteStatement } from 'kysely';
import type { Db } from './schema.ts';

/**
 * better-sqlite3 behind Kysely, with prepared statements kept and reused: Kysely prepares every
 * query anew, which costs more than running a primary-key lookup. The cache is bounded; query
 * shapes are few, so it rarely evicts.
 */
const CACHE_SIZE = 500;

export interface SqliteHandle {
  raw: Database.Database;
  /** What Kysely's dialect is given: prepare() answers from the statement cache. */
  kysely: SqliteDatabase;
  /** The cached statement for this SQL, for synchronous reads outside Kysely. */
  statement(sql: string): Database.Statement;
  /** The same, answering the first column of the first row alone (no row object is built). */
  value(sql: string): Database.Statement;
}

export function openSqlite(path: string, options: { readonly: boolean }): SqliteHandle {
  const raw = new Database(path, { readonly: options.readonly });
  if (!options.readonly) {
    raw.pragma('journal_mode = WAL');
    // WAL + NORMAL survives a process crash; only an OS crash may lose the last commits.
    raw.pragma('synchronous = NORMAL');
    raw.pragma('foreign_keys = ON');
    raw.pragma('cache_size = -16000');
  }
  raw.pragma('busy_timeout = 5000');
  const cache = (prepare: (sql: string) => Database.Statement) => {
    const statements = new Map<string, Database.Statement>();
    return (sql: string) => {
      let cached = statements.get(sql);
      if (!cached) {
        cached = prepare(sql);
        statements.set(sql, cached);
        if (statements.size > CACHE_SIZE) statements.delete(statements.keys().next().value!);
      }
      return cached;
    };
  };
  const statement = cache((sql) => raw.prepare(sql));
  const value = cache((sql) => raw.prepare(sql).pluck());
  const kysely: SqliteDatabase = {
    close: () => raw.close(),
    prepare: (sql: string) => statement(sql) as unknown as SqliteStatement,
  };
  return { raw, kysely, statement, value };
}

/**
 * SQLite reader connections by their Kysely handle. A reader never holds a transaction, so the
 * hottest lookups may run on it synchronously, skipping Kysely's query building and its
 * connection queue.
 */
const syncReaders = new WeakMap<Db, SqliteHandle>();

export function syncReader(db: Db): SqliteHandle | undefined {
  return syncReaders.get(db);
}

export function registerSyncReader(db: Db, handle: SqliteHandle): void {
  syncReaders.set(db, handle);
}

/**
 * The SQLite writer connection behind each savepoint handle the write batcher hands out. Work in
 * a write transaction may run its hottest statements on it directly (same connection, same
 * transaction), skipping Kysely's query building, which costs more than the statements themselves
 * when a clock advance renews thousands of subscriptions.
 */
const syncWriters = new WeakMap<Db, SqliteHandle>();

export function syncWriter(db: Db): SqliteHandle | undefined {
  return syncWriters.get(db);
}

export function registerSyncWriter(db: Db, handle: SqliteHandle): void {
  syncWriters.set(db, handle);
}
