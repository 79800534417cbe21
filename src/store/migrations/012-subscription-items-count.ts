import { sql } from 'kysely';
import type { DialectMigration } from './shapes.ts';

/**
 * Subscriptions were stored with `items.total_count`, which Stripe's list objects no longer carry:
 * it is taken out of the stored objects, so they are answered as they are now written.
 */
export const subscriptionItemsCount: DialectMigration = (dialect) => ({
  async up(db) {
    if (dialect === 'sqlite') {
      await sql`update subscriptions set data = json_remove(data, '$.items.total_count')
        where json_type(data, '$.items.total_count') is not null`.execute(db);
    } else {
      await sql`update subscriptions set data = ((data::jsonb) #- '{items,total_count}')::text
        where (data::jsonb) -> 'items' ? 'total_count'`.execute(db);
    }
  },
});
