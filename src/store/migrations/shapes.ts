import type { CreateTableBuilder, Kysely, Migration } from 'kysely';
import type { Dialect } from '../schema.ts';

/** A migration; each receives the dialect so it can pick column types. */
export type DialectMigration = (dialect: Dialect) => Migration;

/** The creation sequence: SQLite's rowid alias, or a PostgreSQL identity column. */
export function withSeq<T extends string>(table: CreateTableBuilder<T>, dialect: Dialect) {
  return dialect === 'sqlite'
    ? table.addColumn('seq', 'integer', (c) => c.primaryKey())
    : table.addColumn('seq', 'bigint', (c) => c.primaryKey().generatedAlwaysAsIdentity());
}

/** The columns every resource table shares (see store/schema.ts). */
export function objectTable<T extends string>(db: Kysely<unknown>, name: T, dialect: Dialect) {
  return withSeq(db.schema.createTable(name), dialect)
    .addColumn('id', 'text', (c) => c.notNull().unique())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('livemode', 'integer', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull());
}

/** Lists are scoped by account and mode and walk (created, seq) newest first. */
export async function listIndex(db: Kysely<unknown>, table: string, extra: string[] = []) {
  await db.schema
    .createIndex([table, 'list', ...extra].join('_'))
    .on(table)
    .columns(['account_id', 'livemode', ...extra, 'created', 'seq'])
    .execute();
}

/**
 * A resource table whose ids callers may choose (products, coupons): ids are unique per account
 * and mode rather than globally.
 */
export function scopedObjectTable<T extends string>(db: Kysely<unknown>, name: T, dialect: Dialect) {
  return withSeq(db.schema.createTable(name), dialect)
    .addColumn('id', 'text', (c) => c.notNull())
    .addColumn('account_id', 'text', (c) => c.notNull())
    .addColumn('livemode', 'integer', (c) => c.notNull())
    .addColumn('created', 'bigint', (c) => c.notNull())
    .addColumn('data', 'text', (c) => c.notNull())
    .addUniqueConstraint(`${name}_scope_id`, ['account_id', 'livemode', 'id']);
}
