import type { FastifyInstance, FastifyReply } from 'fastify';
import type Stripe from 'stripe';
import { unavailability } from '../../billing/portal/hosted/subscription-actions.ts';
import {
  pauseChoices,
  pauseFromPortal,
  resumeFromPortal,
} from '../../billing/portal/hosted/subscription-pause.ts';
import { pauseEndOf } from '../../billing/subscriptions/pause-end.ts';
import { isRefusal } from '../../core/errors.ts';
import { type FieldError, renderPauseSubscriptionPage, renderResumeSubscriptionPage } from '../ui/index.ts';
import { actionPath } from '../views/subscription-actions.ts';
import {
  type PortalDeps,
  type PortalRequest,
  redirectAfterPost,
  sendPage,
  sessionForm,
  sessionPage,
} from './core.ts';
import { afterSuccess, flowFormTargets } from './flows.ts';
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

/**
 * Pausing and resuming (`features.subscription_pause`, the `subscription_pause` flow): the
 * configured durations with the date billing would resume, and Resume for a paused one.
 */
export function registerSubscriptionPauseRoutes(app: FastifyInstance, deps: PortalDeps): void {
  async function sendPause(
    p: PortalRequest,
    reply: FastifyReply,
    id: string,
    selected?: string | null,
    errors: FieldError[] = [],
  ) {
    const { sub, summary, now } = await readAsCustomer(p, async (ctx) => ({
      ...(await loadSubscription(ctx, p, id)),
      now: ctx.clock.now(),
    }));
    const reason = unavailability(p.portal.configuration, sub, 'pause', now);
    if (reason) return sendUnavailable(reply, p, reason);
    const html = renderPauseSubscriptionPage({
      page: p.page,
      csrfToken: p.csrf,
      action: actionPath(p.base, id, 'pause'),
      backUrl: backUrl(p),
      subscription: summary,
      choices: pauseChoices(p.portal.configuration, now),
      selected,
      errors,
    });
    const status = errors.length > 0 ? 400 : 200;
    return sendPage(reply, deps, p.nonce, html, status, flowFormTargets(p, 'subscription_pause'));
  }

  app.get(
    '/p/:sid/subscriptions/:sub/pause',
    sessionPage(deps, async (p, request, reply) => {
      try {
        return await sendPause(p, reply, subscriptionParam(request));
      } catch (error) {
        return sendActionRefusal(error, request, reply, p);
      }
    }),
  );

  app.post(
    '/p/:sid/subscriptions/:sub/pause',
    sessionForm(deps, async (p, form, request, reply) => {
      const id = subscriptionParam(request);
      const duration = text(form, 'duration');
      try {
        await writeAsCustomer(p, (ctx) => pauseFromPortal(ctx, p.portal, id, duration));
      } catch (error) {
        if (isRefusal(error) && error.code === 'portal_pause_duration_invalid') {
          return sendPause(p, reply, id, duration, [{ field: 'duration', code: 'pause_duration_invalid' }]);
        }
        return sendActionRefusal(error, request, reply, p);
      }
      return afterSuccess(reply, p, 'subscription_pause', 'subscription_paused');
    }),
  );

  app.get(
    '/p/:sid/subscriptions/:sub/resume',
    sessionPage(deps, async (p, request, reply) => {
      const id = subscriptionParam(request);
      try {
        const found = await readAsCustomer(p, async (ctx) => {
          const loaded = await loadSubscription(ctx, p, id);
          return { ...loaded, resumesAt: await pauseEndOf(ctx, loaded.sub), now: ctx.clock.now() };
        });
        const reason = unavailability(p.portal.configuration, found.sub, 'resume', found.now);
        if (reason) return sendUnavailable(reply, p, reason);
        const html = renderResumeSubscriptionPage({
          page: p.page,
          csrfToken: p.csrf,
          action: actionPath(p.base, id, 'resume'),
          backUrl: backUrl(p),
          subscription: found.summary,
          resumesAt: found.resumesAt,
        });
        return sendPage(reply, deps, p.nonce, html);
      } catch (error) {
        return sendActionRefusal(error, request, reply, p);
      }
    }),
  );

  app.post(
    '/p/:sid/subscriptions/:sub/resume',
    sessionForm(deps, async (p, _form, request, reply) => {
      const id = subscriptionParam(request);
      let resumed: Stripe.Subscription;
      try {
        resumed = await writeAsCustomer(p, (ctx) => resumeFromPortal(ctx, p.portal, id));
      } catch (error) {
        return sendActionRefusal(error, request, reply, p);
      }
      // The resumption's invoice was not paid: it stays paused, and that invoice's page is where to pay.
      if (resumed.status === 'paused' && resumed.latest_invoice) {
        return redirectAfterPost(reply, `${p.base}/invoices/${String(resumed.latest_invoice)}`);
      }
      return redirectAfterPost(reply, `${p.base}/?notice=subscription_resumed`);
    }),
  );
}
