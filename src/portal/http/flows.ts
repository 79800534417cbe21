import type { FastifyReply } from 'fastify';
import type Stripe from 'stripe';
import { activeFlow } from '../../billing/portal/hosted/overview.ts';
import { completeFlow } from '../../billing/portal/sessions/lifetime.ts';
import {
  type FlowCompleteView,
  type FlowKind,
  type NoticeKind,
  renderFlowCompletePage,
} from '../ui/index.ts';
import { type PortalRequest, redirectAfterPost, sendPage } from './core.ts';

type Flow = Stripe.BillingPortal.Session.Flow;

/** The page a flow opens on (portal contract §4); flows without pages of their own open the homepage. */
const FLOW_PAGES: Partial<Record<Flow['type'], (flow: Flow) => string>> = {
  payment_method_update: () => 'payment-methods/new',
  subscription_cancel: (flow) => `subscriptions/${flow.subscription_cancel?.subscription}/cancel`,
  subscription_pause: (flow) => `subscriptions/${flow.subscription_pause?.subscription}/pause`,
  subscription_update: (flow) => `subscriptions/${flow.subscription_update?.subscription}/update`,
  subscription_update_confirm: (flow) =>
    `subscriptions/${flow.subscription_update_confirm?.subscription}/update/review`,
};

/** Where a session's URL leads once exchanged for the cookie (`flow`: the one still active). */
export function sessionStart(sessionId: string, flow: Flow | null): string {
  const page = flow ? FLOW_PAGES[flow.type]?.(flow) : undefined;
  return `/p/${sessionId}/${page ?? ''}`;
}

/** The session's active flow when it is this kind, else null (the same page outside a flow). */
export function flowOf(p: PortalRequest, kind: Flow['type']): Flow | null {
  const flow = activeFlow(p.portal.session, p.portal.flowCompleted);
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
export async function afterSuccess(
  reply: FastifyReply,
  p: PortalRequest,
  kind: FlowKind,
  notice: NoticeKind,
) {
  const flow = flowOf(p, kind as Flow['type']);
  const home = `${p.base}/?notice=${notice}`;
  if (!flow) return redirectAfterPost(reply, home);
  const after = flow.after_completion;
  if (after.type === 'redirect' && after.redirect) return redirectAfterPost(reply, after.redirect.return_url);
  if (after.type === 'portal_homepage') {
    // The full portal opens from now on in this session (contract §4); the session keeps that.
    if (!p.portal.flowCompleted) {
      await p.deps.operations.write(p.actor, p.info, (ctx) =>
        completeFlow(ctx.db, p.portal.session.id, ctx.clock.now()),
      );
    }
    return redirectAfterPost(reply, home);
  }
  return redirectAfterPost(reply, `${p.base}/flow/complete`);
}

/**
 * The `hosted_confirmation` page of the session's flow (only for a flow that ends on one);
 * `extra`: lines summarising the change and, for an outcome other than the flow's own, its heading.
 */
export function sendFlowComplete(
  reply: FastifyReply,
  p: PortalRequest,
  extra: Pick<FlowCompleteView, 'summary' | 'titleKey'> = {},
) {
  const flow = activeFlow(p.portal.session, p.portal.flowCompleted);
  if (flow?.after_completion.type !== 'hosted_confirmation') return undefined;
  const html = renderFlowCompletePage({
    page: p.page,
    kind: flow.type as FlowKind,
    customMessage: flow.after_completion.hosted_confirmation?.custom_message ?? null,
    ...extra,
  });
  return sendPage(reply, p.deps, p.nonce, html);
}
