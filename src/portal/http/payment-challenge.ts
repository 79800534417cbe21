import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import {
  answerIntentChallenge,
  challengeDetails,
  challengeSucceeded,
  findChallenge,
  type HostedChallenge,
} from '../../billing/portal/hosted/payment-challenge.ts';
import type { RequestInfo } from '../../operations/context.ts';
import {
  type ChallengeResultView,
  type PageChrome,
  renderChallengeResultPage,
  renderErrorPage,
  renderThreeDSecurePage,
  resolveLocale,
} from '../ui/index.ts';
import { assetUrls, businessView } from '../views/chrome.ts';
import { paymentMethodView } from '../views/home.ts';
import { type PortalDeps, redirectAfterPost, secureCookies, sendNotFound, sendPage } from './core.ts';
import { formValues, text } from './forms.ts';
import { newNonce, readCookie, sameOrigin } from './security.ts';

/**
 * The 3D Secure challenge of a PaymentIntent or SetupIntent made through the API (`next_action`'s
 * URL): `/p/3ds/<client secret>`. As the hosted invoice page, it has no session: its form is
 * protected by a per-browser random cookie and a token derived from it and the client secret,
 * plus Sec-Fetch-Site/Origin. After the answer the cardholder goes back to the `return_url`
 * given at confirmation (with Stripe's `payment_intent`/`setup_intent`, its `…_client_secret`
 * and `redirect_status`), or sees the outcome.
 */

type ChallengeRequest = FastifyRequest<{ Params: { secret: string } }>;

const cookieName = (secret: string, secure: boolean) =>
  `${secure ? '__Host-' : ''}portico_3ds_${createHash('sha256').update(secret).digest('hex').slice(0, 16)}`;

function csrfToken(secret: string, cookie: string): string {
  return createHash('sha256').update(`portico-3ds-csrf\0${secret}\0${cookie}`).digest('base64url');
}

function csrfMatches(secret: string, cookie: string | undefined, presented: unknown): boolean {
  if (!cookie || typeof presented !== 'string') return false;
  const expected = createHash('sha256').update(csrfToken(secret, cookie)).digest();
  const given = createHash('sha256').update(presented).digest();
  return timingSafeEqual(expected, given);
}

function visitCookie(request: ChallengeRequest, reply: FastifyReply, deps: PortalDeps): string {
  const secure = secureCookies(deps);
  const name = cookieName(request.params.secret, secure);
  const existing = readCookie(request, name);
  if (existing && /^[A-Za-z0-9_-]{20,64}$/.test(existing)) return existing;
  const value = randomBytes(24).toString('base64url');
  reply.header('Set-Cookie', `${name}=${value}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
  return value;
}

/** Where the cardholder goes back to, with what Stripe adds to a return URL. */
function returnTo(url: string, challenge: HostedChallenge): string {
  const target = new URL(url);
  const name = challenge.kind === 'payment' ? 'payment_intent' : 'setup_intent';
  target.searchParams.set(name, challenge.intent.id);
  target.searchParams.set(`${name}_client_secret`, challenge.intent.client_secret ?? '');
  target.searchParams.set('redirect_status', challengeSucceeded(challenge) ? 'succeeded' : 'failed');
  return target.toString();
}

/** What the page says once the challenge is answered (when there is no return URL to go to). */
function outcomeOf(challenge: HostedChallenge, declined: boolean): ChallengeResultView['outcome'] {
  if (challengeSucceeded(challenge)) return challenge.kind === 'payment' ? 'paid' : 'saved';
  return declined ? 'declined' : 'authentication_failed';
}

function originOf(url: string | null | undefined): string[] {
  if (!url) return [];
  try {
    return [new URL(url).origin];
  } catch {
    return [];
  }
}

export function registerPaymentChallengeRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const infoOf = (request: FastifyRequest): RequestInfo => ({ id: request.id, idempotency_key: null });
  const pathOf = (request: ChallengeRequest) => `/p/3ds/${request.params.secret}`;

  const chromeFor = async (request: ChallengeRequest, found: HostedChallenge, nonce: string) => {
    const details = await deps.operations.read(found.actor, infoOf(request), (ctx) =>
      challengeDetails(ctx, found.intent),
    );
    const page: PageChrome = {
      locale: resolveLocale({
        preferredLocales: details.customer?.preferred_locales,
        acceptLanguage: request.headers['accept-language'],
      }),
      nonce,
      testMode: !found.intent.livemode,
      business: businessView(details.business, null, pathOf(request)),
      assets: assetUrls(),
      homeUrl: null,
    };
    return { page, details };
  };

  app.get('/p/3ds/:secret', async (request: ChallengeRequest, reply) => {
    const found = await findChallenge(deps.operations, request.params.secret);
    if (!found) return sendNotFound(request, reply, deps);
    const nonce = newNonce();
    const { page, details } = await chromeFor(request, found, nonce);
    const intent = found.intent;
    if (intent.status !== 'requires_action' || !details.paymentMethod) {
      // Answered already (another tab, the back button): what became of the payment or card.
      const outcome = outcomeOf(found, true);
      return sendPage(reply, deps, nonce, renderChallengeResultPage({ page, outcome }));
    }
    const cookie = visitCookie(request, reply, deps);
    const returnUrl = intent.next_action?.redirect_to_url?.return_url ?? null;
    const html = renderThreeDSecurePage({
      page,
      csrfToken: csrfToken(request.params.secret, cookie),
      action: pathOf(request),
      amount:
        found.kind === 'payment' ? { amount: found.intent.amount, currency: found.intent.currency } : null,
      paymentMethod: paymentMethodView(details.paymentMethod, null, details.now),
      cancelUrl: returnUrl,
    });
    return sendPage(reply, deps, nonce, html, 200, originOf(returnUrl));
  });

  app.post('/p/3ds/:secret', async (request: ChallengeRequest, reply) => {
    const found = await findChallenge(deps.operations, request.params.secret);
    if (!found) return sendNotFound(request, reply, deps);
    const form = formValues(request);
    const cookie = readCookie(request, cookieName(request.params.secret, secureCookies(deps)));
    if (
      !csrfMatches(request.params.secret, cookie, form._csrf) ||
      !sameOrigin(request, new URL(deps.publicUrl).origin)
    ) {
      const nonce = newNonce();
      const { page } = await chromeFor(request, found, nonce);
      const html = renderErrorPage({ page, status: 403, code: 'csrf_invalid', requestId: request.id });
      return sendPage(reply, deps, nonce, html, 403);
    }
    const answer = text(form, 'outcome') === 'complete' ? 'succeed' : 'fail';
    const result = await deps.operations.write(found.actor, infoOf(request), (ctx) =>
      answerIntentChallenge(ctx, found, answer),
    );
    if (!result) return redirectAfterPost(reply, pathOf(request));
    if (result.returnUrl) return redirectAfterPost(reply, returnTo(result.returnUrl, result.challenge));
    const nonce = newNonce();
    const { page } = await chromeFor(request, result.challenge, nonce);
    const outcome = outcomeOf(result.challenge, result.declined);
    return sendPage(reply, deps, nonce, renderChallengeResultPage({ page, outcome }));
  });
}
