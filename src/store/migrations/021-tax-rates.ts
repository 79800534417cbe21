import { type DialectMigration, listIndex, objectTable } from './shapes.ts';

/**
 * Tax rates. `active` and `inclusive` are columns because the list filters on them; a rate is
 * never deleted (Stripe archives it with `active=false`).
 */
export const taxRates: DialectMigration = (dialect) => ({
  async up(db) {
    await objectTable(db, 'tax_rates', dialect)
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('inclusive', 'integer', (c) => c.notNull())
      .execute();
    await listIndex(db, 'tax_rates');
  },
});
