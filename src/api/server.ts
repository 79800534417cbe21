import Fastify, { type FastifyInstance, type FastifyReply } from 'fastify';
import { errors, fail, isRefusal } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { API_VERSION } from '../core/version.ts';
import { registerFileDownloads } from '../files/downloads.ts';
import { multipartParser } from '../files/multipart.ts';
import type { Operations } from '../operations/runner.ts';
import type { Authenticator, Caller } from './auth.ts';
import { errorJson, renderApiError, type WireError } from './error-messages.ts';
import type { Idempotency } from './idempotency.ts';
import type { Route } from './route.ts';
import { routeHandler } from './runner.ts';
import { registerEventStream } from './stream.ts';

export interface WireDeps {
  operations: Operations;
  auth: Authenticator;
  idempotency: Idempotency;
  strictApiVersion: boolean;
  logRequests: boolean;
  /** Where notices and unexpected errors go. */
  log: (line: string) => void;
}

const BODY_LIMIT = 1024 * 1024;
const VERSION = /^\d{4}-\d{2}-\d{2}(\.[a-z]+)?$/;

declare module 'fastify' {
  interface FastifyRequest {
    caller?: Caller;
    /** A request body that arrived with a content type other than form encoding. */
    foreignBody?: string;
  }
}

/** Any error as the wire answers it; Fastify's own (body too large, …) in Stripe's shape too. */
function toWireError(error: unknown): WireError {
  if (isRefusal(error)) return renderApiError(error);
  const e = error as { code?: string; statusCode?: number; message?: string };
  if (e.code === 'FST_ERR_CTP_BODY_TOO_LARGE')
    return renderApiError(fail('body_too_large', { limit: BODY_LIMIT }));
  // PostgreSQL's refusals of text it cannot store (a NUL, an invalid byte): bad input, not a crash.
  if (e.code === '22021' || e.code === '22P05') return renderApiError(fail('text_not_storable', {}));
  if (typeof e.statusCode === 'number' && e.statusCode >= 400 && e.statusCode < 500) {
    return renderApiError(fail('request_invalid', { reason: e.message ?? 'malformed request' }));
  }
  return renderApiError(errors.internal());
}

export function buildWire(deps: WireDeps, routes: Route[]): FastifyInstance {
  // While shutting down, answers close their connection, so a keep-alive client does not hold the
  // process open after its last request. Set where answers are sent: a hook on every response
  // costs more.
  let closing = false;
  const send = (reply: FastifyReply, status: number, body: string): FastifyReply => {
    if (closing) reply.header('Connection', 'close');
    return reply.code(status).type('application/json').send(body);
  };
  const sendError = (reply: FastifyReply, error: WireError): FastifyReply => {
    if (error.shouldRetry !== undefined) reply.header('Stripe-Should-Retry', String(error.shouldRetry));
    return send(reply, error.status, errorJson(error));
  };

  const app = Fastify({
    bodyLimit: BODY_LIMIT,
    logger: deps.logRequests,
    return503OnClosing: true,
    genReqId: () => newId('req'),
    // Errors the router raises before any hook runs (a URL that does not decode): Stripe's shape
    // and a Request-Id all the same.
    frameworkErrors: (error, request, reply) => {
      reply.header('Request-Id', request.id);
      sendError(reply, renderApiError(fail('url_invalid', { reason: String(error.code) })));
    },
    routerOptions: {
      // Long ids reach the handler and are simply not found, as on Stripe.
      maxParamLength: 5000,
      // Params are decoded from the raw query string by the form decoder, with Stripe's rules.
      querystringParser: () => ({}),
    },
  });

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  // File uploads: read with their own limit and decoded into params (files/multipart.ts).
  app.addContentTypeParser('multipart/form-data', multipartParser);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    if ((body as Buffer).length > 0) req.foreignBody = String(req.headers['content-type'] ?? '');
    done(null, undefined);
  });

  app.addHook('preClose', async () => {
    closing = true;
  });

  const seenVersions = new Set<string>();
  // A callback hook rather than an async one: with the key cached, authentication finishes
  // without a promise, which matters on every request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('Request-Id', request.id);
    reply.header('Stripe-Version', API_VERSION);
    const version = request.headers['stripe-version'];
    if (typeof version === 'string' && version !== API_VERSION) {
      if (deps.strictApiVersion || !VERSION.test(version)) {
        return done(fail('api_version_invalid', { version, pinned: API_VERSION }));
      }
      if (!seenVersions.has(version) && seenVersions.size < 100) {
        seenVersions.add(version);
        deps.log(
          `portico: a client sent Stripe-Version ${version}; responses use the shapes of ${API_VERSION}`,
        );
      }
    }
    if (!request.url.startsWith('/v1/')) return done();
    const account = request.headers['stripe-account'];
    const stripeAccount = typeof account === 'string' ? account : undefined;
    try {
      const cached = deps.auth.cached(request.headers.authorization, stripeAccount);
      if (cached) {
        request.caller = cached;
        return done();
      }
    } catch (error) {
      return done(error as Error);
    }
    deps.auth.authenticate(request.headers.authorization, stripeAccount).then((caller) => {
      request.caller = caller;
      done();
    }, done);
  });

  app.setErrorHandler((error, _request, reply) => {
    const wire = toWireError(error);
    // A bug or a failing database: the client gets a plain 500, the operator the whole story.
    if (wire.status >= 500) deps.log(`portico: ${(error as Error)?.stack ?? error}`);
    return sendError(reply, wire);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    return sendError(reply, renderApiError(errors.unrecognizedUrl(request.method, path)));
  });

  app.get('/healthz', async (_request, reply) => reply.type('application/json').send('{"status":"ok"}'));

  registerEventStream(app, deps.operations.store);
  registerFileDownloads(app, deps.operations.store, deps.operations.env.clock);
  for (const r of routes) app.route({ method: r.method, url: r.path, handler: routeHandler(deps, r, send) });
  return app;
}
