import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import pg from 'pg';
import Stripe from 'stripe';
import { freePort, KEY_LINE, Program, startPortico } from '../support/program.ts';
import { startProxy, type TcpProxy } from '../support/proxy.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { sdk } from '../support/server.ts';
import { freshStore, type TestStore, testStoreKind } from '../support/store.ts';
import { verifiedEvents, verify, waitForEvents, waitUntil } from '../support/webhooks.ts';

const READY = /^Ready! Your webhook signing secret is (whsec_[A-Za-z0-9]+) \(\^C to quit\)$/m;

const escapeRegExp = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');

/** `portico listen …` as a developer runs it, against the server at `apiBase`. */
function listen(args: string[]): Program {
  return new Program(['listen', ...args], {});
}

describe('portico listen', () => {
  let store: TestStore;
  let port: number;
  let key: string;
  let stripe: Stripe;
  let server: Program;
  let apiBase: string;
  const programs: Program[] = [];
  const receivers: Receiver[] = [];
  const proxies: TcpProxy[] = [];

  const receiver = async () => {
    const r = await startReceiver();
    receivers.push(r);
    return r;
  };
  const start = (args: string[]) => {
    const p = listen(args);
    programs.push(p);
    return p;
  };

  before(async () => {
    store = freshStore();
    port = await freePort();
    server = startPortico(port, store.url);
    programs.push(server);
    [, key] = (await server.waitFor(KEY_LINE)) as [string, string];
    stripe = sdk(port, key);
    apiBase = `http://127.0.0.1:${port}`;
  });
  after(async () => {
    for (const p of programs) await p.kill();
    for (const r of receivers) await r.close();
    for (const x of proxies) await x.close();
    await store.dispose();
  });

  /** Newest events first, as the API lists them, limited to those after `since` (an event id). */
  async function newEvents(count: number): Promise<Stripe.Event[]> {
    return (await stripe.events.list({ limit: count })).data.reverse();
  }

  /** Waits until the listener printed the request and response lines of every event. */
  async function printedFor(listener: Program, url: string, events: Stripe.Event[]) {
    for (const event of events) {
      await listener.waitFor(new RegExp(`--> ${escapeRegExp(event.type)} \\[${event.id}\\]$`, 'm'), 10_000);
      await listener.waitFor(
        new RegExp(`<-- {2}\\[200\\] POST ${escapeRegExp(url)} \\[${event.id}\\]$`, 'm'),
        10_000,
      );
    }
  }

  let secret: string;

  test('forwards each event, signed with the secret it printed, one line out and one back', {
    timeout: 30_000,
  }, async () => {
    const r = await receiver();
    const listener = start(['--forward-to', r.url, '--api-key', key, '--api-base', apiBase]);
    [, secret] = (await listener.waitFor(READY)) as [string, string];

    const customers: Stripe.Customer[] = [];
    for (const name of ['Ada', 'Grace', 'Linus']) customers.push(await stripe.customers.create({ name }));
    const events = await newEvents(3);
    assert.deepEqual(
      events.map((e) => (e.data.object as Stripe.Customer).id),
      customers.map((c) => c.id),
    );
    const got = await waitForEvents(
      r,
      secret,
      events.map((e) => e.id),
    );
    for (const event of got) {
      const match = events.find((e) => e.id === event.id)!;
      assert.equal(event.type, 'customer.created');
      assert.deepEqual(event.data.object, match.data.object);
    }
    for (const request of r.received)
      assert.match(String(request.headers['content-type']), /^application\/json/);
    await printedFor(listener, r.url, events);
    // The signature is made with that secret and no other.
    assert.throws(
      () => verify(r.received[0]!, 'whsec_someotherSecret123'),
      Stripe.errors.StripeSignatureVerificationError,
    );
    assert.equal(listener.stderr, '');
  });

  test('--events customer.updated forwards only those; a second run prints the same secret', {
    timeout: 30_000,
  }, async () => {
    const r = await receiver();
    const listener = start([
      '--forward-to',
      r.url,
      '--events',
      'customer.updated',
      '--api-key',
      key,
      '--api-base',
      apiBase,
    ]);
    const [, again] = (await listener.waitFor(READY)) as [string, string];
    assert.equal(again, secret, 'the signing secret is kept between runs');

    const customer = await stripe.customers.create({ name: 'Filtered' });
    await stripe.customers.update(customer.id, { name: 'Filtered, updated' });
    const [created, updated] = await newEvents(2);
    assert.equal(created!.type, 'customer.created');
    assert.equal(updated!.type, 'customer.updated');
    // Events come in order, so once the update is through, the create would have been before it.
    await waitForEvents(r, secret, [updated!.id]);
    await printedFor(listener, r.url, [updated!]);
    assert.deepEqual(
      verifiedEvents(r, secret).map((e) => e.id),
      [updated!.id],
    );
    assert.doesNotMatch(listener.stdout, new RegExp(created!.id));
    assert.doesNotMatch(listener.stdout, /--> customer\.created/);
  });

  test('many events committed at once all reach the listener', { timeout: 30_000 }, async () => {
    const r = await receiver();
    const listener = start(['--forward-to', r.url, '--api-key', key, '--api-base', apiBase]);
    const [, secret] = (await listener.waitFor(READY)) as [string, string];
    const made: Stripe.Customer[] = [];
    for (let round = 0; round < 12; round++) {
      made.push(
        ...(await Promise.all(
          Array.from({ length: 10 }, (_, i) => stripe.customers.create({ name: `Burst ${round}.${i}` })),
        )),
      );
    }
    const ids = new Set(made.map((c) => c.id));
    const events = (
      await stripe.events.list({ limit: 100, type: 'customer.created' }).autoPagingToArray({ limit: 1000 })
    ).filter((e) => ids.has((e.data.object as Stripe.Customer).id));
    assert.equal(events.length, made.length);
    // Once the last event of the last burst is through, every earlier one should be too.
    const last = events[0]!;
    await waitForEvents(r, secret, [last.id]);
    await waitUntil(
      () => r.received.length >= events.length,
      () => `forwarded ${r.received.length} of ${events.length}`,
      5_000,
    ).catch(() => undefined);
    const forwarded = new Set(verifiedEvents(r, secret).map((e) => e.id));
    const missing = events.filter((e) => !forwarded.has(e.id)).map((e) => e.id);
    assert.deepEqual(missing, [], `${missing.length} of ${events.length} events were never forwarded`);
    await printedFor(listener, r.url, events);
  });

  // On PostgreSQL, event numbers are taken when a transaction inserts its event, not when it
  // commits, so a slow transaction can commit an event numbered below one already streamed.
  // SQLite runs one write transaction at a time, so there the burst above is the check.
  if (testStoreKind() === 'postgres') {
    test('an event whose transaction commits after a later event is still forwarded (PostgreSQL)', {
      timeout: 30_000,
    }, async () => {
      const r = await receiver();
      const listener = start(['--forward-to', r.url, '--api-key', key, '--api-base', apiBase]);
      const [, secret] = (await listener.waitFor(READY)) as [string, string];
      // An endpoint for updates only: an update's transaction also queues a delivery, a create's does not.
      const endpointReceiver = await receiver();
      const endpoint = await stripe.webhookEndpoints.create({
        url: endpointReceiver.url,
        enabled_events: ['customer.updated'],
      });
      const customer = await stripe.customers.create({ name: 'Slow update' });

      const url = new URL(store.url);
      const schema = url.searchParams.get('schema')!;
      url.searchParams.delete('schema');
      const db = new pg.Client({ connectionString: url.toString() });
      await db.connect();
      try {
        await db.query(`set search_path to ${schema}`);
        // Hold back the update's transaction after it has written its event, at its delivery.
        await db.query('begin');
        await db.query('lock table webhook_deliveries in exclusive mode');
        const update = stripe.customers.update(customer.id, { name: 'Slow update, done' });
        await waitUntil(
          async () =>
            (
              await db.query(
                `select count(*)::int as n from pg_locks where not granted and relation = 'webhook_deliveries'::regclass`,
              )
            ).rows[0].n > 0,
          'the update waits for its delivery insert',
        );
        // A later event commits first and is streamed.
        await stripe.customers.create({ name: 'Committed first' });
        const [later] = await newEvents(1);
        assert.equal(later!.type, 'customer.created');
        await waitForEvents(r, secret, [later!.id]);
        await db.query('commit');
        const updated = await update;
        const [slow] = (await stripe.events.list({ limit: 1, type: 'customer.updated' })).data;
        assert.equal((slow!.data.object as Stripe.Customer).name, updated.name);

        await stripe.customers.create({ name: 'Afterwards' });
        const [last] = await newEvents(1);
        await waitForEvents(r, secret, [last!.id]);
        const forwarded = verifiedEvents(r, secret).map((e) => e.id);
        assert.ok(
          forwarded.includes(slow!.id),
          `the customer.updated event ${slow!.id} committed after ${later!.id} was never forwarded`,
        );
      } finally {
        await db.query('rollback').catch(() => undefined);
        await db.end();
        await stripe.webhookEndpoints.del(endpoint.id);
      }
    });
  }

  describe('when the connection to Portico drops and comes back', () => {
    let proxy: TcpProxy;
    let r: Receiver;
    let listener: Program;
    let secret: string;
    before(async () => {
      proxy = await startProxy(port);
      proxies.push(proxy);
      r = await receiver();
      listener = start(['--forward-to', r.url, '--api-key', key, '--api-base', proxy.url]);
      [, secret] = (await listener.waitFor(READY)) as [string, string];
    });

    /** Cuts the listener off, runs `meanwhile`, lets it back in and waits for it to reconnect. */
    async function outage(meanwhile: () => Promise<void>) {
      const lost = listener.stdout.split('Lost the connection').length;
      const readies = proxy.readySeen;
      proxy.cut();
      await waitUntil(
        () => listener.stdout.split('Lost the connection').length > lost,
        'the listener notices the lost connection',
      );
      await meanwhile();
      proxy.restore();
      await waitUntil(() => proxy.readySeen > readies, 'the listener reconnects', 15_000);
    }

    test('an event made while it was away is forwarded, even before any event reached it', {
      timeout: 30_000,
    }, async () => {
      let missed: Stripe.Event | undefined;
      await outage(async () => {
        await stripe.customers.create({ name: 'While away, first' });
        [missed] = await newEvents(1);
      });
      await stripe.customers.create({ name: 'After the outage' });
      const [later] = await newEvents(1);
      await waitForEvents(r, secret, [later!.id]);
      const ids = verifiedEvents(r, secret).map((e) => e.id);
      assert.ok(
        ids.includes(missed!.id),
        `the event created while the listener was cut off (${missed!.id}) was never forwarded; got ${ids.join(', ')}`,
      );
    });

    test('events made while it was away are forwarded after the last one it saw', {
      timeout: 30_000,
    }, async () => {
      await stripe.customers.create({ name: 'Seen before' });
      const [seen] = await newEvents(1);
      await waitForEvents(r, secret, [seen!.id]);
      const missed: string[] = [];
      await outage(async () => {
        for (const name of ['Away 1', 'Away 2']) await stripe.customers.create({ name });
        missed.push(...(await newEvents(2)).map((e) => e.id));
      });
      await stripe.customers.create({ name: 'Back' });
      const [back] = await newEvents(1);
      await waitForEvents(r, secret, [...missed, back!.id]);
      const counts = verifiedEvents(r, secret).filter((e) => e.id === seen!.id).length;
      assert.equal(counts, 1, 'the event seen before the outage is not forwarded again');
    });
  });

  test('^C stops a listener: it exits 0', { timeout: 30_000 }, async () => {
    const r = await receiver();
    const listener = start(['--forward-to', r.url, '--api-key', key, '--api-base', apiBase]);
    await listener.waitFor(READY);
    listener.child.kill('SIGINT');
    assert.deepEqual(await listener.exited, { code: 0, signal: null });
  });

  for (const [name, args, mention] of [
    ['without --forward-to', ['--api-key', 'sk_test_x', '--api-base', 'http://127.0.0.1:9'], '--forward-to'],
    [
      'with a --forward-to that is not a URL',
      ['--forward-to', 'not a url', '--api-key', 'sk_test_x'],
      'not a url',
    ],
  ] as const) {
    test(`listen ${name} exits 1 with one line on stderr`, { timeout: 30_000 }, async () => {
      const p = start([...args]);
      const exit = await p.exited;
      assert.deepEqual(exit, { code: 1, signal: null });
      const lines = p.stderr.trimEnd().split('\n');
      assert.equal(lines.length, 1, `one line on stderr, got:\n${p.stderr}`);
      assert.ok(lines[0]!.includes(mention), lines[0]);
      assert.doesNotMatch(p.stdout, /Ready!/);
    });
  }
});
