import type { CompiledQuery } from 'kysely';
import type { Db } from './schema.ts';
import { syncReader, syncWriter } from './sqlite.ts';

interface Query<R> {
  compile(): CompiledQuery<R>;
  execute(): Promise<R[]>;
}

/**
 * Runs a built query. On an SQLite reader (never inside a transaction) the compiled SQL runs
 * synchronously on a cached statement, skipping Kysely's executor and connection queue; anywhere
 * else it runs through Kysely as usual.
 */
export async function selectRows<R>(db: Db, query: Query<R>): Promise<R[]> {
  const reader = syncReader(db);
  const handle = reader && !reader.raw.inTransaction ? reader : syncWriter(db);
  if (!handle) return query.execute();
  const compiled = query.compile();
  return handle.statement(compiled.sql).all(...compiled.parameters) as R[];
}

export async function selectFirst<R>(db: Db, query: Query<R>): Promise<R | undefined> {
  return (await selectRows(db, query))[0];
}
