import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { randomBase62 } from '../../src/core/ids.ts';

/**
 * The store a test runs on: a fresh SQLite file, or, when PORTICO_TEST_DATABASE_URL names a
 * PostgreSQL database, a fresh schema in it (dropped again by `dispose`).
 */
export interface TestStore {
  url: string;
  kind: 'sqlite' | 'postgres';
  dispose(): Promise<void>;
}

export function testStoreKind(): 'sqlite' | 'postgres' {
  return process.env.PORTICO_TEST_DATABASE_URL ? 'postgres' : 'sqlite';
}

export function freshStore(): TestStore {
  const base = process.env.PORTICO_TEST_DATABASE_URL;
  if (!base) {
    const dir = mkdtempSync(join(tmpdir(), 'portico-test-'));
    return { url: `sqlite:${join(dir, 'portico.db')}`, kind: 'sqlite', dispose: async () => undefined };
  }
  const schema = `t_${randomBase62(12).toLowerCase()}`;
  const url = new URL(base);
  url.searchParams.set('schema', schema);
  return {
    url: url.toString(),
    kind: 'postgres',
    async dispose() {
      const client = new pg.Client({ connectionString: base });
      await client.connect();
      try {
        await client.query(`drop schema if exists ${schema} cascade`);
      } finally {
        await client.end();
      }
    },
  };
}
