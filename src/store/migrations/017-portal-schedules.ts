import type { DialectMigration } from './shapes.ts';

/**
 * A schedule the hosted portal made to hold a change until the period ends carries the portal
 * configuration that made it in `portal_configuration` (null for every other schedule). It is
 * no API field: the portal tells its own pending change from a merchant's schedule by it.
 */
export const portalSchedules: DialectMigration = () => ({
  async up(db) {
    await db.schema.alterTable('subscription_schedules').addColumn('portal_configuration', 'text').execute();
  },
});
