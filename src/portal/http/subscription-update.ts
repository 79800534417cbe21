import type { FastifyInstance, FastifyReply } from 'fastify';
import type Stripe from 'stripe';
import { quantityRange } from '../../billing/portal/hosted/eligibility.ts';
import {
  applyChange,
  type ChangeInput,
  cancelPendingChange,
  checkChange,
  loadUpdateTarget,
  previewChange,
  type UpdateTarget,
  updateOffer,
} from '../../billing/portal/hosted/subscription-update.ts';
import { answerChangeChallenge, changeChallenge } from '../../billing/portal/hosted/update-authentication.ts';
import type { Ctx } from '../../core/context.ts';
import { type AppError, isRefusal } from '../../core/errors.ts';
import {
  type FieldError,
  type FlowKind,
  renderErrorPage,
  renderThreeDSecurePage,
  type SubscriptionActionView,
  type SubscriptionView,
} from '../ui/index.ts';
import {
  renderCancelScheduledPage,
  renderUpdateBlockedPage,
  renderUpdatePlanPage,
  renderUpdatePreviewPage,
} from '../ui/pages/subscription-update.tsx';
import { paymentMethodView, priceView } from '../views/home.ts';
import { cardFieldError } from '../views/payment-methods.ts';
import {
  choicesView,
  intervalsOf,
  pendingLine,
  previewView,
  productName,
} from '../views/subscription-update.ts';
import {
  type PortalDeps,
  type PortalRequest,
  queryParam,
  redirectAfterPost,
  type SessionRequest,
  sendNotFound,
  sendPage,
  sessionForm,
  sessionPage,
} from './core.ts';
import { afterSuccess, flowFormTargets } from './flows.ts';
import { type FormValues, text } from './forms.ts';
import { readAsCustomer, writeAsCustomer } from './subscription-pages.ts';

/**
 * Switching plans (§9.5): the plan page (a GET form, nothing changes), the review page with the
 * preview and the confirm form, and "Cancel scheduled update". The `subscription_update` flow
 * opens the plan page; `subscription_update_confirm` opens the review of its prefilled change.
 */

type UpdateFlow = 'subscription_update' | 'subscription_update_confirm';

/** The session's update flow, if it is one. */
function updateFlow(p: PortalRequest) {
  const flow = p.portal.session.flow;
  return flow?.type === 'subscription_update' || flow?.type === 'subscription_update_confirm' ? flow : null;
}

/** The flow kind a success ends (the update flow the session runs, or a plain update). */
const flowKind = (p: PortalRequest): FlowKind => (updateFlow(p)?.type as UpdateFlow) ?? 'subscription_update';

/** The subscription a flow is about; other subscriptions are out of its reach. */
function flowSubscription(p: PortalRequest): string | null {
  const flow = updateFlow(p);
  if (!flow) return null;
  return flow.subscription_update?.subscription ?? flow.subscription_update_confirm?.subscription ?? null;
}

const isConfirmFlow = (p: PortalRequest) => updateFlow(p)?.type === 'subscription_update_confirm';

const pathParam = (request: SessionRequest, name: string) => request.params[name] ?? '';

/** Where a refusal points on the plan form. */
function fieldOf(error: AppError): string | null {
  const param = error.param ?? '';
  if (param === 'quantity') return 'quantity';
  if (param.includes('promotion_code') || param.includes('coupon')) return 'promotion_code';
  return 'price';
}

/** A number typed in a field (anything else is kept as NaN, which the checks refuse). */
function quantityOf(value: string | undefined): number | undefined {
  if (value === undefined || value.trim() === '') return undefined;
  return /^\d+$/.test(value.trim()) ? Number(value.trim()) : Number.NaN;
}

/** The change asked for: the query of the plan form, or a confirm flow's prefilled change. */
function changeInput(p: PortalRequest, read: (name: string) => string | undefined): ChangeInput {
  const confirm = updateFlow(p)?.subscription_update_confirm;
  if (confirm) {
    const item = confirm.items[0];
    const discount = confirm.discounts?.[0];
    return {
      price: item?.price ?? undefined,
      quantity: item?.quantity ?? undefined,
      discount: discount ? { coupon: discount.coupon, promotion_code: discount.promotion_code } : null,
    };
  }
  return {
    price: read('price'),
    quantity: quantityOf(read('quantity')),
    promotionCode: read('promotion_code')?.trim() || undefined,
  };
}

/** The update action and the pending change's notice (with "Cancel scheduled update") on the homepage. */
export async function updateActions(
  ctx: Ctx,
  p: PortalRequest,
  sub: Stripe.Subscription,
): Promise<Pick<SubscriptionView, 'actions' | 'scheduledChange' | 'nextInvoice'>> {
  const offer = await updateOffer(ctx, p.portal, sub, p.deps.multiItemUpdates ?? false);
  const actions: SubscriptionActionView[] = [];
  const at = `${p.base}/subscriptions/${sub.id}`;
  if (offer.updatable) actions.push({ kind: 'update', url: `${at}/update` });
  if (offer.pending) actions.push({ kind: 'cancel_scheduled_update', url: `${at}/scheduled-update/cancel` });
  const pending = offer.pending;
  return {
    actions,
    // The pending change bills the next period: its price, not the current one, with the
    // discounts and credit that invoice will use.
    ...(pending && offer.pendingAmount
      ? { nextInvoice: { date: pending.date, amount: offer.pendingAmount } }
      : {}),
    scheduledChange: pending
      ? {
          date: pending.date,
          price: priceView(pending.price),
          productName: productName(offer.products, pending.price),
        }
      : null,
  };
}

export function registerSubscriptionUpdateRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const multiItem = deps.multiItemUpdates ?? false;
  // Each piece runs on the customer's clock (a test clock's frozen time when it has one).
  const read = readAsCustomer;
  const write = writeAsCustomer;
  const base = (p: PortalRequest, sub: string) => `${p.base}/subscriptions/${sub}/update`;

  /**
   * The target of a request, re-checked: the feature is on, the subscription is the session's
   * customer's (and its flow's), else the 404 page. A blocked subscription gets the page that
   * says why. Answers undefined when a page was sent.
   */
  async function target(
    p: PortalRequest,
    request: SessionRequest,
    reply: FastifyReply,
    itemId?: string,
  ): Promise<UpdateTarget | undefined> {
    const id = pathParam(request, 'sub');
    const inFlow = flowSubscription(p);
    if (!p.portal.configuration.features.subscription_update.enabled || (inFlow !== null && inFlow !== id)) {
      await sendNotFound(request, reply, deps);
      return undefined;
    }
    try {
      const found = await read(p, (ctx) =>
        loadUpdateTarget(ctx, p.portal, id, { multiItem, itemId: multiItem ? itemId : undefined }),
      );
      if (!found.block) return found;
      const html = renderUpdateBlockedPage({ page: p.page, reason: found.block, backUrl: p.page.homeUrl });
      await sendPage(reply, deps, p.nonce, html, 409);
      return undefined;
    } catch (error) {
      if (isRefusal(error) && error.code === 'resource_missing') {
        await sendNotFound(request, reply, deps);
        return undefined;
      }
      throw error;
    }
  }

  function sendPlan(
    reply: FastifyReply,
    p: PortalRequest,
    t: UpdateTarget,
    input: { interval?: string; price?: string; quantity?: string; promotionCode?: string },
    errors: FieldError[] = [],
  ) {
    const sub = t.subscription.id;
    const intervals = intervalsOf(t);
    const checked = input.price ?? t.choices.find((c) => c.current)?.price.id ?? '';
    const checkedInterval = t.choices.find((c) => c.price.id === checked)?.price.recurring?.interval;
    const wanted = intervals.find((i) => i === input.interval) ?? checkedInterval ?? null;
    const interval = intervals.length > 1 ? (wanted as (typeof intervals)[number]) : null;
    const checkedProduct = t.choices.find((c) => c.price.id === checked)?.product.product ?? '';
    const quantityRangeOf = quantityRange(
      p.portal.configuration.features.subscription_update,
      checkedProduct,
    );
    const html = renderUpdatePlanPage({
      page: p.page,
      action: `${base(p, sub)}/review`,
      cancelUrl: p.page.homeUrl ?? null,
      intervals:
        intervals.length > 1
          ? intervals.map((i) => ({
              label: i,
              url: `${base(p, sub)}?interval=${i}${t.item.id && multiItem ? `&item=${t.item.id}` : ''}`,
              selected: i === interval,
            }))
          : null,
      choices: choicesView(t, interval, checked),
      quantity: quantityRangeOf
        ? {
            value: Number(input.quantity ?? t.item.quantity ?? 1) || (t.item.quantity ?? 1),
            min: quantityRangeOf.minimum,
            max: quantityRangeOf.maximum,
          }
        : null,
      promotionCode: t.promotionCodes ? { value: input.promotionCode ?? null } : null,
      pending: t.pending ? { line: pendingLine(t, t.pending), date: t.pending.date } : null,
      itemId: multiItem ? t.item.id : null,
      items: multiItem
        ? t.subscription.items.data.map((item) => ({
            label: productName(t.products, item.price),
            url: `${base(p, sub)}?item=${item.id}`,
            selected: item.id === t.item.id,
          }))
        : null,
      errors,
    });
    return sendPage(reply, deps, p.nonce, html, errors.length > 0 ? 400 : 200);
  }

  /** The review page of the change the request asks for, or the plan page with its refusal. */
  async function sendReview(
    reply: FastifyReply,
    request: SessionRequest,
    p: PortalRequest,
    t: UpdateTarget,
    values: (name: string) => string | undefined,
    errors: FieldError[] = [],
  ) {
    const input = changeInput(p, values);
    let preview: Awaited<ReturnType<typeof previewChange>>;
    try {
      preview = await read(p, async (ctx) =>
        previewChange(ctx, p.portal, t, await checkChange(ctx, p.portal, t, input)),
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      if (error.code === 'resource_missing') return sendNotFound(request, reply, deps);
      if (isConfirmFlow(p)) {
        const html = renderErrorPage({ page: p.page, status: 400, code: error.code, requestId: request.id });
        return sendPage(reply, deps, p.nonce, html, 400);
      }
      return sendPlan(
        reply,
        p,
        t,
        { price: values('price'), quantity: values('quantity'), promotionCode: values('promotion_code') },
        [{ field: fieldOf(error), code: error.code }],
      );
    }
    const change = preview.change;
    const fields: Record<string, string> = { price: change.price.id, quantity: String(change.quantity) };
    if (change.codeText && input.promotionCode) fields.promotion_code = change.codeText;
    if (multiItem) fields.item = t.item.id;
    const query = new URLSearchParams(fields).toString();
    const html = renderUpdatePreviewPage({
      page: p.page,
      csrfToken: p.csrf,
      action: `${base(p, t.subscription.id)}/review`,
      fields,
      backUrl: isConfirmFlow(p) ? null : `${base(p, t.subscription.id)}?${query}`,
      ...previewView(t, preview),
      errors,
      addCardUrl:
        errors.length > 0 && p.portal.configuration.features.payment_method_update.enabled && !p.page.flow
          ? `${p.base}/payment-methods/new`
          : null,
    });
    return sendPage(
      reply,
      deps,
      p.nonce,
      html,
      errors.length > 0 ? 402 : 200,
      flowFormTargets(p, flowKind(p) as never),
    );
  }

  app.get(
    '/p/:sid/subscriptions/:sub/update',
    sessionPage(deps, async (p, request, reply) => {
      if (isConfirmFlow(p)) return sendNotFound(request, reply, deps);
      const t = await target(p, request, reply, queryParam(request, 'item'));
      if (!t) return reply;
      return sendPlan(reply, p, t, {
        interval: queryParam(request, 'interval'),
        price: queryParam(request, 'price'),
        quantity: queryParam(request, 'quantity'),
        promotionCode: queryParam(request, 'promotion_code'),
      });
    }),
  );

  app.get(
    '/p/:sid/subscriptions/:sub/update/review',
    sessionPage(deps, async (p, request, reply) => {
      const t = await target(p, request, reply, queryParam(request, 'item'));
      if (!t) return reply;
      return sendReview(reply, request, p, t, (name) => queryParam(request, name));
    }),
  );

  app.post(
    '/p/:sid/subscriptions/:sub/update/review',
    sessionForm(deps, async (p, form: FormValues, request, reply) => {
      const t = await target(p, request, reply, text(form, 'item'));
      if (!t) return reply;
      const input = changeInput(p, (name) => text(form, name));
      try {
        const result = await write(p, async (ctx) =>
          applyChange(ctx, p.portal, t, await checkChange(ctx, p.portal, t, input)),
        );
        if (result.status === 'requires_action') {
          return redirectAfterPost(reply, `${base(p, t.subscription.id)}/authenticate`);
        }
        return afterSuccess(
          reply,
          p,
          flowKind(p),
          result.status === 'scheduled' ? 'update_scheduled' : 'subscription_updated',
        );
      } catch (error) {
        if (!isRefusal(error)) throw error;
        if (error.code === 'resource_missing') return sendNotFound(request, reply, deps);
        const payment = (error.args as { declineCode?: string; paymentIntent?: unknown }) ?? {};
        const refusal: FieldError =
          error.code === 'subscription_payment_requires_action' || error.code === 'customer_no_payment_method'
            ? { code: error.code === 'customer_no_payment_method' ? 'payment_method_required' : error.code }
            : payment.declineCode !== undefined
              ? { ...cardFieldError(error), field: null }
              : { field: fieldOf(error), code: error.code };
        return sendReview(reply, request, p, t, (name) => text(form, name), [refusal]);
      }
    }),
  );

  /** The subscription a challenge is for, when the feature is on and the flow (if any) allows it. */
  function challengeSubscription(p: PortalRequest, request: SessionRequest): string | null {
    const id = pathParam(request, 'sub');
    const inFlow = flowSubscription(p);
    const on = p.portal.configuration.features.subscription_update.enabled;
    return on && (inFlow === null || inFlow === id) ? id : null;
  }

  /** Where a challenge that no longer waits leads: back to choosing (the review, in a confirm flow). */
  const afterChallenge = (p: PortalRequest, sub: string) =>
    isConfirmFlow(p) ? `${base(p, sub)}/review` : base(p, sub);

  // The 3D Secure challenge of a confirmed change whose invoice needs it (the change is pending).
  app.get(
    '/p/:sid/subscriptions/:sub/update/authenticate',
    sessionPage(deps, async (p, request, reply) => {
      const id = challengeSubscription(p, request);
      if (!id) return sendNotFound(request, reply, deps);
      let challenge: Awaited<ReturnType<typeof changeChallenge>>;
      try {
        challenge = await read(p, (ctx) => changeChallenge(ctx, p.portal, id));
      } catch (error) {
        if (isRefusal(error) && error.code === 'resource_missing') return sendNotFound(request, reply, deps);
        throw error;
      }
      if (!challenge) return redirectAfterPost(reply, afterChallenge(p, id));
      const html = renderThreeDSecurePage({
        page: p.page,
        csrfToken: p.csrf,
        action: `${base(p, id)}/authenticate`,
        amount: { amount: challenge.paymentIntent.amount, currency: challenge.paymentIntent.currency },
        paymentMethod: paymentMethodView(challenge.paymentMethod, null, p.portal.now),
        cancelUrl: afterChallenge(p, id),
      });
      return sendPage(reply, deps, p.nonce, html, 200, flowFormTargets(p, flowKind(p) as never));
    }),
  );

  app.post(
    '/p/:sid/subscriptions/:sub/update/authenticate',
    sessionForm(deps, async (p, form: FormValues, request, reply) => {
      const id = challengeSubscription(p, request);
      if (!id) return sendNotFound(request, reply, deps);
      const answer = text(form, 'outcome') === 'complete' ? 'succeed' : 'fail';
      let result: Awaited<ReturnType<typeof answerChangeChallenge>>;
      try {
        result = await write(p, (ctx) => answerChangeChallenge(ctx, p.portal, id, answer));
      } catch (error) {
        if (isRefusal(error) && error.code === 'resource_missing') return sendNotFound(request, reply, deps);
        throw error;
      }
      if (!result) return redirectAfterPost(reply, afterChallenge(p, id));
      if (result.status === 'updated') return afterSuccess(reply, p, flowKind(p), 'subscription_updated');
      // Not made: the review of the same change again, saying why, with "Try again".
      const { error, change } = result;
      const refusal: FieldError =
        error.code === 'payment_intent_authentication_failure'
          ? { code: 'authentication_failed' }
          : { ...cardFieldError(error), field: null };
      const t = await target(p, request, reply, change?.item);
      if (!t) return reply;
      const values: Record<string, string | undefined> = change
        ? { price: change.price, quantity: String(change.quantity), item: change.item }
        : {};
      return sendReview(reply, request, p, t, (name) => values[name], [refusal]);
    }),
  );

  const cancelUrl = (p: PortalRequest, sub: string) =>
    `${p.base}/subscriptions/${sub}/scheduled-update/cancel`;

  /** The portal's pending change of a subscription, re-checked; the 404 page otherwise. */
  async function pendingOf(p: PortalRequest, request: SessionRequest) {
    const id = pathParam(request, 'sub');
    if (p.page.flow) return undefined;
    const found = await read(p, (ctx) =>
      loadUpdateTarget(ctx, p.portal, id, { multiItem }).catch((error) => {
        if (isRefusal(error) && error.code === 'resource_missing') return undefined;
        throw error;
      }),
    );
    return found?.pending ? found : undefined;
  }

  app.get(
    '/p/:sid/subscriptions/:sub/scheduled-update/cancel',
    sessionPage(deps, async (p, request, reply) => {
      const t = await pendingOf(p, request);
      if (!t?.pending) return sendNotFound(request, reply, deps);
      const html = renderCancelScheduledPage({
        page: p.page,
        csrfToken: p.csrf,
        action: cancelUrl(p, t.subscription.id),
        cancelUrl: p.page.homeUrl ?? null,
        pending: pendingLine(t, t.pending),
        date: t.pending.date,
      });
      return sendPage(reply, deps, p.nonce, html);
    }),
  );

  app.post(
    '/p/:sid/subscriptions/:sub/scheduled-update/cancel',
    sessionForm(deps, async (p, _form, request, reply) => {
      const t = await pendingOf(p, request);
      if (!t) return sendNotFound(request, reply, deps);
      await write(p, (ctx) => cancelPendingChange(ctx, p.portal, t.subscription.id));
      return redirectAfterPost(reply, `${p.base}/?notice=scheduled_update_canceled`);
    }),
  );
}
