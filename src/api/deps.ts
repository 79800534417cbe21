import type { FastifyBaseLogger } from 'fastify';
import type { Clock } from '../core/clock.ts';
import type { BillingSettings } from '../core/context.ts';
import type { Store } from '../store/database.ts';
import type { Authenticator } from './auth.ts';
import type { Expansions } from './expand.ts';
import type { Idempotency } from './idempotency.ts';

/** What the HTTP layer is built with (api/server.ts) and every route handler uses (api/runner.ts). */
export interface WireDeps {
  store: Store;
  clock: Clock;
  auth: Authenticator;
  idempotency: Idempotency;
  publicUrl: string;
  billing: BillingSettings;
  strictApiVersion: boolean;
  /** One log line per request, at info level. */
  logRequests: boolean;
  /** The server's logger, handed to Fastify: notices, request lines and unexpected errors go here. */
  logger: FastifyBaseLogger;
  /** What `expand[]` can load and walk through (api/routes/index.ts). */
  expansions: Expansions;
}
