import type { FastifyInstance } from 'fastify';
import { routes as apiRoutes } from '../../../src/api/routes/index.ts';
import type { Schema } from '../../../src/core/params.ts';

/** One method of one URL the server answers, with the params schema when it is an API route. */
export interface ServedRoute {
  method: 'GET' | 'POST' | 'DELETE';
  /** Fastify's pattern, e.g. `/v1/customers/:id/tax_ids/:tax_id`. */
  path: string;
  params: Schema<unknown> | undefined;
}

const LINE = /^([│ ]*)(?:├── |└── )(.*) \(([A-Z, ]+)\)$/;

/**
 * Every route the app serves, read from Fastify's own table (`printRoutes`), so a route added
 * tomorrow is swept without anyone listing it. The tree prints each node's path relative to its
 * parent, four columns per level; HEAD is Fastify's automatic twin of GET and is left out.
 */
export function servedRoutes(app: FastifyInstance): ServedRoute[] {
  const tree = app.printRoutes({ commonPrefix: false });
  const stack: string[] = [];
  const out: ServedRoute[] = [];
  for (const line of tree.split('\n')) {
    const match = LINE.exec(line);
    if (!match) continue;
    const depth = match[1]!.length / 4;
    stack.length = depth;
    const path = (stack[depth - 1] ?? '') + match[2]!;
    stack[depth] = path;
    for (const method of match[3]!.split(', ')) {
      if (method !== 'GET' && method !== 'POST' && method !== 'DELETE') continue;
      const api = apiRoutes.find((r) => r.method === method && r.path === path);
      out.push({ method, path, params: api?.params });
    }
  }
  if (out.length < 50) throw new Error(`only ${out.length} routes read from printRoutes:\n${tree}`);
  return out;
}

/** The names of a route pattern's path params, in order (`:id`, `:tax_id`). */
export function pathParams(path: string): string[] {
  return [...path.matchAll(/:([a-z_]+)/gi)].map((m) => m[1]!);
}
