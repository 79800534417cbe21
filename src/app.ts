import type { FastifyInstance } from 'fastify';
import { type Bootstrapped, bootstrap } from './accounts/bootstrap.ts';
import { Authenticator } from './api/auth.ts';
import { Idempotency, pruneIdempotencyKeys } from './api/idempotency.ts';
import { routes } from './api/routes/index.ts';
import { buildWire } from './api/server.ts';
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
    }, PRUNE_EVERY_MS);
    prune.unref();
    return {
      server,
      store,
      boot,
      async close() {
        clearInterval(prune);
        await server.close();
        await deliveries.stop();
        await store.close();
      },
    };
  } catch (error) {
    await store.close();
    throw error;
  }
}
