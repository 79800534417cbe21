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
import { openStore, type Store } from './store/database.ts';
import { DeliveryWorker } from './webhooks/worker.ts';

export interface App {
  server: FastifyInstance;
  store: Store;
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
    const server = buildWire(
      {
        store,
        clock,
        auth: new Authenticator(store.read),
        idempotency: new Idempotency(),
        publicUrl: config.publicUrl,
        billing: config.billing,
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
    const billing = new BillingWorker(
      store,
      clock,
      { billing: config.billing, publicUrl: config.publicUrl, pollMs: config.billingPollMs },
      log,
    );
    billing.start();
    // Test clocks end 30 days after they are made, as on Stripe.
    const clockExpiry = startClockExpiry(store, clock, log);
    return {
      server,
      store,
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
