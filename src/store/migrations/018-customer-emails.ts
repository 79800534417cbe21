import type { DialectMigration } from './shapes.ts';

/**
 * The customer emails: each account's switches, and the links those mails carry.
 *
 * `customer_email_settings` has one row per account that changed a switch (an account without a
 * row has the defaults). `portal_mail_links` holds the stable links of failed-payment and
 * trial-ending mails, which open a new portal session each time they are followed: only the
 * SHA-256 of each link's secret is kept, with its customer, what it opens and when it stops
 * working (on the customer's clock).
 */
export const customerEmails: DialectMigration = () => ({
  async up(db) {
    await db.schema
      .createTable('customer_email_settings')
      .addColumn('account_id', 'text', (c) => c.primaryKey())
      .addColumn('finalized_invoices', 'integer', (c) => c.notNull())
      .addColumn('successful_payments', 'integer', (c) => c.notNull())
      .addColumn('failed_payments', 'integer', (c) => c.notNull())
      .addColumn('trial_ending', 'integer', (c) => c.notNull())
      .addColumn('updated', 'bigint', (c) => c.notNull())
      .execute();

    await db.schema
      .createTable('portal_mail_links')
      .addColumn('id', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('customer', 'text', (c) => c.notNull())
      .addColumn('flow', 'text', (c) => c.notNull())
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('created', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .execute();
  },
});
