import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createSecretKey } from '../../src/accounts/keys.ts';
import { API_VERSION } from '../../src/core/version.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { startServer, type TestServer } from '../support/server.ts';
import {
  countById,
  fastWebhooks,
  listDeliveries,
  settledDeliveries,
  verifiedEvents,
  waitForEvents,
  waitUntil,
} from '../support/webhooks.ts';

const objectOf = (event: Stripe.Event) => event.data.object as unknown as Record<string, unknown>;

describe('webhook delivery', () => {
  let server: TestServer;
  let stripe: Stripe;
  let live: Stripe;
  const receivers: Receiver[] = [];
  const endpoints: [Stripe, string][] = [];

  /** A receiver closed after the suite. */
  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };
  /** An endpoint deleted after its test, so it does not see the next test's events. */
  const endpoint = async (params: Stripe.WebhookEndpointCreateParams, client = stripe) => {
    const made = await client.webhookEndpoints.create(params);
    endpoints.push([client, made.id]);
    return made as Stripe.WebhookEndpoint & { secret: string };
  };

  before(async () => {
    // Retries a few times within a few seconds, so a failing receiver can be switched to success.
    server = await startServer({
      config: {
        webhooks: fastWebhooks({ testRetries: Array(10).fill(0.3), liveRetries: Array(10).fill(0.3) }),
      },
    });
    stripe = server.stripe();
    live = server.stripe(
      await createSecretKey(
        server.app.store.db,
        { accountId: server.app.boot.accountId, livemode: true },
        Math.floor(Date.now() / 1000),
      ),
    );
  });
  afterEach(async () => {
    for (const [client, id] of endpoints.splice(0))
      await client.webhookEndpoints.del(id).catch(() => undefined);
  });
  after(async () => {
    await server.close();
    for (const r of receivers) await r.close();
  });

  test('customer created, updated, deleted and account.updated reach a `*` endpoint, signed and whole', async () => {
    const r = await receiver();
    const we = await endpoint({ url: r.url, enabled_events: ['*'] });

    const customer = await stripe.customers.create(
      { email: 'a@example.com', name: 'Ada' },
      { idempotencyKey: 'delivery-create-1' },
    );
    const updated = await stripe.customers.update(customer.id, { name: 'Ada L', metadata: { plan: 'pro' } });
    const deleted = await stripe.customers.del(customer.id);
    const account = await stripe.accounts.update(server.app.boot.accountId, { metadata: { hooked: 'yes' } });

    const events = await stripe.events.list({ limit: 4 });
    const byType = new Map(events.data.map((e) => [e.type, e]));
    const expected: Stripe.Event['type'][] = [
      'customer.created',
      'customer.updated',
      'customer.deleted',
      'account.updated',
    ];
    assert.deepEqual([...byType.keys()].sort(), [...expected].sort());
    const delivered = await waitForEvents(
      r,
      we.secret,
      expected.map((t) => byType.get(t)!.id),
    );
    const got = new Map(delivered.map((e) => [e.type, e]));

    for (const request of r.received) {
      assert.match(String(request.headers['content-type']), /^application\/json/);
      assert.match(String(request.headers['stripe-signature']), /^t=\d+,v1=[0-9a-f]{64}$/);
    }
    for (const event of got.values()) {
      assert.equal(event.object, 'event');
      assert.equal(event.api_version, API_VERSION);
      assert.equal(event.livemode, false);
      assert.equal(event.account, undefined, 'a platform event names no connected account');
      assert.ok(Math.abs(event.created - Date.now() / 1000) < 120);
    }

    const created = got.get('customer.created')!;
    assert.deepEqual(created.data.object, customer, 'data.object is the customer as the API answered it');
    assert.equal(created.request?.id, customer.lastResponse.requestId);
    assert.equal(created.request?.idempotency_key, 'delivery-create-1');
    assert.equal(created.data.previous_attributes, undefined);

    const update = got.get('customer.updated')!;
    assert.deepEqual(update.data.object, updated);
    assert.equal(update.request?.id, updated.lastResponse.requestId);
    assert.deepEqual(update.data.previous_attributes, { name: 'Ada', metadata: { plan: null } });

    const gone = got.get('customer.deleted')!;
    assert.equal(objectOf(gone).id, customer.id);
    assert.equal(objectOf(gone).object, 'customer');
    assert.equal(gone.request?.id, deleted.lastResponse.requestId);

    const accountEvent = got.get('account.updated')!;
    assert.equal(objectOf(accountEvent).id, server.app.boot.accountId);
    assert.deepEqual(objectOf(accountEvent).metadata, { hooked: 'yes' });
    assert.equal(accountEvent.request?.id, account.lastResponse.requestId);

    // The delivered event is the one the API serves (but for the count of endpoints still waiting).
    for (const event of got.values()) {
      const served = await stripe.events.retrieve(event.id);
      assert.deepEqual({ ...served, pending_webhooks: 0 }, { ...event, pending_webhooks: 0 });
    }
  });

  test('enabled_events filters: an endpoint for customer.updated gets only those', async () => {
    const onlyUpdates = await receiver();
    const everything = await receiver();
    const narrow = await endpoint({ url: onlyUpdates.url, enabled_events: ['customer.updated'] });
    const wide = await endpoint({ url: everything.url, enabled_events: ['*'] });

    const customer = await stripe.customers.create({ name: 'Filter' });
    await stripe.customers.update(customer.id, { name: 'Filtered' });
    await stripe.customers.update(customer.id, { name: 'Filtered again' });
    await stripe.customers.del(customer.id);
    const events = (await stripe.events.list({ limit: 4 })).data;
    assert.deepEqual(
      events.map((e) => e.type),
      ['customer.deleted', 'customer.updated', 'customer.updated', 'customer.created'],
    );
    await waitForEvents(
      everything,
      wide.secret,
      events.map((e) => e.id),
    );
    for (const event of events) {
      const deliveries = await settledDeliveries(stripe, event.id);
      const wanted = event.type === 'customer.updated' ? [narrow.id, wide.id] : [wide.id];
      assert.deepEqual(deliveries.map((d) => d.webhook_endpoint).sort(), wanted.sort(), event.type);
      assert.ok(deliveries.every((d) => d.status === 'succeeded'));
    }
    const narrowGot = verifiedEvents(onlyUpdates, narrow.secret);
    assert.deepEqual(
      narrowGot.map((e) => e.type),
      ['customer.updated', 'customer.updated'],
    );
    assert.deepEqual(
      new Set(narrowGot.map((e) => e.id)),
      new Set(events.filter((e) => e.type === 'customer.updated').map((e) => e.id)),
    );
  });

  test('two endpoints each get each event once; pending_webhooks counts them down to 0', async () => {
    const first = await receiver();
    const second = await receiver();
    first.respond = () => 500;
    second.respond = () => 500;
    const one = await endpoint({ url: first.url, enabled_events: ['customer.created'] });
    const two = await endpoint({ url: second.url, enabled_events: ['customer.created'] });

    const customer = await stripe.customers.create({ name: 'Counted' });
    const [event] = (await stripe.events.list({ limit: 1, type: 'customer.created' })).data;
    assert.equal(objectOf(event!).id, customer.id);
    assert.equal(event!.pending_webhooks, 2, 'two endpoints wait for the event');

    // Both endpoints fail: the event still waits for both.
    await first.waitFor(1);
    await second.waitFor(1);
    assert.equal((await stripe.events.retrieve(event!.id)).pending_webhooks, 2);

    first.respond = () => 200;
    await waitUntil(
      async () => (await stripe.events.retrieve(event!.id)).pending_webhooks === 1,
      'pending_webhooks drops to 1 once the first endpoint succeeded',
    );
    second.respond = () => 200;
    await waitUntil(
      async () => (await stripe.events.retrieve(event!.id)).pending_webhooks === 0,
      'pending_webhooks drops to 0 once both endpoints succeeded',
    );
    const deliveries = await settledDeliveries(stripe, event!.id);
    assert.deepEqual(deliveries.map((d) => d.webhook_endpoint).sort(), [one.id, two.id].sort());
    for (const [r, we] of [
      [first, one],
      [second, two],
    ] as const) {
      const events = verifiedEvents(r, we.secret);
      assert.ok(events.every((e) => e.id === event!.id));
      const succeeded = deliveries.find((d) => d.webhook_endpoint === we.id)!;
      assert.equal(succeeded.status, 'succeeded');
      assert.equal(succeeded.attempts.at(-1)!.status_code, 200);
      assert.equal(
        succeeded.attempts.filter((a) => a.status_code === 200).length,
        1,
        'delivered successfully once per endpoint',
      );
      assert.equal(events.length, succeeded.attempts.length, 'every attempt reached the receiver');
    }
  });

  test('with three endpoints and many events at once, every pending_webhooks ends at 0', async () => {
    const rs = [await receiver(), await receiver(), await receiver()];
    const wes = [];
    for (const r of rs) wes.push(await endpoint({ url: r.url, enabled_events: ['customer.created'] }));
    const customers = await Promise.all(
      Array.from({ length: 12 }, (_, i) => stripe.customers.create({ name: `Many ${i}` })),
    );
    const events = (await stripe.events.list({ limit: 12, type: 'customer.created' })).data;
    assert.deepEqual(new Set(events.map((e) => objectOf(e).id)), new Set(customers.map((c) => c.id)));
    for (const event of events) assert.ok(event.pending_webhooks <= 3);
    for (const [i, r] of rs.entries()) {
      const got = await waitForEvents(
        r,
        wes[i]!.secret,
        events.map((e) => e.id),
      );
      assert.ok(
        [...countById(got).values()].every((n) => n === 1),
        'each event once per endpoint',
      );
    }
    for (const event of events) {
      const deliveries = await settledDeliveries(stripe, event.id);
      assert.deepEqual(
        deliveries.map((d) => d.status),
        ['succeeded', 'succeeded', 'succeeded'],
      );
      // The count drops in the same transaction that marks a delivery succeeded.
      assert.equal(
        (await stripe.events.retrieve(event.id)).pending_webhooks,
        0,
        `pending_webhooks of ${event.id} once its three deliveries succeeded`,
      );
    }
  });

  test('connected-account events reach only connect endpoints, carrying `account`', async () => {
    const platformReceiver = await receiver();
    const connectReceiver = await receiver();
    const platform = await endpoint({ url: platformReceiver.url, enabled_events: ['*'] });
    const connect = await endpoint({ url: connectReceiver.url, enabled_events: ['*'], connect: true });

    const account = await stripe.accounts.create({ type: 'custom', country: 'US', email: 'c@example.com' });
    const connectedCustomer = await stripe.customers.create(
      { name: 'On the connected account' },
      { stripeAccount: account.id },
    );
    await stripe.accounts.update(account.id, { metadata: { synced: '1' } });
    const platformCustomer = await stripe.customers.create({ name: 'On the platform' });

    const connectedEvents = (await stripe.events.list({ limit: 10 }, { stripeAccount: account.id })).data;
    assert.deepEqual(connectedEvents.map((e) => e.type).sort(), ['account.updated', 'customer.created']);
    const [platformEvent] = (await stripe.events.list({ limit: 1 })).data;
    assert.equal(objectOf(platformEvent!).id, platformCustomer.id);

    const viaConnect = await waitForEvents(
      connectReceiver,
      connect.secret,
      connectedEvents.map((e) => e.id),
    );
    for (const event of viaConnect) assert.equal(event.account, account.id, `${event.type} carries account`);
    const customerEvent = viaConnect.find((e) => e.type === 'customer.created')!;
    assert.equal(objectOf(customerEvent).id, connectedCustomer.id);
    const accountEvent = viaConnect.find((e) => e.type === 'account.updated')!;
    assert.equal(objectOf(accountEvent).id, account.id);

    const viaPlatform = await waitForEvents(platformReceiver, platform.secret, [platformEvent!.id]);
    assert.equal(viaPlatform[0]!.account, undefined);

    // Deliveries are queued with the event: the connected events have none for the platform
    // endpoint, the platform event none for the connect endpoint.
    for (const event of connectedEvents) {
      const deliveries = await settledDeliveries(stripe, event.id, 10_000, { stripeAccount: account.id });
      assert.deepEqual(
        deliveries.map((d) => d.webhook_endpoint),
        [connect.id],
      );
    }
    const platformDeliveries = await settledDeliveries(stripe, platformEvent!.id);
    assert.deepEqual(
      platformDeliveries.map((d) => d.webhook_endpoint),
      [platform.id],
    );
    assert.deepEqual(
      verifiedEvents(platformReceiver, platform.secret).map((e) => e.id),
      [platformEvent!.id],
      'the platform endpoint got only the platform event',
    );
    assert.deepEqual(
      new Set(verifiedEvents(connectReceiver, connect.secret).map((e) => e.id)),
      new Set(connectedEvents.map((e) => e.id)),
      'the connect endpoint got only the connected events',
    );
  });

  test('live events go to live endpoints only, and test events to test endpoints only', async () => {
    const testReceiver = await receiver();
    const liveReceiver = await receiver();
    const testEndpoint = await endpoint({ url: testReceiver.url, enabled_events: ['*'] });
    const liveEndpoint = await endpoint({ url: liveReceiver.url, enabled_events: ['*'] }, live);

    const liveCustomer = await live.customers.create({ name: 'Live' });
    const testCustomer = await stripe.customers.create({ name: 'Test' });
    const [liveEvent] = (await live.events.list({ limit: 1 })).data;
    const [testEvent] = (await stripe.events.list({ limit: 1 })).data;
    assert.equal(objectOf(liveEvent!).id, liveCustomer.id);
    assert.equal(objectOf(testEvent!).id, testCustomer.id);

    const [gotLive] = await waitForEvents(liveReceiver, liveEndpoint.secret, [liveEvent!.id]);
    assert.equal(gotLive!.livemode, true);
    const [gotTest] = await waitForEvents(testReceiver, testEndpoint.secret, [testEvent!.id]);
    assert.equal(gotTest!.livemode, false);
    assert.deepEqual(
      (await settledDeliveries(live, liveEvent!.id)).map((d) => d.webhook_endpoint),
      [liveEndpoint.id],
    );
    assert.deepEqual(
      (await settledDeliveries(stripe, testEvent!.id)).map((d) => d.webhook_endpoint),
      [testEndpoint.id],
    );
    assert.equal(liveReceiver.received.length, 1);
    assert.equal(testReceiver.received.length, 1);
  });

  test('a disabled endpoint receives nothing; enabled again, it receives new events', async () => {
    const off = await receiver();
    const on = await receiver();
    const disabledEndpoint = await endpoint({ url: off.url, enabled_events: ['*'] });
    const enabledEndpoint = await endpoint({ url: on.url, enabled_events: ['*'] });
    await stripe.webhookEndpoints.update(disabledEndpoint.id, { disabled: true });

    await stripe.customers.create({ name: 'Unheard' });
    const [event] = (await stripe.events.list({ limit: 1 })).data;
    await waitForEvents(on, enabledEndpoint.secret, [event!.id]);
    assert.deepEqual(
      (await settledDeliveries(stripe, event!.id)).map((d) => d.webhook_endpoint),
      [enabledEndpoint.id],
      'no delivery is queued for a disabled endpoint',
    );
    assert.equal(event!.pending_webhooks, 1, 'a disabled endpoint is not waited for');
    assert.equal(off.received.length, 0);

    await stripe.webhookEndpoints.update(disabledEndpoint.id, { disabled: false });
    await stripe.customers.create({ name: 'Heard' });
    const [next] = (await stripe.events.list({ limit: 1 })).data;
    const got = await waitForEvents(off, disabledEndpoint.secret, [next!.id]);
    assert.deepEqual(
      got.map((e) => e.id),
      [next!.id],
      'only the event created after enabling',
    );
  });

  test('deleting an endpoint stops its retries', async () => {
    const r = await receiver();
    r.respond = () => 500;
    const we = await endpoint({ url: r.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Retried' });
    const [event] = (await stripe.events.list({ limit: 1 })).data;
    await r.waitFor(1);
    await stripe.webhookEndpoints.del(we.id);
    const [delivery] = await settledDeliveries(stripe, event!.id);
    assert.equal(delivery!.webhook_endpoint, we.id);
    assert.equal(delivery!.status, 'canceled');
    assert.equal(delivery!.next_attempt, null);
    assert.equal(r.received.length, delivery!.attempts.length, 'no attempt after the delete');
    assert.equal(r.received.length, 1);
    verifiedEvents(r, we.secret);
  });

  test('disabling an endpoint stops its retries', async () => {
    const r = await receiver();
    r.respond = () => 503;
    const we = await endpoint({ url: r.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Retried then disabled' });
    const [event] = (await stripe.events.list({ limit: 1 })).data;
    await r.waitFor(1);
    await stripe.webhookEndpoints.update(we.id, { disabled: true });
    const [delivery] = await settledDeliveries(stripe, event!.id);
    assert.equal(delivery!.status, 'canceled');
    assert.equal(r.received.length, 1);
    assert.equal(delivery!.attempts[0]!.status_code, 503);
  });

  test('a new url takes effect for the next delivery', async () => {
    const oldReceiver = await receiver();
    const newReceiver = await receiver();
    const we = await endpoint({ url: oldReceiver.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Before' });
    const [before] = (await stripe.events.list({ limit: 1 })).data;
    await waitForEvents(oldReceiver, we.secret, [before!.id]);
    await stripe.webhookEndpoints.update(we.id, { url: newReceiver.url });
    await stripe.customers.create({ name: 'After' });
    const [afterEvent] = (await stripe.events.list({ limit: 1 })).data;
    await waitForEvents(newReceiver, we.secret, [afterEvent!.id]);
    assert.equal(oldReceiver.received.length, 1);
    assert.equal(newReceiver.received.length, 1);
  });

  test('a replayed idempotent request sends no second webhook', async () => {
    const r = await receiver();
    const we = await endpoint({ url: r.url, enabled_events: ['customer.created'] });
    const first = await stripe.customers.create({ name: 'Once' }, { idempotencyKey: 'replay-webhook-1' });
    const replay = await stripe.customers.create({ name: 'Once' }, { idempotencyKey: 'replay-webhook-1' });
    assert.equal(replay.id, first.id);
    await stripe.customers.create({ name: 'Sentinel' });
    const events = (await stripe.events.list({ limit: 10, type: 'customer.created' })).data;
    const mine = events.filter((e) => objectOf(e).id === first.id);
    assert.equal(mine.length, 1, 'one event for the one customer');
    await waitForEvents(
      r,
      we.secret,
      events.slice(0, 2).map((e) => e.id),
    );
    for (const e of events.slice(0, 2)) await settledDeliveries(stripe, e.id);
    const got = verifiedEvents(r, we.secret).filter((e) => objectOf(e).id === first.id);
    assert.equal(got.length, 1);
  });

  test('a redirect is a failure, not a delivery', async () => {
    const r = await receiver();
    let calls = 0;
    r.respond = () => (++calls === 1 ? 302 : 200);
    const we = await endpoint({ url: r.url, enabled_events: ['customer.created'] });
    await stripe.customers.create({ name: 'Redirected' });
    const [event] = (await stripe.events.list({ limit: 1 })).data;
    await r.waitFor(2);
    const [delivery] = await settledDeliveries(stripe, event!.id);
    assert.equal(delivery!.status, 'succeeded');
    assert.deepEqual(
      delivery!.attempts.map((a) => a.status_code),
      [302, 200],
    );
    assert.equal(verifiedEvents(r, we.secret).length, 2);
  });

  test('the delivery listing of an unknown event is a 400 naming `event`', async () => {
    let caught: unknown;
    try {
      await listDeliveries(stripe, 'evt_doesnotexist');
    } catch (e) {
      caught = e;
    }
    const error = caught as { statusCode?: number; code?: string; param?: string };
    assert.equal(error?.statusCode, 400);
    assert.equal(error.code, 'resource_missing');
    assert.equal(error.param, 'event');
  });
});
