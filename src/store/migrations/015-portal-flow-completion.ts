import type { DialectMigration } from './shapes.ts';

/**
 * When a session's flow was completed (null while it has not been). A `payment_method_update`
 * flow that ends on the portal homepage opens the full portal from then on (contract §4), so the
 * session keeps that it has been completed.
 */
export const portalFlowCompletion: DialectMigration = () => ({
  async up(db) {
    await db.schema.alterTable('billing_portal_sessions').addColumn('flow_completed_at', 'bigint').execute();
  },
});
