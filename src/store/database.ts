import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import { WriteBatcher } from './batch.ts';
import { DeferredReadGuard, deferredChecks } from './deferred-guard.ts';
import { migrateToLatest } from './migrations/index.ts';
import { lockReadsOf } from './read-versions.ts';
import { retryingRaces } from './retry.ts';
import type { Db, Dialect, Tables } from './schema.ts';
import { openSqlite, registerSyncReader } from './sqlite.ts';

export type { Db, Dialect };

/** Where the data lives: an SQLite file (or memory) or a PostgreSQL connection string. */
export type StoreUrl =
  | { kind: 'sqlite'; path: string; display: string }
  | { kind: 'postgres'; url: string; display: string };

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
      registerSyncReader(read, reader);
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
    write: (work) =>
      retryingRaces((attempt) =>
        db.transaction().execute((tx) => {
          if (attempt > 1) lockReadsOf(tx);
          return work(tx);
        }),
      ),
    dialect: 'postgres',
    display: target.display,
    close: () => db.destroy(),
  };
}

/** Which SQL dialect a handle (or a transaction on it) speaks. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}
