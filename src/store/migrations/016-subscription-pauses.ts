import { type DialectMigration, withSeq } from './shapes.ts';

/**
 * What the hosted portal keeps about subscriptions beyond their Stripe objects.
 *
 * `subscription_pause_ends`: a pause chosen for a preset duration ends by itself. The row has the
 * engine's shape (`test_clock` '' for none, `next_action_at` the moment it resumes, null once
 * done), so a test clock's advance and the real-clock worker find and claim it like any other
 * due work; `paused_at` ties it to that one pause (`status_details.paused.transitioned_at`).
 *
 * `portal_retention_offers`: a retention coupon is offered at most once per subscription; the
 * answer (accepted or declined) is kept here.
 */
export const subscriptionPauses: DialectMigration = (dialect) => ({
  async up(db) {
    // `seq` orders work due at one instant, as in the engine's other tables.
    await withSeq(db.schema.createTable('subscription_pause_ends'), dialect)
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('test_clock', 'text', (c) => c.notNull())
      .addColumn('next_action_at', 'bigint')
      .addColumn('paused_at', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('subscription_pause_ends_due')
      .on('subscription_pause_ends')
      .columns(['test_clock', 'next_action_at'])
      .execute();
    await db.schema
      .createTable('portal_retention_offers')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('subscription', 'text', (c) => c.notNull())
      .addColumn('coupon', 'text', (c) => c.notNull())
      .addColumn('outcome', 'text', (c) => c.notNull())
      .addColumn('answered_at', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('portal_retention_offers_pk', ['account_id', 'livemode', 'subscription'])
      .execute();
  },
});
