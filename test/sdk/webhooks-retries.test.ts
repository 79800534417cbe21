import assert from 'node:assert/strict';
import { after, afterEach, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createSecretKey } from '../../src/accounts/keys.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { startServer, type TestServer } from '../support/server.ts';
import {
  fastWebhooks,
  listDeliveries,
  settledDeliveries,
  verifiedEvents,
  waitForEvents,
  waitUntil,
} from '../support/webhooks.ts';

type Endpoint = Stripe.WebhookEndpoint & { secret: string };

interface Harness {
  server: TestServer;
  stripe: Stripe;
  receivers: Receiver[];
  endpoints: [Stripe, string][];
  receiver(): Promise<Receiver>;
  endpoint(params: Stripe.WebhookEndpointCreateParams, client?: Stripe): Promise<Endpoint>;
  customerEvent(client?: Stripe, name?: string): Promise<Stripe.Event>;
}

/** A server, its receivers and endpoints, cleaned up after each test / the suite. */
function harness(webhooks: Parameters<typeof fastWebhooks>[0]): Harness {
  const h: Harness = {
    server: undefined as unknown as TestServer,
    stripe: undefined as unknown as Stripe,
    receivers: [] as Receiver[],
    endpoints: [] as [Stripe, string][],
    async receiver() {
      const r = await startReceiver();
      h.receivers.push(r);
      return r;
    },
    async endpoint(params: Stripe.WebhookEndpointCreateParams, client = h.stripe): Promise<Endpoint> {
      const made = await client.webhookEndpoints.create(params);
      h.endpoints.push([client, made.id]);
      return made as Endpoint;
    },
    /** Creates a customer and answers its customer.created event. */
    async customerEvent(client = h.stripe, name = 'Hooked'): Promise<Stripe.Event> {
      const customer = await client.customers.create({ name });
      const [event] = (await client.events.list({ limit: 1, type: 'customer.created' })).data;
      assert.equal((event!.data.object as Stripe.Customer).id, customer.id);
      return event!;
    },
  };
  before(async () => {
    h.server = await startServer({ config: { webhooks: fastWebhooks(webhooks) } });
    h.stripe = h.server.stripe();
  });
  afterEach(async () => {
    for (const [client, id] of h.endpoints.splice(0))
      await client.webhookEndpoints.del(id).catch(() => undefined);
  });
  after(async () => {
    for (const r of h.receivers) await r.close();
    await h.server.close();
  });
  return h;
}

describe('webhook retries (retries after 0.2 s and 0.4 s, 500 ms timeout)', () => {
  const h = harness({ testRetries: [0.2, 0.4], timeoutMs: 500 });

  test('500 then 200: delivered again, then settled; the listing shows both attempts', async () => {
    const r = await h.receiver();
    let calls = 0;
    r.respond = () => (++calls === 1 ? 500 : 200);
    const we = await h.endpoint({ url: r.url, enabled_events: ['customer.created'] });
    const event = await h.customerEvent();

    const got = await waitForEvents(r, we.secret, [event.id]);
    await r.waitFor(2);
    const [delivery, ...others] = await settledDeliveries(h.stripe, event.id);
    assert.equal(others.length, 0);
    assert.equal(delivery!.object, 'portico.webhook_delivery');
    assert.match(delivery!.id, /^whdel_/);
    assert.equal(delivery!.event, event.id);
    assert.equal(delivery!.webhook_endpoint, we.id);
    assert.equal(delivery!.status, 'succeeded');
    assert.equal(delivery!.next_attempt, null, 'nothing more is scheduled');
    assert.equal(delivery!.attempts.length, 2);
    const [first, second] = delivery!.attempts;
    assert.equal(first!.status_code, 500);
    assert.match(String(first!.error), /500/);
    assert.equal(second!.status_code, 200);
    assert.equal(second!.error, null);
    for (const a of delivery!.attempts) {
      assert.equal(typeof a.duration_ms, 'number');
      assert.ok(Math.abs(a.created - Date.now() / 1000) < 120, 'attempt times are unix seconds');
    }
    assert.ok(first!.created <= second!.created);

    // Both requests carried the same event, each validly signed.
    const events = verifiedEvents(r, we.secret);
    assert.deepEqual(
      events.map((e) => e.id),
      [event.id, event.id],
    );
    assert.equal(got[0]!.type, 'customer.created');
    // Settled for good: the success is not followed by further attempts, and the event waits no more.
    assert.equal((await h.stripe.events.retrieve(event.id)).pending_webhooks, 0);
    const sentinel = await h.customerEvent(h.stripe, 'Sentinel');
    await waitForEvents(r, we.secret, [sentinel.id]);
    assert.equal(verifiedEvents(r, we.secret).filter((e) => e.id === event.id).length, 2);
    assert.equal((await listDeliveries(h.stripe, event.id))[0]!.attempts.length, 2);
  });

  test('a receiver that hangs: the attempt times out and is retried', async () => {
    const r = await h.receiver();
    let calls = 0;
    r.respond = () => (++calls === 1 ? 'hang' : 200);
    const we = await h.endpoint({ url: r.url, enabled_events: ['customer.created'] });
    const event = await h.customerEvent();
    await r.waitFor(2);
    const [delivery] = await settledDeliveries(h.stripe, event.id);
    assert.equal(delivery!.status, 'succeeded');
    assert.equal(delivery!.attempts.length, 2);
    assert.equal(delivery!.attempts[0]!.status_code, null);
    assert.match(String(delivery!.attempts[0]!.error), /timed out/);
    assert.equal(delivery!.attempts[1]!.status_code, 200);
    assert.deepEqual(
      verifiedEvents(r, we.secret).map((e) => e.id),
      [event.id, event.id],
    );
  });

  test('a receiver that always fails: after the schedule the delivery is failed, the event still pending', async () => {
    const r = await h.receiver();
    r.respond = () => 500;
    const we = await h.endpoint({ url: r.url, enabled_events: ['customer.created'] });
    const event = await h.customerEvent();
    const [delivery] = await settledDeliveries(h.stripe, event.id);
    assert.equal(delivery!.status, 'failed');
    assert.equal(delivery!.next_attempt, null);
    // The first attempt and one per retry delay.
    assert.deepEqual(
      delivery!.attempts.map((a) => a.status_code),
      [500, 500, 500],
    );
    assert.equal(r.received.length, 3);
    for (const e of verifiedEvents(r, we.secret)) assert.equal(e.id, event.id);
    assert.equal(
      (await h.stripe.events.retrieve(event.id)).pending_webhooks,
      1,
      'an endpoint that never got the event still counts',
    );
    assert.equal(
      (await h.stripe.webhookEndpoints.retrieve(we.id)).status,
      'enabled',
      'not failing long enough',
    );
  });

  test('a receiver that is not listening: the attempt records the connection error', async () => {
    const r = await startReceiver();
    const url = r.url;
    await r.close();
    await h.endpoint({ url, enabled_events: ['customer.created'] });
    const event = await h.customerEvent();
    const [delivery] = await settledDeliveries(h.stripe, event.id);
    assert.equal(delivery!.status, 'failed');
    assert.equal(delivery!.attempts.length, 3);
    for (const a of delivery!.attempts) {
      assert.equal(a.status_code, null);
      assert.match(String(a.error), /ECONNREFUSED/);
    }
  });

  test('events.list delivery_success tells failed deliveries from successful ones', async () => {
    const failing = await h.receiver();
    failing.respond = () => 500;
    const failingEndpoint = await h.endpoint({ url: failing.url, enabled_events: ['customer.created'] });
    const bad = await h.customerEvent(h.stripe, 'Undeliverable');
    assert.equal((await settledDeliveries(h.stripe, bad.id))[0]!.status, 'failed');
    await h.stripe.webhookEndpoints.del(failingEndpoint.id);

    const working = await h.receiver();
    const workingEndpoint = await h.endpoint({ url: working.url, enabled_events: ['customer.created'] });
    const good = await h.customerEvent(h.stripe, 'Delivered');
    await waitForEvents(working, workingEndpoint.secret, [good.id]);
    assert.equal((await settledDeliveries(h.stripe, good.id))[0]!.status, 'succeeded');

    const unsuccessful = (await h.stripe.events.list({ limit: 100, delivery_success: false })).data.map(
      (e) => e.id,
    );
    const successful = (await h.stripe.events.list({ limit: 100, delivery_success: true })).data.map(
      (e) => e.id,
    );
    assert.ok(unsuccessful.includes(bad.id), 'delivery_success=false lists the event whose delivery failed');
    assert.ok(!unsuccessful.includes(good.id), 'delivery_success=false leaves out the delivered event');
    assert.ok(successful.includes(good.id), 'delivery_success=true lists the delivered event');
    assert.ok(
      !successful.includes(bad.id),
      'delivery_success=true leaves out the event whose delivery failed',
    );
  });
});

describe('webhook retries: live and test schedules are separate', () => {
  const h = harness({ testRetries: [], liveRetries: [0.2], timeoutMs: 500 });

  test('test mode with no retries tries once; live mode follows its own schedule', async () => {
    const live = h.server.stripe(
      await createSecretKey(
        h.server.app.store.db,
        { accountId: h.server.app.boot.accountId, livemode: true },
        Math.floor(Date.now() / 1000),
      ),
    );
    const testReceiver = await h.receiver();
    const liveReceiver = await h.receiver();
    testReceiver.respond = () => 500;
    liveReceiver.respond = () => 500;
    const testEndpoint = await h.endpoint({ url: testReceiver.url, enabled_events: ['*'] });
    const liveEndpoint = await h.endpoint({ url: liveReceiver.url, enabled_events: ['*'] }, live);
    const testEvent = await h.customerEvent();
    const liveEvent = await h.customerEvent(live);
    const [testDelivery] = await settledDeliveries(h.stripe, testEvent.id);
    const [liveDelivery] = await settledDeliveries(live, liveEvent.id);
    assert.equal(testDelivery!.status, 'failed');
    assert.equal(testDelivery!.attempts.length, 1);
    assert.equal(liveDelivery!.status, 'failed');
    assert.equal(liveDelivery!.attempts.length, 2);
    assert.equal(verifiedEvents(testReceiver, testEndpoint.secret).length, 1);
    const liveGot = verifiedEvents(liveReceiver, liveEndpoint.secret);
    assert.equal(liveGot.length, 2);
    assert.ok(liveGot.every((e) => e.livemode && e.id === liveEvent.id));
  });
});

describe('an endpoint that only fails is disabled (disableAfterSeconds 0.5)', () => {
  const h = harness({ testRetries: [0.2, 0.4], timeoutMs: 500, disableAfterSeconds: 0.5 });

  test('it becomes disabled; enabled again with disabled: false, it receives new events', async () => {
    const r = await h.receiver();
    r.respond = () => 500;
    const we = await h.endpoint({ url: r.url, enabled_events: ['customer.created'] });
    const healthyReceiver = await h.receiver();
    const healthy = await h.endpoint({ url: healthyReceiver.url, enabled_events: ['customer.created'] });
    const event = await h.customerEvent();

    const disabled = await waitUntil(async () => {
      const current = await h.stripe.webhookEndpoints.retrieve(we.id);
      return current.status === 'disabled' ? current : undefined;
    }, 'the failing endpoint is disabled');
    assert.equal(disabled.url, r.url);
    const listed = await h.stripe.webhookEndpoints.list({ limit: 100 });
    assert.equal(listed.data.find((e) => e.id === we.id)?.status, 'disabled');
    assert.equal(
      (await h.stripe.webhookEndpoints.retrieve(healthy.id)).status,
      'enabled',
      'an endpoint that succeeds stays enabled',
    );
    const deliveries = await settledDeliveries(h.stripe, event.id);
    const failed = deliveries.find((d) => d.webhook_endpoint === we.id)!;
    assert.notEqual(failed.status, 'succeeded');
    assert.ok(failed.attempts.every((a) => a.status_code === 500));
    for (const e of verifiedEvents(r, we.secret)) assert.equal(e.id, event.id);

    // While disabled, new events are not queued for it.
    const whileDisabled = await h.customerEvent(h.stripe, 'While disabled');
    await waitForEvents(healthyReceiver, healthy.secret, [whileDisabled.id]);
    assert.deepEqual(
      (await settledDeliveries(h.stripe, whileDisabled.id)).map((d) => d.webhook_endpoint),
      [healthy.id],
    );

    // Enabled again and answering: new events arrive, and it stays enabled.
    r.respond = () => 200;
    const enabled = await h.stripe.webhookEndpoints.update(we.id, { disabled: false });
    assert.equal(enabled.status, 'enabled');
    const afterwards = await h.customerEvent(h.stripe, 'After re-enabling');
    await waitForEvents(r, we.secret, [afterwards.id]);
    assert.ok(!verifiedEvents(r, we.secret).some((e) => e.id === whileDisabled.id));
    const [delivery] = (await settledDeliveries(h.stripe, afterwards.id)).filter(
      (d) => d.webhook_endpoint === we.id,
    );
    assert.equal(delivery!.status, 'succeeded');
    assert.equal((await h.stripe.webhookEndpoints.retrieve(we.id)).status, 'enabled');
  });

  test('re-enabling starts afresh: one new failure does not disable the endpoint again', async () => {
    const r = await h.receiver();
    r.respond = () => 500;
    const we = await h.endpoint({ url: r.url, enabled_events: ['customer.created'] });
    await h.customerEvent();
    await waitUntil(
      async () => (await h.stripe.webhookEndpoints.retrieve(we.id)).status === 'disabled',
      'the failing endpoint is disabled',
    );
    await h.stripe.webhookEndpoints.update(we.id, { disabled: false });
    const seen = r.received.length;
    let calls = 0;
    r.respond = () => (++calls === 1 ? 500 : 200);
    const next = await h.customerEvent(h.stripe, 'One failure after re-enabling');
    await waitForEvents(r, we.secret, [next.id]);
    const [delivery] = await settledDeliveries(h.stripe, next.id);
    assert.equal(delivery!.status, 'succeeded');
    assert.equal(delivery!.attempts.length, 2);
    assert.ok(r.received.length > seen);
    assert.equal((await h.stripe.webhookEndpoints.retrieve(we.id)).status, 'enabled');
  });
});

describe('a slow endpoint does not hold up the others (3 s timeout)', () => {
  const h = harness({ testRetries: [0.2], timeoutMs: 3000 });

  test('while one endpoint hangs, another receives later events', async () => {
    const stuck = await h.receiver();
    stuck.respond = () => 'hang';
    const fine = await h.receiver();
    const stuckEndpoint = await h.endpoint({ url: stuck.url, enabled_events: ['customer.created'] });
    const fineEndpoint = await h.endpoint({ url: fine.url, enabled_events: ['customer.updated'] });

    const customer = await h.stripe.customers.create({ name: 'Slow' });
    const [created] = (await h.stripe.events.list({ limit: 1 })).data;
    await stuck.waitFor(1);
    await h.stripe.customers.update(customer.id, { name: 'Fast' });
    const [updated] = (await h.stripe.events.list({ limit: 1 })).data;
    assert.equal(updated!.type, 'customer.updated');

    await waitForEvents(fine, fineEndpoint.secret, [updated!.id], 15_000);
    const [stuckDelivery] = await listDeliveries(h.stripe, created!.id);
    assert.equal(stuckDelivery!.webhook_endpoint, stuckEndpoint.id);
    assert.equal(
      stuckDelivery!.attempts.length,
      0,
      `the other endpoint got its event only after the hanging attempt had ended: ${JSON.stringify(stuckDelivery!.attempts)}`,
    );
    // Let the hanging attempt fail now rather than at its timeout.
    await stuck.close();
  });
});
