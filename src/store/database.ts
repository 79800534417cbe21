import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import type { StoreUrl } from '../config.ts';
import { WriteBatcher } from './batch.ts';
import { DeferredReadGuard, deferredChecks } from './deferred-guard.ts';
import { migrateToLatest } from './migrations/index.ts';
import type { Tables } from './schema.ts';
import { openSqlite, type SqliteHandle } from './sqlite.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Tables>;

export interface Store {
  /** Reads and writes; transactions run here. */
  db: Db;
  /**
   * Reads of committed data for GET requests. On SQLite a second connection (WAL lets it read while
   * the writer holds a transaction, and it never sees uncommitted rows); on PostgreSQL the same pool.
   */
  read: Db;
  /** Runs work in a write transaction (on SQLite, committed together with concurrent work). */
  write<T>(work: (tx: Db) => Promise<T>): Promise<T>;
  dialect: Dialect;
  display: string;
  close(): Promise<void>;
}

/**
 * A PostgreSQL URL may carry `schema=<name>` (checked by config.ts): Portico then keeps its tables
 * in that schema (created if missing), so several Portico instances can share one database.
 */
function splitSchema(url: string): { url: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  return { url: parsed.toString(), schema };
}

/** Checks of the store's rules that run in development and tests only. */
const guards = () => (deferredChecks ? [new DeferredReadGuard()] : []);

export async function openStore(target: StoreUrl): Promise<Store> {
  if (target.kind === 'sqlite') {
    if (target.path !== ':memory:') mkdirSync(dirname(target.path), { recursive: true });
    const writer = openSqlite(target.path, { readonly: false });
    const db = new Kysely<Tables>({
      dialect: new SqliteDialect({ database: writer.kysely }),
      plugins: guards(),
    });
    await migrateToLatest(db, 'sqlite');
    // An in-memory database is private to its connection, so it has no separate reader.
    let read = db;
    if (target.path !== ':memory:') {
      const reader = openSqlite(target.path, { readonly: true });
      read = new Kysely<Tables>({ dialect: new SqliteDialect({ database: reader.kysely }) });
      syncReaders.set(read, reader);
    }
    const batcher = new WriteBatcher(db, writer);
    return {
      db,
      read,
      write: (work) => batcher.run(work),
      dialect: 'sqlite',
      display: target.display,
      close: async () => {
        if (read !== db) await read.destroy();
        await db.destroy();
      },
    };
  }
  const { url, schema } = splitSchema(target.url);
  // Loaded only when PostgreSQL is used, so the SQLite default does not carry the driver.
  const pg = (await import('pg')).default;
  // int8 (bigint) arrives as a string by default; our bigints are timestamps and sequences.
  const pgTypes = {
    getTypeParser: (oid: number, format?: string) =>
      oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
  };
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }), plugins: guards() });
  if (schema) {
    // Two processes starting together on a new schema may both try to create it.
    await sql`create schema if not exists ${sql.id(schema)}`.execute(db).catch((e: { code?: string }) => {
      if (e.code !== '23505' && e.code !== '42P06') throw e;
    });
  }
  await migrateToLatest(db, 'postgres');
  return {
    db,
    read: db,
    write: (work) => db.transaction().execute(work),
    dialect: 'postgres',
    display: target.display,
    close: () => db.destroy(),
  };
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

/** Which SQL dialect a handle (or a transaction on it) speaks. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}
