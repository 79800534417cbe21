import { type DialectMigration, listIndex, objectTable } from './shapes.ts';

export const initial: DialectMigration = (dialect) => ({
  async up(db) {
    // A platform account owns itself (account_id = id); a connected account is owned by its
    // platform and lives in the mode it was created in.
    await objectTable(db, 'accounts', dialect)
      .addColumn('is_platform', 'integer', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await listIndex(db, 'accounts');

    await db.schema
      .createTable('api_keys')
      .addColumn('key_hash', 'text', (c) => c.primaryKey())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('created', 'bigint', (c) => c.notNull())
      .addColumn('last4', 'text', (c) => c.notNull())
      // A restricted key's permissions as JSON; null for a secret key.
      .addColumn('permissions', 'text')
      .execute();

    await objectTable(db, 'customers', dialect)
      .addColumn('email', 'text')
      // '' when the customer has no clock: PostgreSQL reads an index in order after an equality,
      // not after IS NULL.
      .addColumn('test_clock', 'text', (c) => c.notNull().defaultTo(''))
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await listIndex(db, 'customers', ['email']);
    // Lists always filter on test_clock ('' unless one is asked for), so this index serves the
    // plain list too.
    await listIndex(db, 'customers', ['test_clock']);

    await objectTable(db, 'test_clocks', dialect).execute();
    await listIndex(db, 'test_clocks');

    await objectTable(db, 'events', dialect)
      .addColumn('type', 'text', (c) => c.notNull())
      .execute();
    await listIndex(db, 'events');
    await listIndex(db, 'events', ['type']);

    await db.schema
      .createTable('idempotency_keys')
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('key', 'text', (c) => c.notNull())
      .addColumn('fingerprint', 'text', (c) => c.notNull())
      .addColumn('status', 'integer', (c) => c.notNull())
      .addColumn('body', 'text', (c) => c.notNull())
      .addColumn('request_id', 'text', (c) => c.notNull())
      .addColumn('created', 'bigint', (c) => c.notNull())
      .addPrimaryKeyConstraint('idempotency_keys_pk', ['account_id', 'livemode', 'key'])
      .execute();
    await db.schema
      .createIndex('idempotency_keys_created')
      .on('idempotency_keys')
      .column('created')
      .execute();

    await db.schema
      .createTable('settings')
      .addColumn('name', 'text', (c) => c.primaryKey())
      .addColumn('value', 'text', (c) => c.notNull())
      .execute();
  },
});
