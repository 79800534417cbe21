import type { Resource } from '../accounts/keys.ts';
import type { Ctx } from '../core/context.ts';
import type { Schema } from '../core/params.ts';
import type { PublishableTable } from './publishable.ts';

/**
 * One API endpoint: its params schema and one domain call. Routes are data; api/server.ts gives
 * them authentication, decoding, idempotency, transactions, expansion and error mapping.
 */
export interface Route<P = unknown> {
  method: 'GET' | 'POST' | 'DELETE';
  /** A Fastify path, e.g. `/v1/customers/:id`. */
  path: string;
  params: Schema<P>;
  /** What a restricted key needs a permission for. */
  resource: Resource;
  handler: (ctx: Ctx, params: P, path: Record<string, string>) => Promise<object>;
  /** Takes multipart/form-data bodies (api/multipart.ts), as Stripe's endpoints do only for uploads. */
  multipart?: boolean;
  /**
   * Also answers a publishable key, for the object of this table that the path's `:id` names
   * and whose `client_secret` the request sends (api/publishable.ts). Every other endpoint
   * refuses publishable keys.
   */
  publishable?: PublishableTable;
}

export function route<P>(spec: Omit<Route<P>, 'resource'>): Omit<Route, 'resource'> {
  return spec as Omit<Route, 'resource'>;
}

/** A resource's routes, each needing that resource's permission from a restricted key. */
export function resourceRoutes(resource: Resource, routes: Omit<Route, 'resource'>[]): Route[] {
  return routes.map((r) => ({ ...r, resource }));
}
