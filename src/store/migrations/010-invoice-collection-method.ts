import { sql } from 'kysely';
import type { DialectMigration } from './shapes.ts';

/**
 * Invoices are listed by `collection_method`: the column is filled from each stored invoice, and
 * kept by the invoice store from then on.
 */
export const invoiceCollectionMethod: DialectMigration = (dialect) => ({
  async up(db) {
    await db.schema.alterTable('invoices').addColumn('collection_method', 'text').execute();
    const fromData =
      dialect === 'sqlite'
        ? sql`json_extract(data, '$.collection_method')`
        : sql`(data::json ->> 'collection_method')`;
    await sql`update invoices set collection_method = ${fromData}`.execute(db);
  },
});
