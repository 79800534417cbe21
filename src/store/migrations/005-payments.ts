import { type DialectMigration, listIndex, objectTable } from './shapes.ts';

/**
 * Payment methods and SetupIntents. A payment method's `test_card` is the public test number the
 * simulator decides by: it is never part of the object, and only Stripe's published test numbers
 * are ever stored (any other number is refused). `detached` marks a payment method that can never
 * be used again; `set_up_off_session` one that a SetupIntent prepared for payments without the
 * customer.
 */
export const payments: DialectMigration = (dialect) => ({
  async up(db) {
    await objectTable(db, 'payment_methods', dialect)
      .addColumn('customer', 'text')
      .addColumn('type', 'text', (c) => c.notNull())
      .addColumn('allow_redisplay', 'text', (c) => c.notNull())
      .addColumn('detached', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('set_up_off_session', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('test_card', 'text')
      .execute();
    await listIndex(db, 'payment_methods', ['customer']);

    await objectTable(db, 'setup_intents', dialect)
      .addColumn('customer', 'text')
      .addColumn('payment_method', 'text')
      .addColumn('status', 'text', (c) => c.notNull())
      .execute();
    await listIndex(db, 'setup_intents');
    await listIndex(db, 'setup_intents', ['customer']);
    await listIndex(db, 'setup_intents', ['payment_method']);
  },
});
