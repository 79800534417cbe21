import { type DialectMigration, listIndex, objectTable } from './shapes.ts';

/**
 * Subscription schedules. Like subscriptions, a schedule has a `next_action_at` (its next phase
 * boundary, its start, or the notice before it ends) on the clock named by `test_clock` ('' for
 * none); the dates of its endings are columns so lists can filter on them.
 */
export const subscriptionSchedules: DialectMigration = (dialect) => ({
  async up(db) {
    await objectTable(db, 'subscription_schedules', dialect)
      .addColumn('customer', 'text', (c) => c.notNull())
      .addColumn('subscription', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('test_clock', 'text', (c) => c.notNull())
      .addColumn('next_action_at', 'bigint')
      .addColumn('canceled_at', 'bigint')
      .addColumn('completed_at', 'bigint')
      .addColumn('released_at', 'bigint')
      .execute();
    await listIndex(db, 'subscription_schedules');
    await listIndex(db, 'subscription_schedules', ['customer']);
    await db.schema
      .createIndex('subscription_schedules_due')
      .on('subscription_schedules')
      .columns(['test_clock', 'next_action_at'])
      .execute();
  },
});
