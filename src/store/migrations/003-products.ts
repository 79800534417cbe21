import type { DialectMigration } from './index.ts';
import { listIndex, withSeq } from './shapes.ts';

export const products: DialectMigration = (dialect) => ({
  async up(db) {
    // Callers may choose a product's id, so ids are unique per account and mode, not globally.
    await withSeq(db.schema.createTable('products'), dialect)
      .addColumn('id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('created', 'bigint', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('shippable', 'integer')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .addUniqueConstraint('products_scope_id', ['account_id', 'livemode', 'id'])
      .execute();
    await listIndex(db, 'products');
  },
});
