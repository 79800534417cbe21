import type { FastifyReply } from 'fastify';
import type Stripe from 'stripe';
import { type FlowKind, type NoticeKind, renderFlowCompletePage } from '../ui/index.ts';
import { type PortalRequest, redirectAfterPost, sendPage } from './core.ts';

type Flow = Stripe.BillingPortal.Session.Flow;

/** The page a flow opens on (portal contract §4); flows without pages of their own open the homepage. */
const FLOW_PAGES: Partial<Record<Flow['type'], string>> = {
  payment_method_update: 'payment-methods/new',
};

/** Where a session's URL leads once exchanged for the cookie. */
export function sessionStart(sessionId: string, flow: Flow | null): string {
  const update = flow?.subscription_update?.subscription;
  if (update) return `/p/${sessionId}/subscriptions/${update}/update`;
  const confirm = flow?.subscription_update_confirm?.subscription;
  if (confirm) return `/p/${sessionId}/subscriptions/${confirm}/update/review`;
  const page = flow ? FLOW_PAGES[flow.type] : undefined;
  return `/p/${sessionId}/${page ?? ''}`;
}

/** The session's flow when it is this kind, else null (the same page outside a flow). */
export function flowOf(p: PortalRequest, kind: Flow['type']): Flow | null {
  const flow = p.portal.session.flow;
  return flow?.type === kind ? flow : null;
}

/** The merchant's origin when this kind of flow ends with a redirect there, for the pages' form-action. */
export function flowFormTargets(p: PortalRequest, kind: Flow['type']): string[] {
  const after = flowOf(p, kind)?.after_completion;
  return after?.type === 'redirect' && after.redirect ? [new URL(after.redirect.return_url).origin] : [];
}

/**
 * After an action succeeded: outside a flow, the homepage with its notice; at the end of a flow,
 * what `after_completion` says (the confirmation page, a 303 to the merchant's URL, or the
 * homepage).
 */
export function afterSuccess(reply: FastifyReply, p: PortalRequest, kind: FlowKind, notice: NoticeKind) {
  const flow = flowOf(p, kind as Flow['type']);
  const home = `${p.base}/?notice=${notice}`;
  if (!flow) return redirectAfterPost(reply, home);
  const after = flow.after_completion;
  if (after.type === 'redirect' && after.redirect) return redirectAfterPost(reply, after.redirect.return_url);
  if (after.type === 'portal_homepage') return redirectAfterPost(reply, home);
  return redirectAfterPost(reply, `${p.base}/flow/complete`);
}

/** The `hosted_confirmation` page of the session's flow (only for a flow that ends on one). */
export function sendFlowComplete(reply: FastifyReply, p: PortalRequest) {
  const flow = p.portal.session.flow;
  if (flow?.after_completion.type !== 'hosted_confirmation') return undefined;
  const html = renderFlowCompletePage({
    page: p.page,
    kind: flow.type as FlowKind,
    customMessage: flow.after_completion.hosted_confirmation?.custom_message ?? null,
  });
  return sendPage(reply, p.deps, p.nonce, html);
}
