import { type DialectMigration, listIndex, objectTable, scopedObjectTable } from './shapes.ts';

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

    // Codes are matched without regard to case: `code_key` is the code in lower case.
    await objectTable(db, 'promotion_codes', dialect)
      .addColumn('code_key', 'text', (c) => c.notNull())
      .addColumn('coupon', 'text', (c) => c.notNull())
      .addColumn('customer', 'text')
      .addColumn('active', 'integer', (c) => c.notNull())
      .execute();
    await listIndex(db, 'promotion_codes');
    await listIndex(db, 'promotion_codes', ['code_key']);
  },
});
