import type { FastifyInstance } from 'fastify';
import pino, { type Logger } from 'pino';
import { type Bootstrapped, bootstrap } from './accounts/bootstrap.ts';
import { Authenticator } from './api/auth.ts';
import { Idempotency, pruneIdempotencyKeys } from './api/idempotency.ts';
import { expansions, routes } from './api/routes/index.ts';
import { buildWire } from './api/server.ts';
import { BillingWorker } from './billing/engine/worker.ts';
import { pruneExpiredSessions } from './billing/portal/sessions/lifetime.ts';
import { startClockExpiry } from './billing/test-clocks/expiry.ts';
import type { Config } from './config.ts';
import { type Clock, systemClock } from './core/clock.ts';
import { createMailTransport } from './mail/transport.ts';
import { MailWorker } from './mail/worker.ts';
import { Operations } from './operations/runner.ts';
import { registerPortal } from './portal/http/index.ts';
import { openStore, type Store } from './store/database.ts';
import { DeliveryWorker } from './webhooks/worker.ts';

export interface App {
  server: FastifyInstance;
  store: Store;
  /** Runs operations (contexts, transactions) for every surface: API, portal, workers, tests. */
  operations: Operations;
  boot: Bootstrapped;
  /** The server's logger (Fastify's): requests, workers and notices log through it. */
  logger: Logger;
  /** Delivers the mail outbox (SMTP, or the development outbox's log lines). */
  mail: MailWorker;
  close(): Promise<void>;
}

export interface AppOptions {
  clock?: Clock;
  /** Where log lines (JSON, one per line) go; standard output by default. */
  log?: (line: string) => void;
}

const PRUNE_EVERY_MS = 10 * 60 * 1000;

/**
 * One pino logger for the whole server, given to Fastify as its own. Quiet by default: warnings
 * and errors only (a worker's failure, with its stack); with PORTICO_LOG_REQUESTS one line per
 * request too.
 */
function createLogger(config: Config, log: AppOptions['log']): Logger {
  const level = config.logRequests ? 'info' : 'warn';
  if (!log) return pino({ level });
  return pino({ level }, { write: (line: string) => log(line.replace(/\n$/, '')) });
}

/** Builds the whole server from a Config: used by main.ts and by the tests alike. */
export async function createApp(config: Config, options: AppOptions = {}): Promise<App> {
  const clock = options.clock ?? systemClock;
  const logger = createLogger(config, options.log);
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
        logger,
        expansions,
      },
      routes,
    );
    // The mail worker's lines show at the default level: without SMTP they are how mails arrive.
    const mailLog = logger.child({ worker: 'mail' }, { level: 'info' });
    const mailTransport = createMailTransport(config.mail, config.publicUrl, mailLog);
    registerPortal(server, {
      operations,
      publicUrl: config.publicUrl,
      frameAncestors: config.portalFrameAncestors,
      outboxPage: mailTransport.kind === 'outbox',
      multiItemUpdates: config.portalMultiItemUpdates,
    });
    const mail = new MailWorker(store, mailTransport, config.mail, mailLog);
    mail.start();
    const deliveries = new DeliveryWorker(store, config.webhooks, logger.child({ worker: 'webhooks' }));
    deliveries.start();
    const pruning = logger.child({ worker: 'pruning' });
    const prune = setInterval(() => {
      pruneIdempotencyKeys(store.db, clock.now()).catch((err) =>
        pruning.error({ err }, 'pruning idempotency keys failed'),
      );
      // Portal sessions past their lifetime (and past recovery), each on its customer's clock.
      store
        .write((tx) => pruneExpiredSessions(tx, clock))
        .catch((err) => pruning.error({ err }, 'pruning portal sessions failed'));
    }, PRUNE_EVERY_MS);
    prune.unref();
    const billing = new BillingWorker(
      operations,
      { pollMs: config.billingPollMs },
      logger.child({ worker: 'billing' }),
    );
    billing.start();
    // Test clocks end 30 days after they are made, as on Stripe.
    const clockExpiry = startClockExpiry(operations, logger.child({ worker: 'test-clock-expiry' }));
    return {
      server,
      store,
      operations,
      boot,
      logger,
      mail,
      async close() {
        clearInterval(prune);
        await server.close();
        await deliveries.stop();
        await mail.stop();
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
