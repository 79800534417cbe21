// The hostile-input sweep (test/hostile/sweep.test.ts) at bench scale: 100,000 requests from the
// fixed seed against `dist/main.js`, counted by status, with any 5xx or non-Stripe-shaped answer
// listed, the throughput and the server's peak RSS. Figures for docs/benchmarks.md.
import { createApp } from '../src/app.ts';
import { fixedClock } from '../src/core/clock.ts';
import { seedFixtures } from '../test/support/hostile/fixtures.ts';
import { KNOWN_OPEN } from '../test/support/hostile/known-open.ts';
import { servedRoutes } from '../test/support/hostile/routes.ts';
import { runSweep, summarize } from '../test/support/hostile/sweep.ts';
import { DEFAULT_SEED } from '../test/support/property-seed.ts';
import { sdk, testConfig } from '../test/support/server.ts';
import { freshStore } from '../test/support/store.ts';
import { KEY, machine, rssMb, startPortico } from './support.ts';

/** The routes the program serves, read from an app built the same way (its own temp store). */
async function routesOfTheApp() {
  const store = freshStore();
  const app = await createApp(testConfig(store.url), { clock: fixedClock(0), log: () => undefined });
  try {
    await app.server.ready();
    return servedRoutes(app.server);
  } finally {
    await app.close();
    await store.dispose();
  }
}

export async function hostileBench(options: { store?: string; requests: number; concurrency: number }) {
  const seed = Number(process.env.PORTICO_TEST_SEED ?? DEFAULT_SEED);
  const routes = await routesOfTheApp();
  const port = 4300 + Math.floor(Math.random() * 500);
  const portico = await startPortico(port, options.store);
  try {
    const fixtures = await seedFixtures(sdk(port, KEY), portico.base, KEY, routes);
    const idle = rssMb(portico.pid);
    const result = await runSweep({
      host: '127.0.0.1',
      port,
      key: KEY,
      routes,
      fixtures,
      seed,
      requests: options.requests,
      concurrency: options.concurrency,
      knownOpen: KNOWN_OPEN,
    });
    const serverErrors = [...result.byStatus].filter(([s]) => s >= 500).reduce((n, [, c]) => n + c, 0);
    console.log(`\nHostile-input sweep on ${portico.store} (${machine()})`);
    console.log(`seed ${seed}, ${routes.length} routes, ${options.concurrency} keep-alive connections`);
    console.log(
      `${result.sent} requests in ${result.seconds.toFixed(1)} s: ${Math.round(result.sent / result.seconds)} req/s`,
    );
    console.log(
      `by status: ${[...result.byStatus]
        .sort(([a], [b]) => a - b)
        .map(([s, n]) => `${s}: ${n}`)
        .join(', ')}`,
    );
    console.log(`5xx: ${serverErrors}; known open: ${JSON.stringify(Object.fromEntries(result.known))}`);
    console.log(
      `RSS: ${idle.toFixed(0)} MB before, peak ${portico.peakRss().toFixed(0)} MB, ${rssMb(portico.pid).toFixed(0)} MB after`,
    );
    if (result.failures.length) console.log(`failures:\n${summarize(result.failures)}`);
  } finally {
    await portico.stop();
  }
}
