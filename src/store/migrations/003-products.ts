import type { DialectMigration } from './index.ts';
import { listIndex, scopedObjectTable } from './shapes.ts';

export const products: DialectMigration = (dialect) => ({
  async up(db) {
    await scopedObjectTable(db, 'products', dialect)
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('shippable', 'integer')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('url', 'text')
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await listIndex(db, 'products');

    await scopedObjectTable(db, 'coupons', dialect)
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await listIndex(db, 'coupons');
  },
});
