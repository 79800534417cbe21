import type { Config } from '../config.ts';
import type { Clock } from '../core/clock.ts';
import type { Store } from '../store/database.ts';
import { addApiKey, createSecretKey, publishableKey } from './keys.ts';
import { createPlatformAccount } from './service.ts';

export interface Bootstrapped {
  accountId: string;
  /** The default account's test key: PORTICO_SECRET_KEY, or the one generated on first start. */
  secretKey: string;
  generatedKey: boolean;
  /** The default account's test publishable key, made on first start with the secret key. */
  publishableKey: string;
}

async function getSetting(store: Store, name: string): Promise<string | undefined> {
  const row = await store.db
    .selectFrom('settings')
    .select('value')
    .where('name', '=', name)
    .executeTakeFirst();
  return row?.value;
}

/**
 * First start creates the default platform account, its test publishable key and, unless
 * PORTICO_SECRET_KEY is set, a test key that is kept so later starts can print it again. Keys given in the environment are added to
 * the default account. Safe when several processes start at once on one PostgreSQL.
 */
export async function bootstrap(store: Store, config: Config, clock: Clock): Promise<Bootstrapped> {
  const now = clock.now();
  let accountId = await getSetting(store, 'default_account');
  if (!accountId) {
    accountId = await store.db
      .transaction()
      .execute(async (tx) => {
        const account = await createPlatformAccount(tx, now, 'Portico');
        const claimed = await tx
          .insertInto('settings')
          .values({ name: 'default_account', value: account.id })
          .onConflict((oc) => oc.column('name').doNothing())
          .executeTakeFirst();
        if (Number(claimed.numInsertedOrUpdatedRows ?? 0) === 0) throw new Error('raced');
        return account.id;
      })
      .catch(async (e: Error) => {
        const winner = e.message === 'raced' ? await getSetting(store, 'default_account') : undefined;
        if (!winner) throw e;
        return winner;
      });
  }
  const test = { accountId, livemode: false };
  const publishable = await publishableKey(store.db, test, now);
  if (config.liveSecretKey)
    await addApiKey(store.db, config.liveSecretKey, { accountId, livemode: true }, now);
  if (config.secretKey) {
    await addApiKey(store.db, config.secretKey, test, now);
    return { accountId, secretKey: config.secretKey, generatedKey: false, publishableKey: publishable };
  }
  const stored = await getSetting(store, 'default_secret_key');
  if (stored) return { accountId, secretKey: stored, generatedKey: false, publishableKey: publishable };
  const key = await store.db.transaction().execute(async (tx) => {
    const created = await createSecretKey(tx, test, now);
    await tx.insertInto('settings').values({ name: 'default_secret_key', value: created }).execute();
    return created;
  });
  return { accountId, secretKey: key, generatedKey: true, publishableKey: publishable };
}
