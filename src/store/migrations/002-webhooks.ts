import { type DialectMigration, listIndex, objectTable, withSeq } from './shapes.ts';

export const webhooks: DialectMigration = (dialect) => ({
  async up(db) {
    // Endpoints an event still waits for, so `delivery_success` can filter on it.
    await db.schema
      .alterTable('events')
      .addColumn('pending_webhooks', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();

    // The signing secret is kept in its own column: the API shows it once, on create.
    await objectTable(db, 'webhook_endpoints', dialect)
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('secret', 'text', (c) => c.notNull())
      .addColumn('connect', 'integer', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      // When the endpoint's unbroken run of failures began (ms); null while it succeeds.
      .addColumn('failing_since', 'bigint')
      .execute();
    await listIndex(db, 'webhook_endpoints');

    // One row per (event, endpoint). A worker claims due rows by setting lease_until (ms), so a
    // crashed process's claims run out and its deliveries are retried by whoever is alive.
    await withSeq(db.schema.createTable('webhook_deliveries'), dialect)
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('event_id', 'text', (c) => c.notNull())
      .addColumn('endpoint_id', 'text', (c) => c.notNull())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('created', 'bigint', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_due')
      .on('webhook_deliveries')
      .columns(['status', 'next_attempt_at'])
      .execute();
    await db.schema
      .createIndex('webhook_deliveries_event')
      .on('webhook_deliveries')
      .column('event_id')
      .execute();

    await withSeq(db.schema.createTable('webhook_attempts'), dialect)
      .addColumn('delivery_id', 'text', (c) => c.notNull())
      .addColumn('created', 'bigint', (c) => c.notNull())
      .addColumn('status_code', 'integer')
      .addColumn('error', 'text')
      .addColumn('duration_ms', 'integer', (c) => c.notNull())
      .execute();
    await db.schema
      .createIndex('webhook_attempts_delivery')
      .on('webhook_attempts')
      .column('delivery_id')
      .execute();
  },
});
