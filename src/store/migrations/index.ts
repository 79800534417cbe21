import { type Kysely, type Migration, type MigrationProvider, Migrator } from 'kysely';
import type { Dialect } from '../database.ts';
import type { Tables } from '../schema.ts';
import { initial } from './001-initial.ts';
import { webhooks } from './002-webhooks.ts';

/** Every migration, in order. Each receives the dialect so it can pick column types. */
export type DialectMigration = (dialect: Dialect) => Migration;

const migrations: Record<string, DialectMigration> = {
  '001-initial': initial,
  '002-webhooks': webhooks,
};

export async function migrateToLatest(db: Kysely<Tables>, dialect: Dialect, schema?: string): Promise<void> {
  const provider: MigrationProvider = {
    getMigrations: async () =>
      Object.fromEntries(Object.entries(migrations).map(([name, make]) => [name, make(dialect)])),
  };
  const { error, results } = await new Migrator({
    db,
    provider,
    ...(schema ? { migrationTableSchema: schema } : {}),
  }).migrateToLatest();
  if (error) {
    const failed = results?.find((r) => r.status === 'Error')?.migrationName ?? 'unknown';
    throw new Error(`database migration ${failed} failed: ${(error as Error).message ?? error}`);
  }
}
