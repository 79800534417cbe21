import { createHash } from 'node:crypto';
import { randomBase62 } from '../core/ids.ts';
import type { Db } from '../store/database.ts';
import type { Scope } from '../store/objects.ts';

/** Keys are stored as SHA-256 hashes; the plain key is shown once, when it is made. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function addApiKey(db: Db, key: string, scope: Scope, now: number): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      key_hash: hashKey(key),
      account_id: scope.accountId,
      livemode: scope.livemode ? 1 : 0,
      created: now,
      last4: key.slice(-4),
    })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .execute();
}

/** A new secret key for an account and mode: `sk_test_`/`sk_live_` and 32 base62 characters (~190 bits). */
export async function createSecretKey(db: Db, scope: Scope, now: number): Promise<string> {
  const key = `sk_${scope.livemode ? 'live' : 'test'}_${randomBase62(32)}`;
  await addApiKey(db, key, scope, now);
  return key;
}

export async function findKey(db: Db, key: string): Promise<Scope | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['account_id', 'livemode'])
    .where('key_hash', '=', hashKey(key))
    .executeTakeFirst();
  return row ? { accountId: row.account_id, livemode: row.livemode === 1 } : undefined;
}
