import { type DialectMigration, listIndex, objectTable } from './shapes.ts';

/**
 * The billing engine's tables. `next_action_at` is when the engine next has work for a row (a
 * period ends, a trial ends, a draft finalizes, a payment is retried); `test_clock` ('' for none)
 * says whose time that is, so an advancing clock finds its own work and the background worker
 * the rest.
 */
export const billingEngine: DialectMigration = (dialect) => ({
  async up(db) {
    await objectTable(db, 'subscriptions', dialect)
      .addColumn('customer', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('collection_method', 'text', (c) => c.notNull())
      .addColumn('test_clock', 'text', (c) => c.notNull())
      .addColumn('next_action_at', 'bigint')
      .addColumn('current_period_start', 'bigint')
      .addColumn('current_period_end', 'bigint')
      .execute();
    await listIndex(db, 'subscriptions');
    await listIndex(db, 'subscriptions', ['customer']);
    await db.schema
      .createIndex('subscriptions_due')
      .on('subscriptions')
      .columns(['test_clock', 'next_action_at'])
      .execute();

    await objectTable(db, 'subscription_items', dialect)
      .addColumn('subscription', 'text', (c) => c.notNull())
      .addColumn('price', 'text', (c) => c.notNull())
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await listIndex(db, 'subscription_items', ['subscription']);
    await db.schema
      .createIndex('subscription_items_price')
      .on('subscription_items')
      .columns(['price'])
      .execute();

    await objectTable(db, 'invoices', dialect)
      .addColumn('customer', 'text', (c) => c.notNull())
      .addColumn('subscription', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('due_date', 'bigint')
      .addColumn('test_clock', 'text', (c) => c.notNull())
      .addColumn('next_action_at', 'bigint')
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await listIndex(db, 'invoices');
    await listIndex(db, 'invoices', ['customer']);
    await listIndex(db, 'invoices', ['subscription']);
    await db.schema
      .createIndex('invoices_due')
      .on('invoices')
      .columns(['test_clock', 'next_action_at'])
      .execute();

    await objectTable(db, 'invoice_items', dialect)
      .addColumn('customer', 'text', (c) => c.notNull())
      .addColumn('invoice', 'text')
      .addColumn('subscription', 'text')
      .addColumn('deleted', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await listIndex(db, 'invoice_items');
    await listIndex(db, 'invoice_items', ['customer', 'invoice']);

    await objectTable(db, 'payment_intents', dialect)
      .addColumn('customer', 'text')
      .addColumn('invoice', 'text')
      .execute();
    await listIndex(db, 'payment_intents');
    await listIndex(db, 'payment_intents', ['customer']);

    await objectTable(db, 'charges', dialect)
      .addColumn('customer', 'text')
      .addColumn('payment_intent', 'text')
      .execute();
    await listIndex(db, 'charges');
    await listIndex(db, 'charges', ['customer']);

    await objectTable(db, 'discounts', dialect)
      .addColumn('customer', 'text')
      .addColumn('subscription', 'text')
      .execute();
  },
});
