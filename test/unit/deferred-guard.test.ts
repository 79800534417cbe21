import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import { parseStoreUrl } from '../../src/config.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { deferredChecks } from '../../src/store/deferred-guard.ts';
import { findObject, insertObject, updateObject, withObjectCache } from '../../src/store/objects.ts';
import { freshStore, type TestStore } from '../support/store.ts';

const scope = { accountId: 'acct_guard', livemode: false };
const named = (name: string): { id: string } => ({ id: 'cus_guard', name }) as { id: string };
let testStore: TestStore;
let store: Store;

before(async () => {
  testStore = freshStore();
  store = await openStore(parseStoreUrl(testStore.url));
  await insertObject(
    store.db,
    'customers',
    scope,
    { id: 'cus_guard', created: 1 },
    { email: 'a@example.com' },
  );
});

after(async () => {
  await store?.close();
  await testStore?.dispose();
});

test('the suite runs with the store checks on', () => assert.equal(deferredChecks, true));

test('a bulk run that queries customers by a column while their writes wait is stopped', async () => {
  await assert.rejects(
    store.write((tx) =>
      withObjectCache(tx, async () => {
        await updateObject(tx, 'customers', scope, named('x'));
        await tx.selectFrom('customers').select('id').where('email', '=', 'a@example.com').execute();
      }),
    ),
    /Deferred-write rule broken: a query filters customers by email/,
  );
});

test('lookups by id, and queries before anything is deferred, are fine', async () => {
  const name = await store.write((tx) =>
    withObjectCache(tx, async () => {
      await tx.selectFrom('customers').select('id').where('email', '=', 'a@example.com').execute();
      await updateObject(tx, 'customers', scope, named('kept'));
      const found = await findObject<{ name: string }>(tx, 'customers', scope, 'cus_guard');
      await tx.selectFrom('customers').select('data').where('id', '=', 'cus_guard').execute();
      return found?.name;
    }),
  );
  assert.equal(name, 'kept');
  assert.equal((await findObject<{ name: string }>(store.db, 'customers', scope, 'cus_guard'))?.name, 'kept');
});
