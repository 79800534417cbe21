import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { seedFixtures } from '../support/hostile/fixtures.ts';
import { KNOWN_OPEN } from '../support/hostile/known-open.ts';
import { servedRoutes } from '../support/hostile/routes.ts';
import { runSweep, summarize } from '../support/hostile/sweep.ts';
import { SEED } from '../support/property-seed.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { testStoreKind } from '../support/store.ts';

const REQUESTS = 20_000;

/** The heap after a full collection, in MB: what is still live, not garbage waiting. */
function liveHeapMb(): number {
  setFlagsFromString('--expose-gc');
  const gc = runInNewContext('gc') as () => void;
  gc();
  gc();
  return process.memoryUsage().heapUsed / 2 ** 20;
}

/** Two requests, one after the other, on one raw keep-alive connection: both must be answered. */
async function twoOnOneConnection(server: TestServer): Promise<string[]> {
  const socket = net.connect(server.port, '127.0.0.1');
  const request = `GET /v1/customers?limit=1 HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${server.key}\r\n\r\n`;
  let received = '';
  const statuses = () => [...received.matchAll(/HTTP\/1\.1 (\d{3})/g)].map((m) => m[1]!);
  const waitFor = (n: number) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (statuses().length >= n) {
          socket.off('data', onData);
          resolve();
        }
      };
      const onData = (chunk: Buffer) => {
        received += chunk.toString('latin1');
        check();
      };
      socket.on('data', onData);
      socket.once('close', () => reject(new Error(`the connection closed after: ${received}`)));
      check();
    });
  socket.write(request);
  await waitFor(1);
  socket.write(request);
  await waitFor(2);
  socket.destroy();
  return statuses();
}

describe(`hostile-input sweep on ${testStoreKind()}: ${REQUESTS} requests from seed ${SEED}`, () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('no 5xx, every refusal in Stripe’s shape, the server healthy and its memory flat afterwards', {
    timeout: 600_000,
  }, async () => {
    const routes = servedRoutes(server.app.server);
    // Every part of the server is walked: the API, the portal's session pages and hosted invoices.
    for (const prefix of [
      '/v1/customers',
      '/v1/invoices/:id/pay',
      '/p/:sid/billing',
      '/i/:invoice/:secret/pay',
    ])
      assert.ok(
        routes.some((r) => r.path === prefix),
        `${prefix} is among the routes read from Fastify`,
      );
    const fixtures = await seedFixtures(server.stripe(), server.baseUrl, server.key, routes);
    const options = { host: '127.0.0.1', port: server.port, key: server.key, routes, fixtures };
    // A first short run warms caches (statements, fonts, compiled code) before memory is measured.
    const warm = await runSweep({
      ...options,
      seed: SEED + 1,
      requests: 500,
      concurrency: 8,
      knownOpen: KNOWN_OPEN,
    });
    const heapBefore = liveHeapMb();
    const result = await runSweep({
      ...options,
      seed: SEED,
      requests: REQUESTS,
      concurrency: 8,
      knownOpen: KNOWN_OPEN,
    });
    const heapAfter = liveHeapMb();
    console.log(
      `sweep seed ${SEED}: ${result.sent} requests in ${result.seconds.toFixed(1)} s; by status ${JSON.stringify(Object.fromEntries([...result.byStatus].sort(([a], [b]) => a - b)))}; ` +
        `known open ${JSON.stringify(Object.fromEntries(result.known))}; live heap ${heapBefore.toFixed(1)} → ${heapAfter.toFixed(1)} MB`,
    );
    const failures = [...warm.failures, ...result.failures];
    assert.equal(failures.length, 0, `the sweep (seed ${SEED}) found:\n${summarize(failures)}`);
    assert.equal(result.sent, REQUESTS);
    assert.ok((result.byStatus.get(400) ?? 0) > REQUESTS / 4, 'most requests are refused as bad input');
    assert.ok((result.byStatus.get(200) ?? 0) > 100, 'some hostile-looking requests are valid and succeed');
    // Nothing the sweep did is still held: the live heap grows by less than a generous bound.
    assert.ok(
      heapAfter - heapBefore < 48,
      `live heap grew from ${heapBefore.toFixed(1)} to ${heapAfter.toFixed(1)} MB`,
    );

    // Healthy afterwards: a normal SDK call works, a keep-alive connection answers twice.
    const stripe = server.stripe();
    const customer = await stripe.customers.create({ email: 'after-sweep@example.com' });
    assert.equal((await stripe.customers.retrieve(customer.id)).id, customer.id);
    assert.deepEqual(await twoOnOneConnection(server), ['200', '200']);
  });
});
