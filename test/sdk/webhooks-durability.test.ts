import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { freePort, KEY_LINE, type Program, startPortico } from '../support/program.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { sdk, startServer, type TestServer } from '../support/server.ts';
import { freshStore, type TestStore, testStoreKind } from '../support/store.ts';
import {
  countById,
  fastWebhooks,
  settledDeliveries,
  verifiedEvents,
  waitForEvents,
  waitUntil,
} from '../support/webhooks.ts';

/** Webhook settings for the real program: fast polls, short timeouts, ~15 s of retries. */
const PROGRAM_WEBHOOKS = {
  PORTICO_WEBHOOK_RETRIES_TEST: '0.3,0.5,1,1,1,1,1,1,1,1,1,1,1,1,1',
  PORTICO_WEBHOOK_POLL_MS: '20',
  PORTICO_WEBHOOK_TIMEOUT_MS: '1000',
};

async function createdEvents(stripe: Stripe): Promise<Stripe.Event[]> {
  return stripe.events.list({ limit: 100 }).autoPagingToArray({ limit: 10_000 });
}

describe('kill -9 while deliveries are pending and in flight: nothing is lost', () => {
  let store: TestStore;
  let receiver: Receiver;
  const programs: Program[] = [];
  before(async () => {
    store = freshStore();
    receiver = await startReceiver();
  });
  after(async () => {
    for (const p of programs) await p.kill();
    await receiver.close();
    await store.dispose();
  });

  test('every event created before the crash is delivered after the restart', {
    timeout: 60_000,
  }, async () => {
    const port = await freePort();
    const first = startPortico(port, store.url, PROGRAM_WEBHOOKS);
    programs.push(first);
    const [, key] = await first.waitFor(KEY_LINE);
    const stripe = sdk(port, key!);

    // The receiver is down at first (answers 500), then stops answering at all.
    receiver.respond = () => 500;
    const endpoint = await stripe.webhookEndpoints.create({ url: receiver.url, enabled_events: ['*'] });
    const secret = endpoint.secret!;
    const customers: Stripe.Customer[] = [];
    for (let i = 0; i < 10; i++) customers.push(await stripe.customers.create({ name: `Before crash ${i}` }));
    await receiver.waitFor(5);
    receiver.respond = () => 'hang';
    const hangingFrom = receiver.received.length;
    for (const c of customers.slice(0, 5))
      await stripe.customers.update(c.id, { metadata: { crash: 'soon' } });
    await waitUntil(() => receiver.received.length > hangingFrom, 'a delivery is in flight (hanging)');
    // Some events are only just committed when the process dies.
    await Promise.all(
      Array.from({ length: 5 }, (_, i) => stripe.customers.create({ name: `At the crash ${i}` })),
    );
    await first.kill();
    assert.equal((await first.exited).signal, 'SIGKILL');

    receiver.respond = () => 200;
    const second = startPortico(port, store.url, PROGRAM_WEBHOOKS);
    programs.push(second);
    const [, sameKey] = await second.waitFor(KEY_LINE);
    assert.equal(sameKey, key);
    const client = sdk(port, key!);
    const events = await createdEvents(client);
    assert.equal(events.length, 20, '10 created, 5 updated, 5 created at the crash');

    const got = await waitForEvents(
      receiver,
      secret,
      events.map((e) => e.id),
      30_000,
    );
    // Duplicates are allowed (receivers deduplicate on event.id); loss is not.
    const counts = countById(got);
    for (const event of events) assert.ok(counts.has(event.id), `${event.type} ${event.id} delivered`);
    for (const e of got)
      assert.ok(
        events.some((x) => x.id === e.id),
        'only events of this account',
      );
    for (const event of events) {
      const deliveries = await settledDeliveries(client, event.id, 20_000);
      assert.deepEqual(
        deliveries.map((d) => d.status),
        ['succeeded'],
        `${event.id}`,
      );
      assert.equal((await client.events.retrieve(event.id)).pending_webhooks, 0);
    }
    assert.equal(second.stderr, '', 'the restarted program reported no error');
  });
});

describe('a graceful restart during a pass does not deliver again what a receiver accepted', () => {
  let store: TestStore;
  const receivers: Receiver[] = [];
  const servers: TestServer[] = [];
  before(() => {
    store = freshStore();
  });
  after(async () => {
    for (const s of servers) await s.close().catch(() => undefined);
    for (const r of receivers) await r.close();
    await store.dispose();
  });

  test('while one endpoint hangs, the other endpoint’s accepted deliveries are not repeated', {
    timeout: 30_000,
  }, async () => {
    const webhooks = fastWebhooks({ timeoutMs: 2000, testRetries: [0.2, 0.4, 1] });
    const first = await startServer({ store, config: { webhooks } });
    servers.push(first);
    const stripe = first.stripe();
    const fine = await startReceiver();
    const slow = await startReceiver();
    receivers.push(fine, slow);
    slow.respond = () => 'hang';
    const fineEndpoint = await stripe.webhookEndpoints.create({ url: fine.url, enabled_events: ['*'] });
    const slowEndpoint = await stripe.webhookEndpoints.create({ url: slow.url, enabled_events: ['*'] });

    await stripe.customers.create({ name: 'Accepted before the restart' });
    const [event] = (await stripe.events.list({ limit: 1 })).data;
    // The fine receiver has accepted the event (200); the slow one is still holding its request.
    await waitForEvents(fine, fineEndpoint.secret!, [event!.id]);
    await slow.waitFor(1);
    await first.close();

    slow.respond = () => 200;
    const second = await startServer({ store, config: { webhooks } });
    servers.push(second);
    const again = second.stripe();
    // The interrupted delivery is made again after the restart...
    await waitForEvents(slow, slowEndpoint.secret!, [event!.id]);
    const deliveries = await settledDeliveries(again, event!.id);
    assert.deepEqual(
      deliveries.map((d) => d.status),
      ['succeeded', 'succeeded'],
    );
    // ...but the one the fine receiver already accepted is not.
    await again.customers.create({ name: 'Sentinel' });
    const [sentinel] = (await again.events.list({ limit: 1 })).data;
    await waitForEvents(fine, fineEndpoint.secret!, [sentinel!.id]);
    const fineDeliveries = verifiedEvents(fine, fineEndpoint.secret!).filter((e) => e.id === event!.id);
    assert.equal(
      fineDeliveries.length,
      1,
      'the fine endpoint answered 200 before the restart, yet got the event again after it',
    );
  });
});

const POSTGRES = testStoreKind() === 'postgres';

describe(
  POSTGRES
    ? 'two Portico processes on one PostgreSQL schema: 200 events, each delivered exactly once'
    : 'two Portico servers one after the other on one SQLite file: 200 events, each delivered exactly once',
  () => {
    let store: TestStore;
    let receiver: Receiver;
    const programs: Program[] = [];
    const servers: TestServer[] = [];
    before(async () => {
      store = freshStore();
      receiver = await startReceiver();
    });
    after(async () => {
      for (const p of programs) await p.kill();
      for (const s of servers) await s.close().catch(() => undefined);
      await receiver.close();
      await store.dispose();
    });

    /** Creates `count` customers, `parallel` at a time. */
    async function createCustomers(stripe: Stripe, prefix: string, count: number, parallel = 5) {
      for (let i = 0; i < count; i += parallel) {
        await Promise.all(
          Array.from({ length: Math.min(parallel, count - i) }, (_, j) =>
            stripe.customers.create({ name: `${prefix} ${i + j}` }),
          ),
        );
      }
    }

    async function checkExactlyOnce(stripe: Stripe, secret: string, events: Stripe.Event[]) {
      assert.equal(events.length, 200);
      const got = await waitForEvents(
        receiver,
        secret,
        events.map((e) => e.id),
        30_000,
      );
      // A delivery that succeeded is final; once all are, no other request can come.
      for (const event of events) {
        const deliveries = await settledDeliveries(stripe, event.id, 20_000);
        assert.equal(deliveries.length, 1);
        assert.equal(deliveries[0]!.status, 'succeeded');
      }
      const counts = countById(verifiedEvents(receiver, secret));
      const repeated = [...counts].filter(([, n]) => n > 1);
      assert.deepEqual(repeated, [], 'no event was delivered twice');
      assert.equal(got.length >= 200, true);
      assert.equal(receiver.received.length, 200);
    }

    if (POSTGRES) {
      test('events created through both processes at once', { timeout: 60_000 }, async () => {
        const env = { ...PROGRAM_WEBHOOKS, PORTICO_WEBHOOK_TIMEOUT_MS: '5000' };
        const ports = [await freePort(), await freePort()];
        const one = startPortico(ports[0]!, store.url, env);
        programs.push(one);
        const [, key] = await one.waitFor(KEY_LINE);
        const two = startPortico(ports[1]!, store.url, env);
        programs.push(two);
        const [, sameKey] = await two.waitFor(KEY_LINE);
        assert.equal(sameKey, key, 'both processes share the store, and so the key');
        const clients = ports.map((port) => sdk(port, key!));
        const endpoint = await clients[0]!.webhookEndpoints.create({
          url: receiver.url,
          enabled_events: ['customer.created'],
        });
        await Promise.all(clients.map((c, i) => createCustomers(c, `Process ${i}`, 100)));
        const events = await createdEvents(clients[1]!);
        await checkExactlyOnce(clients[0]!, endpoint.secret!, events);
        for (const p of [one, two]) assert.equal(p.stderr, '', 'neither process reported an error');
      });
    } else {
      test('100 events through the first server, 100 through the second after it', {
        timeout: 60_000,
      }, async () => {
        const webhooks = fastWebhooks({ timeoutMs: 5000, testRetries: [0.3, 0.5, 1, 1, 1] });
        const first = await startServer({ store, config: { webhooks } });
        servers.push(first);
        const endpoint = await first.stripe().webhookEndpoints.create({
          url: receiver.url,
          enabled_events: ['customer.created'],
        });
        await createCustomers(first.stripe(), 'First', 100);
        const firstEvents = await createdEvents(first.stripe());
        await waitForEvents(
          receiver,
          endpoint.secret!,
          firstEvents.map((e) => e.id),
        );
        // Closed once its deliveries are recorded: a normal stop, nothing left in flight.
        for (const event of firstEvents) await settledDeliveries(first.stripe(), event.id);
        await first.close();

        const second = await startServer({ store, config: { webhooks } });
        servers.push(second);
        await createCustomers(second.stripe(), 'Second', 100);
        const events = await createdEvents(second.stripe());
        await checkExactlyOnce(second.stripe(), endpoint.secret!, events);
      });
    }
  },
);
