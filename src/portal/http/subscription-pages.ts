import type { FastifyReply } from 'fastify';
import type Stripe from 'stripe';
import { productsOf } from '../../billing/portal/hosted/overview.ts';
import { portalSubscription, type Unavailable } from '../../billing/portal/hosted/subscription-actions.ts';
import { ctxForCustomer } from '../../billing/subscriptions/time.ts';
import type { Ctx } from '../../core/context.ts';
import { type AppError, isRefusal } from '../../core/errors.ts';
import { renderSubscriptionUnavailablePage, type SubscriptionSummaryView } from '../ui/index.ts';
import { subscriptionSummary } from '../views/subscription-summary.ts';
import { type PortalRequest, type SessionRequest, sendNotFound, sendPage } from './core.ts';

/**
 * What the subscription action pages share: the work runs on the customer's clock, the
 * subscription is re-read and re-checked as the session's own on every request, and a refusal
 * becomes the page that explains it.
 */

/** The subscription named in the path (`:sub`). */
export const subscriptionParam = (request: SessionRequest) => request.params.sub ?? '';

/** Reads on the customer's clock (a test clock's frozen time when the customer has one). */
export function readAsCustomer<T>(p: PortalRequest, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  return p.deps.operations.read(p.actor, p.info, async (base) =>
    work(await ctxForCustomer(base, p.portal.customer)),
  );
}

/** A change on the customer's clock: one transaction, with its events. */
export function writeAsCustomer<T>(p: PortalRequest, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  return p.deps.operations.write(p.actor, p.info, async (base) =>
    work(await ctxForCustomer(base, p.portal.customer)),
  );
}

/** The session's subscription with what its pages show of it; another's id is not found (404). */
export async function loadSubscription(
  ctx: Ctx,
  p: PortalRequest,
  id: string,
): Promise<{ sub: Stripe.Subscription; summary: SubscriptionSummaryView }> {
  const sub = await portalSubscription(ctx, p.portal, id);
  return { sub, summary: subscriptionSummary(sub, await productsOf(ctx, [sub])) };
}

/** Where "back" leads: the homepage, or in a flow (which has none) the merchant's return URL. */
export const backUrl = (p: PortalRequest) => p.page.homeUrl ?? p.page.returnUrl ?? null;

export function sendUnavailable(reply: FastifyReply, p: PortalRequest, reason: Unavailable) {
  const html = renderSubscriptionUnavailablePage({ page: p.page, reason });
  return sendPage(reply, p.deps, p.nonce, html, 409);
}

/**
 * A refusal of a subscription action as a page: not the session's (404), no longer available
 * (the explanation, 409). Anything else is not a page's business and is thrown on.
 */
export function sendActionRefusal(
  error: unknown,
  request: SessionRequest,
  reply: FastifyReply,
  p: PortalRequest,
) {
  if (isRefusal(error)) {
    const refusal = error as AppError;
    if (refusal.code === 'resource_missing') return sendNotFound(request, reply, p.deps);
    if (refusal.code === 'portal_subscription_action_unavailable') {
      return sendUnavailable(reply, p, (refusal.args as { reason: Unavailable }).reason);
    }
  }
  throw error;
}
