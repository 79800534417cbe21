import { sql } from 'kysely';
import { type DialectMigration, listIndex, objectTable } from './shapes.ts';

/**
 * PaymentIntents, charges and refunds through the API.
 *
 * `payment_intents` and `charges` gain the columns their searches compare (`amount`, `status`,
 * and a charge's `refunded` as 0/1), filled from each stored object and kept by their stores
 * from then on; charges are listed by `payment_intent`. `refunds` holds refunds, listed by
 * `charge` and by `payment_intent`.
 */
export const paymentsApi: DialectMigration = (dialect) => ({
  async up(db) {
    const field = (name: string) =>
      dialect === 'sqlite' ? sql`json_extract(data, ${`$.${name}`})` : sql`(data::json ->> ${name})`;
    const integer = (name: string) =>
      dialect === 'sqlite' ? field(name) : sql`(data::json ->> ${name})::bigint`;
    const flag = (name: string) =>
      dialect === 'sqlite'
        ? sql`json_extract(data, ${`$.${name}`})`
        : sql`case when (data::json ->> ${name}) = 'true' then 1 else 0 end`;

    await db.schema.alterTable('payment_intents').addColumn('amount', 'bigint').execute();
    await db.schema.alterTable('payment_intents').addColumn('status', 'text').execute();
    await sql`update payment_intents set amount = ${integer('amount')}, status = ${field('status')}`.execute(
      db,
    );

    await db.schema.alterTable('charges').addColumn('amount', 'bigint').execute();
    await db.schema.alterTable('charges').addColumn('status', 'text').execute();
    await db.schema
      .alterTable('charges')
      .addColumn('refunded', 'integer', (c) => c.notNull().defaultTo(0))
      .execute();
    await sql`update charges set amount = ${integer('amount')}, status = ${field('status')}, refunded = ${flag('refunded')}`.execute(
      db,
    );
    await listIndex(db, 'charges', ['payment_intent']);

    await objectTable(db, 'refunds', dialect)
      .addColumn('charge', 'text')
      .addColumn('payment_intent', 'text')
      .addColumn('status', 'text')
      .execute();
    await listIndex(db, 'refunds');
    await listIndex(db, 'refunds', ['charge']);
    await listIndex(db, 'refunds', ['payment_intent']);
  },
});
