import type { DialectMigration } from './shapes.ts';

/**
 * One publishable key per account and mode. Unlike secret keys it is kept in plain text: it is
 * meant to be published (in web pages, in apps) and is printed on every start.
 */
export const publishableKeys: DialectMigration = () => ({
  async up(db) {
    await db.schema
      .createTable('publishable_keys')
      .addColumn('key', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('created', 'bigint', (c) => c.notNull())
      .addUniqueConstraint('publishable_keys_scope', ['account_id', 'livemode'])
      .execute();
  },
});
