import assert from 'node:assert/strict';
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createSecretKey } from '../../src/accounts/keys.ts';
import { createPlatformAccount } from '../../src/accounts/service.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** A POST whose response body is kept as the exact text the server sent. */
async function rawPost(server: TestServer, path: string, body: string, idempotencyKey: string) {
  const response = await fetch(`${server.baseUrl}${path}`, {
    method: 'POST',
    headers: {
      authorization: `Bearer ${server.key}`,
      'content-type': 'application/x-www-form-urlencoded',
      'idempotency-key': idempotencyKey,
    },
    body,
  });
  return { status: response.status, headers: response.headers, text: await response.text() };
}

async function customerEvents(stripe: Stripe, customerId: string, type: string): Promise<Stripe.Event[]> {
  const events = await stripe.events.list({ type, limit: 100 }).autoPagingToArray({ limit: 1000 });
  return events.filter((e) => (e.data.object as { id?: string }).id === customerId);
}

/**
 * An HTTP proxy in front of the server that loses the response to the first POST: it forwards the
 * request, waits until the server's whole response has arrived (so the server has finished and
 * committed), then destroys the client's socket instead of answering. Everything else passes.
 */
async function lossyProxy(target: number) {
  const posts: { idempotencyKey: string | undefined; dropped: boolean }[] = [];
  const proxy = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const headers = { ...req.headers };
      delete headers.connection;
      const drop = req.method === 'POST' && posts.length === 0;
      if (req.method === 'POST') {
        posts.push({ idempotencyKey: req.headers['idempotency-key'] as string | undefined, dropped: drop });
      }
      const upstream = http.request(
        { host: '127.0.0.1', port: target, method: req.method, path: req.url, headers, agent: false },
        (answer) => {
          if (drop) {
            answer.resume();
            answer.on('end', () => req.socket.destroy());
            return;
          }
          res.writeHead(answer.statusCode ?? 502, answer.headers);
          answer.pipe(res);
        },
      );
      upstream.on('error', () => req.socket.destroy());
      upstream.end(Buffer.concat(chunks));
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  return {
    port: (proxy.address() as AddressInfo).port,
    posts,
    close: () =>
      new Promise<void>((resolve) => {
        proxy.closeAllConnections();
        proxy.close(() => resolve());
      }),
  };
}

describe('idempotent requests through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;

  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test('a retried POST replays the first response byte for byte', async () => {
    const key = randomUUID();
    const body = 'name=Jenny+Rosen&email=jenny%40example.com&metadata[plan]=pro&expand[0]=test_clock';
    const first = await rawPost(server, '/v1/customers', body, key);
    assert.equal(first.status, 200);
    assert.equal(first.headers.get('idempotency-key'), key);
    assert.equal(first.headers.get('idempotent-replayed'), null);
    assert.equal(first.headers.get('original-request'), null);

    const second = await rawPost(server, '/v1/customers', body, key);
    assert.equal(second.status, 200);
    assert.equal(second.text, first.text);
    assert.equal(second.headers.get('idempotent-replayed'), 'true');
    assert.equal(second.headers.get('original-request'), first.headers.get('request-id'));
    assert.equal(second.headers.get('idempotency-key'), key);
    assert.match(second.headers.get('request-id') ?? '', /^req_/);
    assert.notEqual(second.headers.get('request-id'), first.headers.get('request-id'));

    const customer = JSON.parse(first.text) as Stripe.Customer;
    assert.deepEqual((await stripe.customers.list({ email: 'jenny@example.com' })).data, [customer]);
    assert.equal((await customerEvents(stripe, customer.id, 'customer.created')).length, 1);
  });

  test('the SDK with the same idempotencyKey gets the same customer, and nothing happens twice', async () => {
    const idempotencyKey = randomUUID();
    const params = { email: 'twice@example.com', metadata: { n: '1' } };
    const first = await stripe.customers.create(params, { idempotencyKey });
    const second = await stripe.customers.create(params, { idempotencyKey });
    assert.equal(second.id, first.id);
    assert.deepEqual(second, first);
    assert.equal(second.lastResponse.headers['idempotent-replayed'], 'true');
    assert.equal(second.lastResponse.headers['original-request'], first.lastResponse.requestId);
    assert.equal(first.lastResponse.headers['idempotent-replayed'], undefined);

    const customers = await stripe.customers.list({ email: 'twice@example.com' });
    assert.deepEqual(
      customers.data.map((c) => c.id),
      [first.id],
    );
    const events = await customerEvents(stripe, first.id, 'customer.created');
    assert.equal(events.length, 1);
    assert.equal(events[0]!.request?.id, first.lastResponse.requestId);
    assert.equal(events[0]!.request?.idempotency_key, idempotencyKey);

    // An update with a key is not applied twice either.
    const updateKey = randomUUID();
    const updated = await stripe.customers.update(
      first.id,
      { metadata: { n: '2' } },
      { idempotencyKey: updateKey },
    );
    const again = await stripe.customers.update(
      first.id,
      { metadata: { n: '2' } },
      { idempotencyKey: updateKey },
    );
    assert.equal(again.lastResponse.headers['idempotent-replayed'], 'true');
    assert.deepEqual(again.metadata, updated.metadata);
    assert.equal((await customerEvents(stripe, first.id, 'customer.updated')).length, 1);
  });

  test('an error response is replayed as the same error', async () => {
    const idempotencyKey = randomUUID();
    const first = await stripeError(
      stripe.customers.update('cus_missing', { name: 'x' }, { idempotencyKey }),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(first.code, 'resource_missing');
    assert.equal(first.headers?.['idempotent-replayed'], undefined);

    const second = await stripeError(
      stripe.customers.update('cus_missing', { name: 'x' }, { idempotencyKey }),
      E.StripeInvalidRequestError,
      404,
    );
    const wire = (e: typeof first) => [e.statusCode, e.rawType, e.code, e.param, e.message];
    assert.deepEqual(wire(second), wire(first));
    assert.equal(second.code, 'resource_missing');
    assert.equal(second.param, 'id');
    assert.equal(second.headers?.['idempotent-replayed'], 'true');
    assert.equal(second.headers?.['original-request'], first.requestId);
    assert.notEqual(second.requestId, first.requestId);
  });

  test('a request rejected for its params saves nothing: the key can be used again', async () => {
    const idempotencyKey = randomUUID();
    const rejected = await stripeError(
      stripe.customers.create({ email: 'fixed@example.com', colour: 'red' } as Stripe.CustomerCreateParams, {
        idempotencyKey,
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(rejected.code, 'parameter_unknown');
    const fixed = await stripe.customers.create({ email: 'fixed@example.com' }, { idempotencyKey });
    assert.equal(fixed.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal((await stripe.customers.list({ email: 'fixed@example.com' })).data.length, 1);
  });

  test('a key belongs to one account and mode: elsewhere the same key runs anew', async () => {
    const now = Math.floor(Date.now() / 1000);
    const db = server.app.store.db;
    const live = server.stripe(
      await createSecretKey(db, { accountId: server.app.boot.accountId, livemode: true }, now),
    );
    const otherAccount = await createPlatformAccount(db, now, 'Other platform');
    const other = server.stripe(
      await createSecretKey(db, { accountId: otherAccount.id, livemode: false }, now),
    );
    const connected = await stripe.accounts.create({ type: 'custom' });

    const idempotencyKey = randomUUID();
    const params = { email: 'scoped@example.com' };
    const inTest = await stripe.customers.create(params, { idempotencyKey });
    const inLive = await live.customers.create(params, { idempotencyKey });
    const inOther = await other.customers.create(params, { idempotencyKey });
    const inConnected = await stripe.customers.create(params, {
      idempotencyKey,
      stripeAccount: connected.id,
    });

    const results = [inTest, inLive, inOther, inConnected];
    assert.equal(new Set(results.map((c) => c.id)).size, 4, 'four different customers');
    for (const c of results) assert.equal(c.lastResponse.headers['idempotent-replayed'], undefined);
    assert.equal(inTest.livemode, false);
    assert.equal(inLive.livemode, true);

    // Each scope still replays its own request, even with other params elsewhere.
    const replayLive = await live.customers.create(params, { idempotencyKey });
    assert.equal(replayLive.id, inLive.id);
    assert.equal(replayLive.lastResponse.headers['idempotent-replayed'], 'true');
    const replayTest = await stripe.customers.create(params, { idempotencyKey });
    assert.equal(replayTest.id, inTest.id);

    // A mismatch is judged per scope too.
    await stripeError(
      other.customers.create({ email: 'changed@example.com' }, { idempotencyKey }),
      E.StripeIdempotencyError,
      400,
    );
  });

  test("the SDK's own retry after a lost response reuses its generated key: one customer, one event", async () => {
    const proxy = await lossyProxy(server.port);
    try {
      const retrying = server.stripe(undefined, { port: proxy.port, maxNetworkRetries: 2 });
      const customer = await retrying.customers.create({ email: 'lost-response@example.com', name: 'Lost' });
      assert.equal(customer.email, 'lost-response@example.com');

      // The SDK sent the POST twice with the key it generated; the first answer was lost.
      assert.equal(proxy.posts.length, 2);
      assert.equal(proxy.posts[0]!.dropped, true);
      const key = proxy.posts[0]!.idempotencyKey;
      assert.match(key ?? '', /^stripe-node-retry-[0-9a-f-]{36}$/);
      assert.equal(proxy.posts[1]!.idempotencyKey, key);
      assert.equal(customer.lastResponse.headers['idempotent-replayed'], 'true');

      const customers = await stripe.customers.list({ email: 'lost-response@example.com' });
      assert.deepEqual(
        customers.data.map((c) => c.id),
        [customer.id],
      );
      const events = await customerEvents(stripe, customer.id, 'customer.created');
      assert.equal(events.length, 1);
      assert.equal(events[0]!.request?.idempotency_key, key);
      assert.ok(events[0]!.request?.idempotency_key?.startsWith('stripe-node-retry-'));
    } finally {
      await proxy.close();
    }
  });

  test('saved answers carry secrets, so the store keeps neither the key nor the answer readable', async () => {
    const key = `secret-bearing-${Date.now()}`;
    const endpoint = await stripe.webhookEndpoints.create(
      { url: 'https://example.com/hook', enabled_events: ['customer.created'] },
      { idempotencyKey: key },
    );
    assert.match(String(endpoint.secret), /^whsec_/);
    const replay = await stripe.webhookEndpoints.create(
      { url: 'https://example.com/hook', enabled_events: ['customer.created'] },
      { idempotencyKey: key },
    );
    assert.equal(replay.secret, endpoint.secret, 'the replay still answers the secret');
    const rows = await server.app.store.read.selectFrom('idempotency_keys').selectAll().execute();
    const stored = JSON.stringify(rows);
    assert.ok(rows.length > 0);
    assert.ok(!stored.includes(key), 'the Idempotency-Key is stored only as a hash');
    assert.ok(!stored.includes(String(endpoint.secret)), 'the answer is stored sealed');
    assert.ok(!stored.includes(endpoint.id), 'not even its ids are readable');
  });
});
