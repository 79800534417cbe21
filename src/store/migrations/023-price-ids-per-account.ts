import { sql } from 'kysely';
import type { DialectMigration } from './shapes.ts';

/**
 * Chosen plan ids (a plan is a recurring price) are unique per account and mode, as products' and
 * coupons' are: `prices.id` was unique across the whole server, so one account's plan id was
 * refused to every other account, telling it the id was taken there. PostgreSQL swaps the
 * constraint; SQLite cannot drop a column's UNIQUE, so it rebuilds the table from its own
 * definition (same columns in the same order, the same indexes).
 */
export const priceIdsPerAccount: DialectMigration = (dialect) => ({
  async up(db) {
    if (dialect === 'postgres') {
      await sql`alter table prices drop constraint if exists prices_id_key`.execute(db);
      await sql`alter table prices add constraint prices_scope_id unique (account_id, livemode, id)`.execute(
        db,
      );
      return;
    }
    const table = await sql<{ sql: string }>`
      select sql from sqlite_master where type = 'table' and name = 'prices'`.execute(db);
    const indexes = await sql<{ sql: string }>`
      select sql from sqlite_master where type = 'index' and tbl_name = 'prices' and sql is not null`.execute(
      db,
    );
    const definition = table.rows[0]!.sql;
    const unscoped = '"id" text not null unique';
    if (!definition.includes(unscoped)) throw new Error(`prices: unexpected definition ${definition}`);
    const rebuilt = definition
      .replace(/^create table "prices"/i, 'create table "prices_rebuilt"')
      .replace(unscoped, '"id" text not null')
      .replace(/\)\s*$/, ', constraint "prices_scope_id" unique ("account_id", "livemode", "id"))');
    await sql.raw(rebuilt).execute(db);
    await sql`insert into prices_rebuilt select * from prices`.execute(db);
    await sql`drop table prices`.execute(db);
    await sql`alter table prices_rebuilt rename to prices`.execute(db);
    for (const index of indexes.rows) await sql.raw(index.sql).execute(db);
  },
});
