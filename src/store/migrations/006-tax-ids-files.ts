import { sql } from 'kysely';
import { type DialectMigration, listIndex, objectTable } from './shapes.ts';

export const taxIdsFiles: DialectMigration = (dialect) => ({
  async up(db) {
    // `owner` is `self`, a connected account's id or a customer's id (ids carry their prefix).
    await objectTable(db, 'tax_ids', dialect)
      .addColumn('owner', 'text', (c) => c.notNull())
      .execute();
    await listIndex(db, 'tax_ids', ['owner']);

    await objectTable(db, 'files', dialect)
      .addColumn('purpose', 'text', (c) => c.notNull())
      .execute();
    await listIndex(db, 'files');
    await listIndex(db, 'files', ['purpose']);
    // The bytes live apart from the object, so listing files never reads them.
    await db.schema
      .createTable('file_contents')
      .addColumn('file_id', 'text', (c) => c.primaryKey())
      .addColumn('content', dialect === 'sqlite' ? 'blob' : 'bytea', (c) => c.notNull())
      .execute();

    // `token` is the secret part of the link's public URL.
    await objectTable(db, 'file_links', dialect)
      .addColumn('file', 'text', (c) => c.notNull())
      .addColumn('token', 'text', (c) => c.notNull().unique())
      .execute();
    await listIndex(db, 'file_links');
    await listIndex(db, 'file_links', ['file']);

    // Deleted test clocks were kept as their deleted shape only; a column lets lists and the
    // 30-day expiry skip them.
    await db.schema
      .alterTable('test_clocks')
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`update test_clocks set deleted = 1 where data like ${'%"deleted":true%'}`.execute(db);
  },
});
