import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
  LogController,
  type RouteOptions,
} from 'fastify';
import { errors, fail, isRefusal } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { API_VERSION } from '../core/version.ts';
import type { Caller } from './auth.ts';
import { answerClientError } from './client-errors.ts';
import type { WireDeps } from './deps.ts';
import { registerFileDownloads } from './downloads.ts';
import { errorJson, renderApiError, type WireError } from './error-messages.ts';
import { foreignMultipartParser, registerUploadRoutes } from './multipart.ts';
import { clientError } from './publishable.ts';
import type { Route } from './route.ts';
import { routeHandler } from './runner.ts';
import { registerEventStream } from './stream.ts';

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

type Send = (reply: FastifyReply, status: number, body: string) => FastifyReply;

/** How answers are sent: JSON, Stripe's error shape, and `Connection: close` once shutting down. */
interface Replies {
  send: Send;
  sendError: (reply: FastifyReply, error: WireError) => FastifyReply;
  /** From now on answers close their connection. */
  closing(): void;
}

function replies(): Replies {
  // While shutting down, answers close their connection, so a keep-alive client does not hold the
  // process open after its last request. Set where answers are sent: a hook on every response
  // costs more.
  let closing = false;
  const send: Send = (reply, status, body) => {
    if (closing) reply.header('Connection', 'close');
    return reply.code(status).type('application/json').send(body);
  };
  return {
    send,
    sendError(reply, error) {
      if (error.shouldRetry !== undefined) reply.header('Stripe-Should-Retry', String(error.shouldRetry));
      return send(reply, error.status, errorJson(error));
    },
    closing() {
      closing = true;
    },
  };
}

function createFastify(deps: WireDeps, out: Replies): FastifyInstance {
  return Fastify({
    bodyLimit: BODY_LIMIT,
    loggerInstance: deps.logger,
    // Requests are logged by logRequestLines, one line each, when asked for.
    logController: new LogController({ disableRequestLogging: true }),
    return503OnClosing: true,
    // What Node's HTTP parser refuses (oversized headers, malformed requests): Stripe's shape too.
    clientErrorHandler: answerClientError,
    genReqId: () => newId('req'),
    // Errors the router raises before any hook runs (a URL that does not decode): Stripe's shape
    // and a Request-Id all the same.
    frameworkErrors: (error, request, reply) => {
      reply.header('Request-Id', request.id);
      out.sendError(reply, renderApiError(fail('url_invalid', { reason: String(error.code) })));
      // No hook runs for these: their request line is written here.
      if (deps.logRequests) logRequestLine(request, reply);
    },
    routerOptions: {
      // Long ids reach the handler and are simply not found, as on Stripe.
      maxParamLength: 5000,
      // Params are decoded from the raw query string by the form decoder, with Stripe's rules.
      querystringParser: () => ({}),
    },
  });
}

/**
 * Form bodies are kept as bytes for the route runner's decoder; multipart bodies are read by
 * upload endpoints (api/multipart.ts) and foreign elsewhere, as is any other content type.
 */
function addContentParsers(app: FastifyInstance): void {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'buffer' }, (_req, body, done) =>
    done(null, body),
  );
  app.addContentTypeParser('multipart/form-data', foreignMultipartParser);
  app.addContentTypeParser('*', { parseAs: 'buffer' }, (req, body, done) => {
    if ((body as Buffer).length > 0) req.foreignBody = String(req.headers['content-type'] ?? '');
    done(null, undefined);
  });
}

/** Every request: its Request-Id and Stripe-Version, the version it asked for, its API key. */
function addVersionAndAuth(app: FastifyInstance, deps: WireDeps): void {
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
        request.log.warn(
          `a client sent Stripe-Version ${version}; responses use the shapes of ${API_VERSION}`,
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
}

/** Errors and unknown URLs answered in Stripe's shape. */
function addErrorHandling(app: FastifyInstance, out: Replies): void {
  app.setErrorHandler((error, request, reply) => {
    const rendered = toWireError(error);
    const wire = request.caller?.publishable ? clientError(rendered) : rendered;
    // A bug or a failing database: the client gets a plain 500, the operator the whole story.
    if (wire.status >= 500) request.log.error({ err: error }, 'request failed');
    return out.sendError(reply, wire);
  });

  app.setNotFoundHandler((request, reply) => {
    const path = request.url.split('?')[0]!;
    return out.sendError(reply, renderApiError(errors.unrecognizedUrl(request.method, path)));
  });
}

/** The line of one answered request; its request id comes with the request's logger. */
function logRequestLine(request: FastifyRequest, reply: FastifyReply): void {
  request.log.info(
    {
      method: request.method,
      url: request.url,
      statusCode: reply.statusCode,
      responseTime: Math.round(reply.elapsedTime * 10) / 10,
    },
    'request',
  );
}

/** One line per answered request (PORTICO_LOG_REQUESTS). */
function logRequestLines(app: FastifyInstance): void {
  app.addHook('onResponse', (request, reply, done) => {
    logRequestLine(request, reply);
    done();
  });
}

/** The health check, the event stream, file downloads and every API endpoint. */
function addRoutes(app: FastifyInstance, deps: WireDeps, routes: Route[], send: Send): void {
  app.get('/healthz', async (_request, reply) => reply.type('application/json').send('{"status":"ok"}'));
  registerEventStream(app, deps.operations.store);
  registerFileDownloads(app, deps.operations.store, deps.operations.env.clock);
  const uploads: RouteOptions[] = [];
  for (const r of routes) {
    const options: RouteOptions = { method: r.method, url: r.path, handler: routeHandler(deps, r, send) };
    if (r.multipart) uploads.push(options);
    else app.route(options);
  }
  registerUploadRoutes(app, uploads);
}

export function buildWire(deps: WireDeps, routes: Route[]): FastifyInstance {
  const out = replies();
  const app = createFastify(deps, out);
  addContentParsers(app);
  app.addHook('preClose', async () => out.closing());
  addVersionAndAuth(app, deps);
  addErrorHandling(app, out);
  if (deps.logRequests) logRequestLines(app);
  addRoutes(app, deps, routes, out.send);
  return app;
}
