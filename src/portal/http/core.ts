import type { FastifyReply, FastifyRequest } from 'fastify';
import { currentAccount } from '../../accounts/service.ts';
import { loadPortalScope, type PortalScope } from '../../billing/portal/hosted/overview.ts';
import { resumeSession } from '../../billing/portal/sessions/entry.ts';
import type { Ctx } from '../../core/context.ts';
import type { Actor, RequestInfo } from '../../operations/context.ts';
import type { Operations } from '../../operations/runner.ts';
import {
  type PageChrome,
  renderErrorPage,
  renderSessionExpiredPage,
  resolveLocale,
  type UiLocale,
} from '../ui/index.ts';
import { assetUrls, businessView, sessionChrome, sessionLocale } from '../views/chrome.ts';
import { type FormValues, formValues } from './forms.ts';
import { loginCookie } from './login-cookie.ts';
import {
  cookieName,
  csrfMatches,
  csrfToken,
  newNonce,
  readCookie,
  sameOrigin,
  securityHeaders,
} from './security.ts';

/** What the portal's routes are built with. */
export interface PortalDeps {
  operations: Operations;
  /** PORTICO_PUBLIC_URL: https there makes cookies `__Host-` and Secure. */
  publicUrl: string;
  frameAncestors: string[];
  /** No SMTP server: mails stay in the outbox, readable (test mode only) at `/p/outbox`. */
  outboxPage?: boolean;
  /** PORTICO_PORTAL_MULTI_ITEM_UPDATES: subscriptions of several products updatable item by item. */
  multiItemUpdates?: boolean;
}

/** One request of a session's pages, once the session is known to be open and its own. */
export interface PortalRequest {
  deps: PortalDeps;
  actor: Actor;
  info: RequestInfo;
  portal: PortalScope;
  locale: UiLocale;
  nonce: string;
  csrf: string;
  page: PageChrome;
  /** `/p/<session id>`. */
  base: string;
}

export const secureCookies = (deps: PortalDeps) => deps.publicUrl.startsWith('https:');

/** A request of a session's pages (`/p/:sid/...`). */
export type SessionRequest = FastifyRequest<{ Params: { sid: string; [name: string]: string } }>;

/** A query parameter (the server leaves query strings to the routes). */
export function queryParam(request: FastifyRequest, name: string): string | undefined {
  const q = request.url.indexOf('?');
  return q < 0 ? undefined : (new URLSearchParams(request.url.slice(q + 1)).get(name) ?? undefined);
}

/**
 * Sends a page with the portal's security headers. `formTargets`: other origins its forms may
 * lead to (a flow that ends with a redirect to the merchant answers its last form with a 303 there).
 */
export function sendPage(
  reply: FastifyReply,
  deps: PortalDeps,
  nonce: string,
  html: string,
  status = 200,
  formTargets: string[] = [],
) {
  securityHeaders(reply, nonce, deps.frameAncestors, formTargets);
  return reply.code(status).type('text/html; charset=utf-8').send(html);
}

/** A page for a request that has no session to speak for: plain chrome in the browser's language. */
export function bareChrome(request: FastifyRequest, nonce: string): PageChrome {
  return {
    locale: resolveLocale({ acceptLanguage: request.headers['accept-language'] }),
    nonce,
    testMode: false,
    business: { name: 'Portico' },
    assets: assetUrls(),
  };
}

export function sendNotFound(request: FastifyRequest, reply: FastifyReply, deps: PortalDeps) {
  const nonce = newNonce();
  const html = renderErrorPage({ page: bareChrome(request, nonce), status: 404, requestId: request.id });
  return sendPage(reply, deps, nonce, html, 404);
}

/**
 * The session named in the path, proven by this browser's cookie, re-checked (and its activity
 * recorded) on every request. Answers the page to send instead when it is not open: unknown (a
 * wrong cookie looks the same) or expired, with the return link.
 */
export async function openPortalRequest(
  request: FastifyRequest<{ Params: { sid: string } }>,
  reply: FastifyReply,
  deps: PortalDeps,
): Promise<PortalRequest | undefined> {
  const sid = request.params.sid;
  const cookie = readCookie(request, cookieName(sid, secureCookies(deps)));
  const visit = await resumeSession(deps.operations, sid, cookie);
  if (visit.status === 'unknown') {
    await sendNotFound(request, reply, deps);
    return undefined;
  }
  const nonce = newNonce();
  const info: RequestInfo = { id: request.id, idempotency_key: null };
  if (visit.status === 'expired') {
    await sendExpiredPage(request, reply, deps, visit);
    return undefined;
  }
  const portal = await deps.operations.read(visit.actor, info, (ctx) =>
    loadPortalScope(ctx, visit.session, visit.flowCompleted),
  );
  const locale = sessionLocale(portal, request.headers['accept-language']);
  return {
    deps,
    actor: visit.actor,
    info,
    portal,
    locale,
    nonce,
    csrf: csrfToken(cookie!),
    page: sessionChrome(portal, locale, nonce),
    base: `/p/${sid}`,
  };
}

/** The chrome of an expired session's page: its business and return link, nothing of the customer. */
export async function expiredChrome(
  ctx: Ctx,
  session: PortalScope['session'],
  request: FastifyRequest,
  nonce: string,
): Promise<PageChrome> {
  const account = await currentAccount(ctx);
  return {
    ...bareChrome(request, nonce),
    locale: resolveLocale({
      sessionLocale: session.locale,
      acceptLanguage: request.headers['accept-language'],
    }),
    testMode: !session.livemode,
    business: businessView(account, null, ''),
    returnUrl: session.return_url,
  };
}

/**
 * The page of an expired session: with `after_expiration` (before its deadline), a form that
 * emails the customer a code opening a replacement session; else the return link. `token`: the
 * URL's secret when the browser came by the session URL (its proof of holding the session).
 */
export async function sendExpiredPage(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: PortalDeps,
  visit: { session: PortalScope['session']; actor: Actor; recoverable?: boolean },
  token?: string,
) {
  const nonce = newNonce();
  const info: RequestInfo = { id: request.id, idempotency_key: null };
  const page = await deps.operations.read(visit.actor, info, (ctx) =>
    expiredChrome(ctx, visit.session, request, nonce),
  );
  const recovery = visit.recoverable
    ? {
        action: `/p/recover/${visit.session.id}`,
        csrfToken: csrfToken(loginCookie(request, reply, secureCookies(deps))),
        token: token ?? null,
      }
    : null;
  return sendPage(reply, deps, nonce, renderSessionExpiredPage({ page, recovery }), 410);
}

/**
 * A form post of a session's pages: its CSRF token must match this browser's cookie and the
 * request must come from a Portico page. Anything else is refused with 403 and changes nothing.
 */
export function checkForm(request: FastifyRequest, p: PortalRequest, form: Record<string, unknown>): boolean {
  const sid = p.portal.session.id;
  const cookie = readCookie(request, cookieName(sid, secureCookies(p.deps)));
  return (
    cookie !== undefined &&
    csrfMatches(cookie, form._csrf) &&
    sameOrigin(request, new URL(p.deps.publicUrl).origin)
  );
}

export function sendForbidden(reply: FastifyReply, p: PortalRequest, requestId: string) {
  const html = renderErrorPage({ page: p.page, status: 403, code: 'csrf_invalid', requestId });
  return sendPage(reply, p.deps, p.nonce, html, 403);
}

/** Post/redirect/get: after a change, the browser loads the result with a GET. */
export function redirectAfterPost(reply: FastifyReply, to: string) {
  return reply.code(303).header('Location', to).header('Cache-Control', 'no-store').send();
}

/** Runs a session page: the session is resolved (or its refusal page sent) before the handler. */
export function sessionPage(
  deps: PortalDeps,
  handler: (p: PortalRequest, request: SessionRequest, reply: FastifyReply) => Promise<unknown>,
) {
  return async (request: SessionRequest, reply: FastifyReply) => {
    const p = await openPortalRequest(request, reply, deps);
    if (!p) return reply;
    return handler(p, request, reply);
  };
}

/** A form of a session's pages: refused with 403, changing nothing, without a valid token and origin. */
export function sessionForm(
  deps: PortalDeps,
  handler: (
    p: PortalRequest,
    form: FormValues,
    request: SessionRequest,
    reply: FastifyReply,
  ) => Promise<unknown>,
) {
  return sessionPage(deps, async (p, request, reply) => {
    const form = formValues(request);
    if (!checkForm(request, p, form)) return sendForbidden(reply, p, request.id);
    return handler(p, form, request, reply);
  });
}
