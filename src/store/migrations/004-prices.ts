import { type DialectMigration, listIndex, objectTable } from './shapes.ts';

export const prices: DialectMigration = (dialect) => ({
  async up(db) {
    // `lookup_key` is unique per account and mode; NULLs (no key) never collide on either store.
    await objectTable(db, 'prices', dialect)
      .addColumn('product', 'text', (c) => c.notNull())
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('currency', 'text', (c) => c.notNull())
      .addColumn('lookup_key', 'text')
      .addColumn('recurring_interval', 'text')
      .addColumn('usage_type', 'text')
      .addUniqueConstraint('prices_lookup_key', ['account_id', 'livemode', 'lookup_key'])
      .execute();
    await listIndex(db, 'prices');
    await listIndex(db, 'prices', ['product']);
  },
});
