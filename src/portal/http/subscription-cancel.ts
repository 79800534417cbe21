import type { FastifyInstance, FastifyReply } from 'fastify';
import type Stripe from 'stripe';
import { scheduleOwner } from '../../billing/portal/hosted/portal-schedules.ts';
import { unavailability } from '../../billing/portal/hosted/subscription-actions.ts';
import {
  answerRetention,
  cancelFromPortal,
  cancelOutcome,
  reasonChoices,
  recordReasons,
  renewFromPortal,
  retentionOffer,
} from '../../billing/portal/hosted/subscription-cancel.ts';
import { isRefusal } from '../../core/errors.ts';
import {
  type FieldError,
  type NoticeKind,
  renderCancelReasonPage,
  renderCancelSubscriptionPage,
  renderRenewSubscriptionPage,
  renderRetentionOfferPage,
} from '../ui/index.ts';
import { actionPath, retentionDiscount } from '../views/subscription-actions.ts';
import {
  type PortalDeps,
  type PortalRequest,
  redirectAfterPost,
  sendPage,
  sessionForm,
  sessionPage,
} from './core.ts';
import { afterSuccess, flowFormTargets, flowOf } from './flows.ts';
import { text } from './forms.ts';
import {
  backUrl,
  loadSubscription,
  readAsCustomer,
  sendActionRefusal,
  sendUnavailable,
  subscriptionParam,
  writeAsCustomer,
} from './subscription-pages.ts';

/** What the homepage (or the flow's end) says after a cancellation: already ended, or ending later. */
const cancelNotice = (sub: Stripe.Subscription): NoticeKind =>
  sub.status === 'canceled' ? 'subscription_canceled' : 'cancel_scheduled';

/** A flow's last form may answer with a 303 to the merchant: its origin joins the page's form-action. */
const targets = (p: PortalRequest) => flowFormTargets(p, 'subscription_cancel');

/** Accepting the retention offer ends the flow too, with its own confirmation. */
function afterRetention(reply: FastifyReply, p: PortalRequest) {
  const after = flowOf(p, 'subscription_cancel')?.after_completion;
  if (after?.type === 'hosted_confirmation') {
    return redirectAfterPost(reply, `${p.base}/flow/complete?outcome=retention_accepted`);
  }
  return afterSuccess(reply, p, 'subscription_cancel', 'retention_accepted');
}

async function sendReasons(
  reply: FastifyReply,
  p: PortalRequest,
  id: string,
  input: { selected?: string | null; comment?: string | null; errors?: FieldError[] } = {},
) {
  const found = await readAsCustomer(p, async (ctx) => ({
    sub: (await loadSubscription(ctx, p, id)).sub,
    choices: await reasonChoices(ctx, p.portal),
  }));
  if (!found.choices) return sendUnavailable(reply, p, 'not_eligible');
  const { sub, choices } = found;
  const html = renderCancelReasonPage({
    page: p.page,
    csrfToken: p.csrf,
    action: actionPath(p.base, id, 'cancel/reason'),
    canceled: {
      mode: sub.status === 'canceled' ? 'immediately' : 'at_period_end',
      endsAt: sub.items.data[0]?.current_period_end ?? sub.ended_at ?? p.portal.now,
    },
    choices: [
      ...choices.options.map((value) => ({ value })),
      ...choices.feedbackOptions.map((o) => ({ value: `option:${o.id}`, description: o.description })),
    ],
    selected: input.selected,
    comment: input.comment,
    errors: input.errors,
  });
  return sendPage(reply, p.deps, p.nonce, html, input.errors?.length ? 400 : 200, targets(p));
}

/**
 * Cancelling (`features.subscription_cancel`, the `subscription_cancel` flow): the retention
 * offer when the flow carries one, the confirmation with what will happen, the optional reasons;
 * and renewing a subscription set to cancel at its period end.
 */
export function registerSubscriptionCancelRoutes(app: FastifyInstance, deps: PortalDeps): void {
  app.get(
    '/p/:sid/subscriptions/:sub/cancel',
    sessionPage(deps, async (p, request, reply) => {
      const id = subscriptionParam(request);
      try {
        const page = await readAsCustomer(p, async (ctx) => {
          const { sub, summary } = await loadSubscription(ctx, p, id);
          const reason = unavailability(
            p.portal.configuration,
            sub,
            'cancel',
            ctx.clock.now(),
            await scheduleOwner(ctx, sub),
          );
          if (reason) return { reason, summary, coupon: null, outcome: null };
          const coupon = await retentionOffer(ctx, p.portal, sub);
          const outcome = coupon ? null : await cancelOutcome(ctx, p.portal, sub);
          return { reason: null, summary, coupon, outcome };
        });
        if (page.reason) return sendUnavailable(reply, p, page.reason);
        const html = page.coupon
          ? renderRetentionOfferPage({
              page: p.page,
              csrfToken: p.csrf,
              action: actionPath(p.base, id, 'retention'),
              subscription: page.summary,
              discount: retentionDiscount(page.coupon),
            })
          : renderCancelSubscriptionPage({
              page: p.page,
              csrfToken: p.csrf,
              action: actionPath(p.base, id, 'cancel'),
              keepUrl: backUrl(p),
              subscription: page.summary,
              mode: page.outcome!.mode,
              endsAt: page.outcome!.endsAt,
              credit: page.outcome!.credit,
            });
        return sendPage(reply, deps, p.nonce, html, 200, targets(p));
      } catch (error) {
        return sendActionRefusal(error, request, reply, p);
      }
    }),
  );

  app.post(
    '/p/:sid/subscriptions/:sub/cancel',
    sessionForm(deps, async (p, _form, request, reply) => {
      const id = subscriptionParam(request);
      try {
        const done = await writeAsCustomer(p, async (ctx) => {
          const { sub } = await loadSubscription(ctx, p, id);
          // The retention offer comes before the final confirmation: a post that skips it is sent back to it.
          if (await retentionOffer(ctx, p.portal, sub)) return null;
          return {
            sub: await cancelFromPortal(ctx, p.portal, id),
            asksReasons: (await reasonChoices(ctx, p.portal)) !== null,
          };
        });
        if (!done) return redirectAfterPost(reply, actionPath(p.base, id, 'cancel'));
        if (done.asksReasons) return redirectAfterPost(reply, actionPath(p.base, id, 'cancel/reason'));
        return afterSuccess(reply, p, 'subscription_cancel', cancelNotice(done.sub));
      } catch (error) {
        return sendActionRefusal(error, request, reply, p);
      }
    }),
  );

  app.post(
    '/p/:sid/subscriptions/:sub/retention',
    sessionForm(deps, async (p, form, request, reply) => {
      const id = subscriptionParam(request);
      const accept = text(form, 'answer') === 'accept';
      try {
        await writeAsCustomer(p, (ctx) => answerRetention(ctx, p.portal, id, accept));
      } catch (error) {
        // Answered already (another tab): the cancellation page shows where things stand.
        if (isRefusal(error) && error.code === 'portal_retention_unavailable') {
          return redirectAfterPost(reply, actionPath(p.base, id, 'cancel'));
        }
        return sendActionRefusal(error, request, reply, p);
      }
      return accept ? afterRetention(reply, p) : redirectAfterPost(reply, actionPath(p.base, id, 'cancel'));
    }),
  );

  app.get(
    '/p/:sid/subscriptions/:sub/cancel/reason',
    sessionPage(deps, async (p, request, reply) => {
      try {
        return await sendReasons(reply, p, subscriptionParam(request));
      } catch (error) {
        return sendActionRefusal(error, request, reply, p);
      }
    }),
  );

  app.post(
    '/p/:sid/subscriptions/:sub/cancel/reason',
    sessionForm(deps, async (p, form, request, reply) => {
      const id = subscriptionParam(request);
      const input = { choice: text(form, 'reason'), comment: text(form, 'comment') };
      try {
        const sub = await writeAsCustomer(p, async (ctx) => {
          if (!text(form, 'skip')) await recordReasons(ctx, p.portal, id, input);
          return (await loadSubscription(ctx, p, id)).sub;
        });
        return afterSuccess(reply, p, 'subscription_cancel', cancelNotice(sub));
      } catch (error) {
        if (isRefusal(error) && error.param === 'reason') {
          return sendReasons(reply, p, id, {
            selected: input.choice,
            comment: input.comment,
            errors: [{ field: 'reason', code: 'reason_invalid' }],
          });
        }
        return sendActionRefusal(error, request, reply, p);
      }
    }),
  );

  app.get(
    '/p/:sid/subscriptions/:sub/renew',
    sessionPage(deps, async (p, request, reply) => {
      const id = subscriptionParam(request);
      try {
        const { sub, summary } = await readAsCustomer(p, (ctx) => loadSubscription(ctx, p, id));
        const reason = unavailability(p.portal.configuration, sub, 'renew', p.portal.now);
        if (reason) return sendUnavailable(reply, p, reason);
        const html = renderRenewSubscriptionPage({
          page: p.page,
          csrfToken: p.csrf,
          action: actionPath(p.base, id, 'renew'),
          backUrl: backUrl(p),
          subscription: summary,
          endsAt: sub.items.data[0]?.current_period_end ?? p.portal.now,
        });
        return sendPage(reply, deps, p.nonce, html);
      } catch (error) {
        return sendActionRefusal(error, request, reply, p);
      }
    }),
  );

  app.post(
    '/p/:sid/subscriptions/:sub/renew',
    sessionForm(deps, async (p, _form, request, reply) => {
      const id = subscriptionParam(request);
      try {
        await writeAsCustomer(p, (ctx) => renewFromPortal(ctx, p.portal, id));
      } catch (error) {
        return sendActionRefusal(error, request, reply, p);
      }
      return redirectAfterPost(reply, `${p.base}/?notice=subscription_renewed`);
    }),
  );
}
