import type { FastifyBaseLogger } from 'fastify';
import type { Operations } from '../operations/runner.ts';
import type { Authenticator } from './auth.ts';
import type { Expansions } from './expand.ts';
import type { Idempotency } from './idempotency.ts';

/** What the HTTP layer is built with (api/server.ts) and every route handler uses (api/runner.ts). */
export interface WireDeps {
  /** Contexts and transactions for every operation (operations/runner.ts). */
  operations: Operations;
  auth: Authenticator;
  idempotency: Idempotency;
  strictApiVersion: boolean;
  /** One log line per request, at info level. */
  logRequests: boolean;
  /** The server's logger, handed to Fastify: notices, request lines and unexpected errors go here. */
  logger: FastifyBaseLogger;
  /** What `expand[]` can load and walk through (api/routes/index.ts). */
  expansions: Expansions;
}
