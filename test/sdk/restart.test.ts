import assert from 'node:assert/strict';
import http from 'node:http';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { freePort, Program } from '../support/program.ts';
import { sdk } from '../support/server.ts';
import { freshStore, type TestStore } from '../support/store.ts';

/** How long a stopped server may take to exit; far above a healthy shutdown, below docker's 10 s. */
const SHUTDOWN_BOUND_MS = 8_000;
const KEY_LINE = /^Secret key \(test mode\): (sk_test_[A-Za-z0-9]+)( \(generated now and stored\))?$/m;

/**
 * A customer create whose body is held back: the headers go out with `Expect: 100-continue`, so
 * once the server answers `100 Continue` the request is in flight on the server. `finish` sends
 * the body and resolves with the response. Uses a keep-alive connection, as the SDK does.
 */
async function heldCreate(port: number, key: string, body: string) {
  const agent = new http.Agent({ keepAlive: true });
  const request = http.request({
    host: '127.0.0.1',
    port,
    method: 'POST',
    path: '/v1/customers',
    agent,
    headers: {
      authorization: `Bearer ${key}`,
      'content-type': 'application/x-www-form-urlencoded',
      'content-length': Buffer.byteLength(body),
      'idempotency-key': `held-${Date.now()}`,
      expect: '100-continue',
    },
  });
  type Answer = { status: number; json: Stripe.Customer; connection?: string; keepAlive?: string };
  const response = new Promise<Answer>((resolve, reject) => {
    request.on('response', (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => {
        text += d;
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          json: JSON.parse(text) as Stripe.Customer,
          connection: res.headers.connection,
          keepAlive: String(res.headers['keep-alive']),
        }),
      );
      res.on('error', reject);
    });
    request.on('error', reject);
  });
  await new Promise<void>((resolve) => {
    request.on('continue', () => resolve());
    request.flushHeaders();
  });
  return {
    finish: () => {
      request.end(body);
      return response;
    },
    /** The client side keeps its idle connection open until told, as a pooled client does. */
    release: () => agent.destroy(),
  };
}

describe('the real program: start, graceful stop, restart on the same store', () => {
  let store: TestStore;
  let port: number;
  let env: Record<string, string>;
  const started: Program[] = [];
  const start = () => {
    const p = new Program([], env);
    started.push(p);
    return p;
  };

  before(async () => {
    store = freshStore();
    port = await freePort();
    env = {
      PORT: String(port),
      PORTICO_HOST: '127.0.0.1',
      PORTICO_DATABASE_URL: store.url,
      PORTICO_PUBLIC_URL: 'http://billing.example.test',
    };
  });
  after(async () => {
    for (const p of started) await p.kill();
    await store.dispose();
  });

  let key: string;
  let stripe: Stripe;
  const customers: Stripe.Customer[] = [];

  let first: Program;

  test('first start prints the generated key and serves /healthz and the API', {
    timeout: 60_000,
  }, async () => {
    first = start();
    const [, printed, generated] = await first.waitFor(KEY_LINE);
    key = printed!;
    assert.equal(generated, ' (generated now and stored)');
    assert.match(first.stdout, /^Portico listening on http:\/\/billing\.example\.test /m);

    const health = await fetch(`http://127.0.0.1:${port}/healthz`);
    assert.equal(health.status, 200);
    assert.deepEqual(await health.json(), { status: 'ok' });

    stripe = sdk(port, key);
    for (const name of ['Ada', 'Grace', 'Linus']) {
      customers.push(await stripe.customers.create({ name, email: `${name.toLowerCase()}@example.com` }));
    }
    await stripe.customers.update(customers[0]!.id, { metadata: { tier: 'gold' } });
    assert.equal((await stripe.customers.list()).data.length, 3);
  });

  test('SIGTERM while a request is in flight: the request completes, then the process exits 0', {
    timeout: 60_000,
  }, async () => {
    assert.ok(key, 'the first start ran');
    const held = await heldCreate(port, key, 'name=In+flight&email=inflight%40example.com');
    first.child.kill('SIGTERM');
    await first.waitFor(/SIGTERM received/);
    const response = await held.finish();
    assert.equal(response.status, 200);
    assert.equal(response.json.email, 'inflight@example.com');
    customers.push(response.json);

    // The client keeps its connection, now idle, in its pool, as the SDK's keep-alive agent does.
    // Shutting down must not wait for it: a supervisor (docker stop, 10 s by default) would
    // otherwise kill the process before it exits on its own.
    let timer: NodeJS.Timeout | undefined;
    const exitedOnItsOwn = await Promise.race([
      first.exited.then(() => true),
      new Promise<boolean>((resolve) => {
        timer = setTimeout(() => resolve(false), SHUTDOWN_BOUND_MS);
      }),
    ]);
    clearTimeout(timer);
    held.release();
    const exit = await first.exited;
    assert.ok(
      exitedOnItsOwn,
      `still running ${SHUTDOWN_BOUND_MS} ms after SIGTERM while a client held an idle keep-alive connection; ` +
        `the in-flight response said Connection: ${response.connection}, Keep-Alive: ${response.keepAlive}`,
    );
    assert.deepEqual(exit, { code: 0, signal: null });
    assert.equal(first.stderr, '');
  });

  test('a restart on the same store keeps everything, and the same key still works', {
    timeout: 60_000,
  }, async () => {
    assert.equal(customers.length, 4, 'the first start ran');
    const second = start();
    const [, printed, generated] = await second.waitFor(KEY_LINE);
    assert.equal(printed, key);
    assert.equal(generated, undefined);

    const listed = await stripe.customers.list({ limit: 100 });
    assert.deepEqual(
      listed.data.map((c) => c.id),
      customers.map((c) => c.id).reverse(),
    );
    const ada = (await stripe.customers.retrieve(customers[0]!.id)) as Stripe.Customer;
    assert.deepEqual(ada.metadata, { tier: 'gold' });
    const inFlight = (await stripe.customers.retrieve(customers[3]!.id)) as Stripe.Customer;
    assert.deepEqual(inFlight, customers[3]);

    const events = await stripe.events.list({ limit: 100 });
    assert.deepEqual(
      events.data.map((e) => e.type),
      ['customer.created', 'customer.updated', 'customer.created', 'customer.created', 'customer.created'],
    );

    second.child.kill('SIGTERM');
    assert.deepEqual(await second.exited, { code: 0, signal: null });
  });
});

describe('the real program refuses bad configuration', () => {
  for (const [variable, value] of [
    ['PORT', 'abc'],
    ['PORTICO_DATABASE_URL', 'mysql://x'],
  ] as const) {
    test(`${variable}=${value} exits non-zero with one line naming the variable`, {
      timeout: 60_000,
    }, async () => {
      const p = new Program([], { PORTICO_DATABASE_URL: 'sqlite::memory:', [variable]: value });
      try {
        const exit = await p.exited;
        assert.notEqual(exit.code, 0);
        assert.equal(exit.signal, null);
        const lines = p.stderr.trimEnd().split('\n');
        assert.equal(lines.length, 1, `one line on stderr, got:\n${p.stderr}`);
        assert.ok(lines[0]!.includes(variable), lines[0]);
        assert.ok(lines[0]!.includes(value), lines[0]);
        assert.doesNotMatch(p.stdout, /listening/);
      } finally {
        await p.kill();
      }
    });
  }
});

describe('two instances side by side on one database server', () => {
  const stores: TestStore[] = [];
  const running: Program[] = [];
  after(async () => {
    for (const p of running) await p.kill();
    for (const s of stores) await s.dispose();
  });

  // On PostgreSQL each store is its own schema (`?schema=`) of the same database, the setup
  // src/store/database.ts documents for sharing one database between instances.
  test('each starts on its own fresh store and keeps its own data', { timeout: 60_000 }, async () => {
    const instances: { portico: Program; port: number }[] = [];
    for (let i = 0; i < 2; i++) {
      const store = freshStore();
      stores.push(store);
      const port = await freePort();
      const portico = new Program([], {
        PORT: String(port),
        PORTICO_HOST: '127.0.0.1',
        PORTICO_DATABASE_URL: store.url,
      });
      running.push(portico);
      instances.push({ portico, port });
      // The second starts while the first is up and running.
      await portico.waitFor(KEY_LINE);
    }
    const clients = instances.map(({ portico, port }) => sdk(port, portico.stdout.match(KEY_LINE)![1]!));
    const made = [];
    for (const [i, client] of clients.entries())
      made.push(await client.customers.create({ name: `Instance ${i}` }));
    for (const [i, client] of clients.entries()) {
      const listed = await client.customers.list();
      assert.deepEqual(
        listed.data.map((c) => c.id),
        [made[i]!.id],
      );
    }
    for (const { portico } of instances) {
      portico.child.kill('SIGTERM');
      assert.deepEqual(await portico.exited, { code: 0, signal: null });
    }
  });
});
