import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Stripe from 'stripe';
import { currentAccount } from '../../accounts/service.ts';
import { browserHash, CODE_SECONDS } from '../../billing/portal/login/codes.ts';
import {
  type Browser,
  findLoginPage,
  pendingLoginEmail,
  requestLoginCode,
  signInWithCode,
} from '../../billing/portal/login/login.ts';
import {
  pendingRecoveryEmail,
  recoverSession,
  recoveryTarget,
  requestRecoveryCode,
} from '../../billing/portal/login/recovery.ts';
import { type AppError, isRefusal } from '../../core/errors.ts';
import type { Actor, RequestInfo } from '../../operations/context.ts';
import {
  type FieldError,
  i18n,
  type PageChrome,
  renderCodePage,
  renderErrorPage,
  renderLoginPage,
  resolveLocale,
} from '../ui/index.ts';
import { businessView } from '../views/chrome.ts';
import {
  bareChrome,
  expiredChrome,
  type PortalDeps,
  queryParam,
  secureCookies,
  sendExpiredPage,
  sendNotFound,
  sendPage,
} from './core.ts';
import { formValues, text } from './forms.ts';
import { loginCookie, loginCookieName } from './login-cookie.ts';
import { cookieName, csrfMatches, csrfToken, newNonce, readCookie, sameOrigin } from './security.ts';

/** A form post before any session: the login cookie's CSRF token and a same-origin request. */
function checkedForm(request: FastifyRequest, deps: PortalDeps) {
  const form = formValues(request);
  const cookie = readCookie(request, loginCookieName(secureCookies(deps)));
  const ok =
    cookie !== undefined &&
    csrfMatches(cookie, form._csrf) &&
    sameOrigin(request, new URL(deps.publicUrl).origin);
  return ok ? { form, cookie } : undefined;
}

const browserOf = (request: FastifyRequest, cookie: string): Browser => ({
  hash: browserHash(cookie),
  client: request.ip,
  acceptLanguage: request.headers['accept-language'],
});

const infoOf = (request: FastifyRequest): RequestInfo => ({ id: request.id, idempotency_key: null });

function sendForbidden(request: FastifyRequest, reply: FastifyReply, deps: PortalDeps) {
  const nonce = newNonce();
  const html = renderErrorPage({ page: bareChrome(request, nonce), status: 403, code: 'csrf_invalid' });
  return sendPage(reply, deps, nonce, html, 403);
}

/** Where the browser goes with a new session: its URL, exchanged there for the session's cookie. */
const redirectToSession = (reply: FastifyReply, session: Stripe.BillingPortal.Session) =>
  reply
    .code(303)
    .header('Location', new URL(session.url).pathname)
    .header('Cache-Control', 'no-store')
    .send();

/** A refusal as the code form shows it; the wrong-code message says how many tries are left. */
function codeErrors(chrome: PageChrome, refusal: AppError): { errors: FieldError[]; closed: boolean } {
  const i = i18n(chrome.locale);
  if (refusal.code === 'portal_login_code_wrong') {
    const count = (refusal.args as { attempts_left: number }).attempts_left;
    return {
      errors: [
        { field: 'code', code: refusal.code, message: i.t('errors.portal_login_code_wrong', { count }) },
      ],
      closed: false,
    };
  }
  return { errors: [{ code: refusal.code }], closed: true };
}

/** The login page's chrome: the configuration's business, its return URL, the browser's language. */
async function loginChrome(
  deps: PortalDeps,
  request: FastifyRequest,
  page: { configuration: Stripe.BillingPortal.Configuration; actor: Actor },
  nonce: string,
): Promise<PageChrome> {
  const account = await deps.operations.read(page.actor, infoOf(request), (ctx) => currentAccount(ctx));
  return {
    ...bareChrome(request, nonce),
    locale: resolveLocale({ acceptLanguage: request.headers['accept-language'] }),
    testMode: !page.configuration.livemode,
    business: { ...businessView(account, page.configuration, ''), logoUrl: null, iconUrl: null },
    returnUrl: page.configuration.default_return_url,
  };
}

/** The login page (`login_page.url`) and the recovery of expired sessions, both by emailed code. */
export function registerLoginRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const loginPage = (id: string) => findLoginPage(deps.operations.store.read, id);

  const showLogin = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    email: string | undefined,
    errors: FieldError[] = [],
    status = 200,
  ) => {
    const page = await loginPage(request.params.id);
    if (!page) return sendNotFound(request, reply, deps);
    const nonce = newNonce();
    const chrome = await loginChrome(deps, request, page, nonce);
    const html = renderLoginPage({
      page: chrome,
      csrfToken: csrfToken(loginCookie(request, reply, secureCookies(deps))),
      action: `/p/login/${request.params.id}`,
      email: email ?? null,
      errors,
    });
    return sendPage(reply, deps, nonce, html, status);
  };

  app.get<{ Params: { id: string } }>('/p/login/:id', (request, reply) =>
    showLogin(request, reply, queryParam(request, 'prefilled_email')),
  );

  app.post<{ Params: { id: string } }>('/p/login/:id', async (request, reply) => {
    const page = await loginPage(request.params.id);
    if (!page) return sendNotFound(request, reply, deps);
    const checked = checkedForm(request, deps);
    if (!checked) return sendForbidden(request, reply, deps);
    const email = text(checked.form, 'email') ?? '';
    try {
      await deps.operations.write(page.actor, infoOf(request), (ctx) =>
        requestLoginCode(ctx, page.configuration, email, browserOf(request, checked.cookie)),
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const field = error.code === 'email_invalid' ? 'email' : null;
      const status = error.code === 'portal_login_rate_limited' ? 429 : 400;
      return showLogin(request, reply, email, [{ field, code: error.code }], status);
    }
    return reply.code(303).header('Location', `/p/login/${request.params.id}/code`).send();
  });

  const showCode = async (
    request: FastifyRequest<{ Params: { id: string } }>,
    reply: FastifyReply,
    refusal?: AppError,
  ) => {
    const page = await loginPage(request.params.id);
    if (!page) return sendNotFound(request, reply, deps);
    const cookie = loginCookie(request, reply, secureCookies(deps));
    const email = await deps.operations.read(page.actor, infoOf(request), (ctx) =>
      pendingLoginEmail(ctx, page.configuration, browserHash(cookie)),
    );
    const base = `/p/login/${request.params.id}`;
    if (email === undefined) return reply.code(303).header('Location', base).send();
    const nonce = newNonce();
    const chrome = await loginChrome(deps, request, page, nonce);
    const shown = refusal ? codeErrors(chrome, refusal) : { errors: [], closed: false };
    const html = renderCodePage({
      page: chrome,
      csrfToken: csrfToken(cookie),
      action: `${base}/code`,
      sentTo: email,
      recovery: false,
      minutes: CODE_SECONDS / 60,
      restart: { href: `${base}?prefilled_email=${encodeURIComponent(email)}` },
      ...shown,
    });
    return sendPage(reply, deps, nonce, html, refusal ? 400 : 200);
  };

  app.get<{ Params: { id: string } }>('/p/login/:id/code', (request, reply) => showCode(request, reply));

  app.post<{ Params: { id: string } }>('/p/login/:id/code', async (request, reply) => {
    const page = await loginPage(request.params.id);
    if (!page) return sendNotFound(request, reply, deps);
    const checked = checkedForm(request, deps);
    if (!checked) return sendForbidden(request, reply, deps);
    const outcome = await deps.operations.write(page.actor, infoOf(request), (ctx) =>
      signInWithCode(ctx, page.configuration, browserHash(checked.cookie), text(checked.form, 'code') ?? ''),
    );
    if ('refusal' in outcome) return showCode(request, reply, outcome.refusal);
    return redirectToSession(reply, outcome.session);
  });

  // Recovery: the expired session's page posts here (with the URL's secret when it has no cookie).
  app.post<{ Params: { sid: string } }>('/p/recover/:sid', async (request, reply) => {
    const checked = checkedForm(request, deps);
    if (!checked) return sendForbidden(request, reply, deps);
    const sid = request.params.sid;
    const target = await recoveryTarget(deps.operations, sid, {
      token: text(checked.form, 'token'),
      cookie: readCookie(request, cookieName(sid, secureCookies(deps))),
      browser: browserHash(checked.cookie),
    });
    if (!target) return sendNotFound(request, reply, deps);
    if (target.open) return reply.code(303).header('Location', `/p/${sid}/`).send();
    if (!target.recoverable) return sendExpiredPage(request, reply, deps, { ...target, recoverable: false });
    try {
      await deps.operations.write(target.actor, infoOf(request), (ctx) =>
        requestRecoveryCode(ctx, target.session, browserOf(request, checked.cookie)),
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const nonce = newNonce();
      const page = await deps.operations.read(target.actor, infoOf(request), (ctx) =>
        expiredChrome(ctx, target.session, request, nonce),
      );
      const html = renderErrorPage({ page, status: 429, code: error.code, requestId: request.id });
      return sendPage(reply, deps, nonce, html, 429);
    }
    return reply.code(303).header('Location', `/p/recover/${sid}`).send();
  });

  const showRecoveryCode = async (
    request: FastifyRequest<{ Params: { sid: string } }>,
    reply: FastifyReply,
    refusal?: AppError,
  ) => {
    const sid = request.params.sid;
    const cookie = loginCookie(request, reply, secureCookies(deps));
    const target = await recoveryTarget(deps.operations, sid, { browser: browserHash(cookie) });
    if (!target) return sendNotFound(request, reply, deps);
    const sentTo = await deps.operations.read(target.actor, infoOf(request), (ctx) =>
      pendingRecoveryEmail(ctx, target.session, browserHash(cookie)),
    );
    if (sentTo === undefined) return sendNotFound(request, reply, deps);
    const nonce = newNonce();
    const page = await deps.operations.read(target.actor, infoOf(request), (ctx) =>
      expiredChrome(ctx, target.session, request, nonce),
    );
    const shown = refusal ? codeErrors(page, refusal) : { errors: [], closed: false };
    const html = renderCodePage({
      page,
      csrfToken: csrfToken(cookie),
      action: `/p/recover/${sid}/code`,
      sentTo,
      recovery: true,
      minutes: CODE_SECONDS / 60,
      restart: { action: `/p/recover/${sid}` },
      ...shown,
    });
    return sendPage(reply, deps, nonce, html, refusal ? 400 : 200);
  };

  app.get<{ Params: { sid: string } }>('/p/recover/:sid', (request, reply) =>
    showRecoveryCode(request, reply),
  );

  app.post<{ Params: { sid: string } }>('/p/recover/:sid/code', async (request, reply) => {
    const checked = checkedForm(request, deps);
    if (!checked) return sendForbidden(request, reply, deps);
    const sid = request.params.sid;
    const browser = browserHash(checked.cookie);
    const target = await recoveryTarget(deps.operations, sid, { browser });
    if (!target) return sendNotFound(request, reply, deps);
    const outcome = await deps.operations.write(target.actor, infoOf(request), (ctx) =>
      recoverSession(ctx, target.session, browser, text(checked.form, 'code') ?? ''),
    );
    if ('refusal' in outcome) return showRecoveryCode(request, reply, outcome.refusal);
    return redirectToSession(reply, outcome.session);
  });
}
