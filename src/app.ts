import type { FastifyInstance } from 'fastify';
import { type Bootstrapped, bootstrap } from './accounts/bootstrap.ts';
import { Authenticator } from './api/auth.ts';
import { Idempotency, pruneIdempotencyKeys } from './api/idempotency.ts';
import { routes } from './api/routes/index.ts';
import { buildWire } from './api/server.ts';
import { BillingWorker } from './billing/engine/worker.ts';
import { pruneExpiredSessions } from './billing/portal/sessions/lifetime.ts';
import { startClockExpiry } from './billing/test-clocks/expiry.ts';
import type { Config } from './config.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { Operations } from './operations/runner.ts';
import { openStore, type Store } from './store/database.ts';
import { DeliveryWorker } from './webhooks/worker.ts';

export interface App {
  server: FastifyInstance;
  store: Store;
  /** Runs operations (contexts, transactions) for every surface: API, portal, workers, tests. */
  operations: Operations;
  boot: Bootstrapped;
  close(): Promise<void>;
}

export interface AppOptions {
  clock?: Clock;
  /** Where notices and unexpected errors go; the console by default. */
  log?: (line: string) => void;
}

const PRUNE_EVERY_MS = 10 * 60 * 1000;

/** Builds the whole server from a Config: used by main.ts and by the tests alike. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const log = options.log ?? ((line: string) => console.log(line));
  const store = await openStore(config.store);
  try {
    const boot = await bootstrap(store, config, clock);
    const operations = new Operations(store, { clock, publicUrl: config.publicUrl, billing: config.billing });
    const server = buildWire(
      {
        operations,
        auth: new Authenticator(store.read),
        idempotency: new Idempotency(),
        strictApiVersion: config.strictApiVersion,
        logRequests: config.logRequests,
        log,
      },
      routes,
    );
    const deliveries = new DeliveryWorker(store, config.webhooks, log);
    deliveries.start();
    const prune = setInterval(() => {
      pruneIdempotencyKeys(store.db, clock.now()).catch((e) =>
        log(`portico: pruning idempotency keys failed: ${e}`),
      );
      // Portal sessions past their lifetime (and past recovery), each on its customer's clock.
      store
        .write((tx) => pruneExpiredSessions(tx, clock))
        .catch((e) => log(`portico: pruning portal sessions failed: ${e}`));
    }, PRUNE_EVERY_MS);
    prune.unref();
    const billing = new BillingWorker(operations, { pollMs: config.billingPollMs }, log);
    billing.start();
    // Test clocks end 30 days after they are made, as on Stripe.
    const clockExpiry = startClockExpiry(operations, log);
    return {
      server,
      store,
      operations,
      boot,
      async close() {
        clearInterval(prune);
        await server.close();
        await deliveries.stop();
        await billing.stop();
        await clockExpiry.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
