import type { DialectMigration } from './shapes.ts';

/**
 * A portal session's URL is exchanged once for a browser cookie: `cookie_hash` holds the SHA-256
 * of that cookie's secret (null until the URL is first visited; once set, the URL is spent).
 */
export const portalVisits: DialectMigration = () => ({
  async up(db) {
    await db.schema.alterTable('billing_portal_sessions').addColumn('cookie_hash', 'text').execute();
  },
});
