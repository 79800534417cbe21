import { sql } from 'kysely';
import { type DialectMigration, listIndex, objectTable } from './shapes.ts';

export const billingPortal: DialectMigration = (dialect) => ({
  async up(db) {
    await objectTable(db, 'billing_feedback_options', dialect)
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
    await listIndex(db, 'billing_feedback_options');
    await listIndex(db, 'billing_feedback_options', ['status']);

    // `login_page` is the id in the configuration's login URL (null while the page is off), so the
    // hosted login page finds its configuration without scanning.
    await objectTable(db, 'billing_portal_configurations', dialect)
      .addColumn('active', 'integer', (c) => c.notNull())
      .addColumn('is_default', 'integer', (c) => c.notNull())
      .addColumn('login_page', 'text', (c) => c.unique())
      .execute();
    await listIndex(db, 'billing_portal_configurations');
    // One default per account and mode, even when two first configurations are created at once.
    await db.schema
      .createIndex('billing_portal_configurations_default')
      .unique()
      .on('billing_portal_configurations')
      .columns(['account_id', 'livemode'])
      .where(sql.ref('is_default'), '=', 1)
      .execute();

    // Sessions keep only a SHA-256 hash of the secret in their URL. Times are on the customer's
    // clock; `prune_at` is when the row may go (null: kept while it can still be recovered).
    await objectTable(db, 'billing_portal_sessions', dialect)
      .addColumn('token_hash', 'text', (c) => c.notNull().unique())
      .addColumn('customer', 'text', (c) => c.notNull())
      .addColumn('configuration', 'text', (c) => c.notNull())
      .addColumn('last_activity_at', 'bigint')
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('prune_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('billing_portal_sessions_prune')
      .on('billing_portal_sessions')
      .columns(['prune_at'])
      .execute();
  },
});
