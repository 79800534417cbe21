import { type Kysely, sql } from 'kysely';
import type { Dialect, Tables } from '../schema.ts';
import { initial } from './001-initial.ts';
import { webhooks } from './002-webhooks.ts';
import { products } from './003-catalog.ts';
import { prices } from './004-prices.ts';
import { payments } from './005-payments.ts';
import { taxIdsFiles } from './006-tax-ids-files.ts';
import { billingPortal } from './007-billing-portal.ts';
import { billingEngine } from './008-billing-engine.ts';
import { subscriptionSchedules } from './009-subscription-schedules.ts';
import { invoiceCollectionMethod } from './010-invoice-collection-method.ts';
import { portalVisits } from './011-portal-visits.ts';
import { subscriptionItemsCount } from './012-subscription-items-count.ts';
import { customerTaxIp } from './013-customer-tax-ip.ts';
import { loginMail } from './014-login-mail.ts';
import { portalFlowCompletion } from './015-portal-flow-completion.ts';
import { subscriptionPauses } from './016-subscription-pauses.ts';
import { portalSchedules } from './017-portal-schedules.ts';
import { customerEmails } from './018-customer-emails.ts';
import { creditNotes } from './019-credit-notes.ts';
import { paymentsApi } from './020-payments-api.ts';
import { taxRates } from './021-tax-rates.ts';
import { publishableKeys } from './022-publishable-keys.ts';
import { priceIdsPerAccount } from './023-price-ids-per-account.ts';
import type { DialectMigration } from './shapes.ts';

/**
 * Every migration in number order, each under its file's name, which is also its name in the
 * ledger of applied migrations (test/unit/migrations.test.ts checks the list against the files).
 */
export const MIGRATIONS: readonly (readonly [string, DialectMigration])[] = [
  ['001-initial', initial],
  ['002-webhooks', webhooks],
  ['003-catalog', products],
  ['004-prices', prices],
  ['005-payments', payments],
  ['006-tax-ids-files', taxIdsFiles],
  ['007-billing-portal', billingPortal],
  ['008-billing-engine', billingEngine],
  ['009-subscription-schedules', subscriptionSchedules],
  ['010-invoice-collection-method', invoiceCollectionMethod],
  ['011-portal-visits', portalVisits],
  ['012-subscription-items-count', subscriptionItemsCount],
  ['013-customer-tax-ip', customerTaxIp],
  ['014-login-mail', loginMail],
  ['015-portal-flow-completion', portalFlowCompletion],
  ['016-subscription-pauses', subscriptionPauses],
  ['017-portal-schedules', portalSchedules],
  ['018-customer-emails', customerEmails],
  ['019-credit-notes', creditNotes],
  ['020-payments-api', paymentsApi],
  ['021-tax-rates', taxRates],
  ['022-publishable-keys', publishableKeys],
  ['023-price-ids-per-account', priceIdsPerAccount],
];

/**
 * Applies what has not been applied, all in one transaction, so a failed start leaves the schema
 * as it was. On PostgreSQL an advisory lock per schema makes processes that start together take
 * turns. (Portico keeps its own small ledger rather than a general migrator's, which inspects
 * every schema of the database and trips over schemas other processes are dropping.)
 */
export async function migrateToLatest(db: Kysely<Tables>, dialect: Dialect): Promise<void> {
  await db.transaction().execute(async (tx) => {
    if (dialect === 'postgres')
      await sql`select pg_advisory_xact_lock(hashtext(current_schema()))`.execute(tx);
    await sql`create table if not exists portico_migrations (name text primary key, applied_at bigint not null)`.execute(
      tx,
    );
    const applied = await sql<{ name: string }>`select name from portico_migrations`.execute(tx);
    const done = new Set(applied.rows.map((r) => r.name));
    for (const [name, make] of MIGRATIONS) {
      if (done.has(name)) continue;
      try {
        await make(dialect).up(tx as unknown as Kysely<unknown>);
      } catch (error) {
        throw new Error(`database migration ${name} failed: ${(error as Error).message}`);
      }
      await sql`insert into portico_migrations (name, applied_at) values (${name}, ${Date.now()})`.execute(
        tx,
      );
    }
  });
}
