import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import { createRestrictedKey, type Permissions } from '../../src/accounts/keys.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('restricted keys (rk_)', () => {
  let server: TestServer;
  const restricted = async (permissions: Permissions, livemode = false) =>
    server.stripe(
      await createRestrictedKey(
        server.app.store.db,
        { accountId: server.app.boot.accountId, livemode },
        Math.floor(Date.now() / 1000),
        permissions,
      ),
    );

  before(async () => {
    server = await startServer();
    await server.stripe().customers.create({ email: 'seen@example.com' });
  });
  after(() => server.close());

  test('read permission lists and retrieves but cannot write', async () => {
    const reader = await restricted({ customers: 'read' });
    const list = await reader.customers.list();
    assert.equal(list.data.length, 1);
    assert.equal((await reader.customers.retrieve(list.data[0]!.id)).id, list.data[0]!.id);
    const error = await stripeError(
      reader.customers.create({ email: 'x@example.com' }),
      E.StripePermissionError,
      403,
    );
    assert.match(error.message, /does not have the required permissions/);
    assert.match(error.message, /'rak_customer_write'/);
    assert.match(error.message, /rk_test_\*+\w{4}/, 'the key is masked');
    await stripeError(reader.customers.del(list.data[0]!.id), E.StripePermissionError, 403);
    assert.equal((await server.stripe().customers.list()).data.length, 1, 'nothing was written');
  });

  test('a resource the key does not name is out of reach', async () => {
    const reader = await restricted({ customers: 'write' });
    const error = await stripeError(reader.events.list(), E.StripePermissionError, 403);
    assert.match(error.message, /'rak_event_read'/);
    await stripeError(reader.accounts.list(), E.StripePermissionError, 403);
  });

  test('write permission creates, updates and deletes; events follow their own permission', async () => {
    const writer = await restricted({ customers: 'write', events: 'read' });
    const customer = await writer.customers.create({ email: 'w@example.com' });
    await writer.customers.update(customer.id, { name: 'Written' });
    await writer.customers.del(customer.id);
    const events = await writer.events.list({ type: 'customer.*', limit: 3 });
    assert.deepEqual(
      events.data.map((e) => e.type),
      ['customer.deleted', 'customer.updated', 'customer.created'],
    );
  });

  test('a restricted key keeps to its account and mode', async () => {
    const live = await restricted({ customers: 'write' }, true);
    assert.equal((await live.customers.list()).data.length, 0);
    const created = await live.customers.create({ email: 'live@example.com' });
    assert.equal(created.livemode, true);
  });

  test('the command line makes restricted keys, and refuses unknown resources', () => {
    const run = (restrictions: string) =>
      spawnSync(
        process.execPath,
        ['--import', 'tsx', 'src/main.ts', 'keys', 'create', '--restricted', restrictions],
        {
          env: { ...process.env, PORTICO_DATABASE_URL: server.store.url },
          encoding: 'utf8',
        },
      );
    const made = run('customers=read');
    assert.equal(made.status, 0, made.stderr);
    assert.match(made.stdout.trim(), /^rk_test_[A-Za-z0-9]{32}$/);
    const refused = run('quotes=read');
    assert.equal(refused.status, 1);
    assert.match(refused.stderr.trim(), /^portico: --restricted: unknown resource "quotes"/);
  });

  test('a key made on the command line works over HTTP', async () => {
    const made = spawnSync(
      process.execPath,
      ['--import', 'tsx', 'src/main.ts', 'keys', 'create', '--restricted', 'customers=read'],
      { env: { ...process.env, PORTICO_DATABASE_URL: server.store.url }, encoding: 'utf8' },
    );
    const stripe = server.stripe(made.stdout.trim());
    assert.ok((await stripe.customers.list()).data.length >= 1);
    await stripeError(stripe.customers.create({}), E.StripePermissionError, 403);
  });
});
