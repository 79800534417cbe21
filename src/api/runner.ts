import { isUtf8 } from 'node:buffer';
import type { FastifyReply, FastifyRequest } from 'fastify';
import type { Ctx } from '../core/context.ts';
import { fail, isRefusal } from '../core/errors.ts';
import { JsonText } from '../core/json.ts';
import { checkPermission } from './auth.ts';
import type { WireDeps } from './deps.ts';
import { errorJson, renderApiError } from './error-messages.ts';
import { expand } from './expand.ts';
import { decodeForm, type FormObject } from './form.ts';
import { fingerprint } from './idempotency.ts';
import { MultipartBody } from './multipart.ts';
import { checkClientSecret, clientError, clientView } from './publishable.ts';
import type { Route } from './route.ts';

function rawQuery(url: string): string {
  const q = url.indexOf('?');
  return q < 0 ? '' : url.slice(q + 1);
}

/** The query string and, for POST, the form body: the body wins where both name a param. */
function decodeParams(request: FastifyRequest): FormObject {
  const query = decodeForm(rawQuery(request.url));
  if (request.method !== 'POST') return query;
  if (request.foreignBody !== undefined) {
    throw fail('body_not_form', { contentType: String(request.headers['content-type']) });
  }
  if (request.body instanceof MultipartBody) return Object.assign(query, request.body.params);
  const body = request.body as Buffer | undefined;
  if (!body || body.length === 0) return query;
  if (!isUtf8(body)) throw fail('body_not_utf8', {});
  return Object.assign(query, decodeForm(body.toString('utf8')));
}

type Send = (reply: FastifyReply, status: number, body: string) => FastifyReply;

/**
 * What every endpoint does around its one domain call: permission, params, idempotency, a
 * transaction for writes (the reader for GETs), expansion, the answer.
 */
export function routeHandler(deps: WireDeps, r: Route, send: Send) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    const caller = request.caller!;
    // A publishable key passes only where the route takes one; checkPermission refuses it elsewhere.
    if (!(caller.publishable && r.publishable)) checkPermission(caller, r.resource, r.method);
    const raw = decodeParams(request);
    const params = r.params.parse(raw, '') as { expand?: string[]; client_secret?: unknown };
    const idempotencyKey = request.method === 'POST' ? request.headers['idempotency-key'] : undefined;
    const key = typeof idempotencyKey === 'string' ? idempotencyKey : undefined;
    if (key !== undefined && (key.length === 0 || key.length > 255)) {
      throw fail('idempotency_key_invalid', {}, 'Idempotency-Key');
    }
    const ops = deps.operations;
    const requestInfo = { id: request.id, idempotency_key: key ?? null };
    const path = request.params as Record<string, string>;
    let attempts = 0;
    const execute = async (ctx: Ctx) => {
      // A transaction that lost a race runs again (store/retry.ts) on params as sent, not as the
      // first attempt may have left them.
      const fresh = attempts++ === 0 ? params : (r.params.parse(raw, '') as typeof params);
      if (caller.publishable) await checkClientSecret(ctx, r.publishable!, path.id, fresh.client_secret);
      let result = await r.handler(ctx, fresh, path);
      // An error returned rather than thrown keeps what the request changed (a declined card's
      // failed attempt, recorded on its SetupIntent) and is the answer, as on Stripe.
      if (isRefusal(result)) {
        const rendered = renderApiError(result);
        const wire = caller.publishable ? clientError(rendered) : rendered;
        return { status: wire.status, body: errorJson(wire) };
      }
      if (caller.publishable)
        result = clientView(result instanceof JsonText ? (result.value() as object) : result);
      if (result instanceof JsonText && !params.expand?.length) return { status: 200, body: result.text };
      const object = result instanceof JsonText ? (result.value() as object) : result;
      await expand(deps.expansions, ctx, object, params.expand);
      return { status: 200, body: JSON.stringify(object) };
    };
    let outcome: { status: number; body: string; originalRequest?: string };
    if (request.method === 'GET') outcome = await ops.read(caller, requestInfo, execute);
    else if (key === undefined) outcome = await ops.write(caller, requestInfo, execute);
    else {
      reply.header('Idempotency-Key', key);
      outcome = await deps.idempotency.run(
        {
          store: ops.store,
          scope: caller.scope,
          key,
          fingerprint: fingerprint(request.method, request.url.split('?')[0]!, raw),
          requestId: request.id,
          now: ops.env.clock.now(),
        },
        (db) => execute(ops.context(db, caller, requestInfo)),
      );
      if (outcome.originalRequest) {
        reply.header('Idempotent-Replayed', 'true');
        reply.header('Original-Request', outcome.originalRequest);
      }
    }
    return send(reply, outcome.status, outcome.body);
  };
}
