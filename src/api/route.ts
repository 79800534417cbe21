import type { Ctx } from '../core/context.ts';
import type { Schema } from '../core/params.ts';

/**
 * One API endpoint: its params schema and one domain call. Routes are data; api/server.ts gives
 * them authentication, decoding, idempotency, transactions, expansion and error mapping.
 */
export interface Route<P = unknown> {
  method: 'GET' | 'POST' | 'DELETE';
  /** A Fastify path, e.g. `/v1/customers/:id`. */
  path: string;
  params: Schema<P>;
  handler: (ctx: Ctx, params: P, path: Record<string, string>) => Promise<object>;
}

export function route<P>(spec: Route<P>): Route {
  return spec as Route;
}
