import type { DialectMigration } from './shapes.ts';

/**
 * A customer's `tax[ip_address]`, kept beside the object: Stripe shows it only in `customer.tax`,
 * which appears only when expanded, so it cannot live in the stored object that is sent as is.
 */
export const customerTaxIp: DialectMigration = () => ({
  async up(db) {
    await db.schema.alterTable('customers').addColumn('tax_ip_address', 'text').execute();
  },
});
