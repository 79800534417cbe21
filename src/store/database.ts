import Database from 'better-sqlite3';
import { Kysely, PostgresDialect, SqliteAdapter, SqliteDialect, sql } from 'kysely';
import pg from 'pg';
import type { StoreUrl } from '../config.ts';
import { migrateToLatest } from './migrations/index.ts';
import type { Tables } from './schema.ts';

export type Dialect = 'sqlite' | 'postgres';
export type Db = Kysely<Tables>;

export interface Store {
  db: Db;
  dialect: Dialect;
  display: string;
  close(): Promise<void>;
}

/** int8 (bigint) arrives as a string by default; our bigints are timestamps and sequences. */
const pgTypes = {
  getTypeParser: (oid: number, format?: string) =>
    oid === 20 ? (v: string) => Number(v) : pg.types.getTypeParser(oid, format as 'text'),
};

/**
 * A PostgreSQL URL may carry `schema=<name>`: Portico then keeps its tables in that schema
 * (created if missing), so several Portico instances can share one database.
 */
function splitSchema(url: string): { url: string; schema: string | undefined } {
  const parsed = new URL(url);
  const schema = parsed.searchParams.get('schema') ?? undefined;
  parsed.searchParams.delete('schema');
  if (schema !== undefined && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
    throw new Error(`schema "${schema}" must be a lower-case SQL identifier`);
  }
  return { url: parsed.toString(), schema };
}

export async function openStore(target: StoreUrl): Promise<Store> {
  if (target.kind === 'sqlite') {
    if (target.path !== ':memory:') {
      const { mkdirSync } = await import('node:fs');
      const { dirname } = await import('node:path');
      mkdirSync(dirname(target.path), { recursive: true });
    }
    const sqlite = new Database(target.path);
    sqlite.pragma('journal_mode = WAL');
    // WAL + NORMAL is durable across process crashes; only an OS crash may lose the last commits.
    sqlite.pragma('synchronous = NORMAL');
    sqlite.pragma('busy_timeout = 5000');
    sqlite.pragma('foreign_keys = ON');
    const db = new Kysely<Tables>({ dialect: new SqliteDialect({ database: sqlite }) });
    await migrateToLatest(db, 'sqlite');
    return { db, dialect: 'sqlite', display: target.display, close: () => db.destroy() };
  }
  const { url, schema } = splitSchema(target.url);
  const pool = new pg.Pool({
    connectionString: url,
    max: 10,
    types: pgTypes,
    ...(schema ? { options: `-c search_path=${schema}` } : {}),
  });
  const db = new Kysely<Tables>({ dialect: new PostgresDialect({ pool }) });
  if (schema) await sql`create schema if not exists ${sql.id(schema)}`.execute(db);
  await migrateToLatest(db, 'postgres');
  return { db, dialect: 'postgres', display: target.display, close: () => db.destroy() };
}

/** Which SQL dialect a handle (or a transaction on it) speaks. */
export function dialectOf(db: Db): Dialect {
  return db.getExecutor().adapter instanceof SqliteAdapter ? 'sqlite' : 'postgres';
}
