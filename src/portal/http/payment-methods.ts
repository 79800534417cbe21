import type { FastifyInstance, FastifyReply } from 'fastify';
import type Stripe from 'stripe';
import {
  type AddCardResult,
  addCard,
  answerCardAuthentication,
  cardChallenge,
  type NewCardInput,
  portalPaymentMethod,
  removalBlock,
  removePaymentMethod,
  setDefaultPaymentMethod,
} from '../../billing/portal/hosted/payment-methods.ts';
import type { Ctx } from '../../core/context.ts';
import { type AppError, isRefusal } from '../../core/errors.ts';
import {
  type FieldError,
  renderAddCardPage,
  renderRemovePaymentMethodPage,
  renderThreeDSecurePage,
} from '../ui/index.ts';
import { paymentMethodView } from '../views/home.ts';
import { cardFieldError } from '../views/payment-methods.ts';
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
import { afterSuccess, flowFormTargets, sendFlowComplete } from './flows.ts';
import { type FormValues, text } from './forms.ts';

/** A named segment of the route's path (always present once the route matched). */
const pathParam = (request: SessionRequest, name: string) => request.params[name] ?? '';

const enabled = (p: PortalRequest) => p.portal.configuration.features.payment_method_update.enabled;

const defaultOf = (p: PortalRequest) => {
  const value = p.portal.customer.invoice_settings?.default_payment_method;
  return typeof value === 'string' ? value : (value?.id ?? null);
};

function sendAddCard(
  reply: FastifyReply,
  p: PortalRequest,
  errors: FieldError[] = [],
  values?: { exp?: string | null; postalCode?: string | null },
) {
  const html = renderAddCardPage({
    page: p.page,
    csrfToken: p.csrf,
    action: `${p.base}/payment-methods/new`,
    cancelUrl: p.page.homeUrl ?? null,
    values,
    errors,
    becomesDefault: true,
  });
  const targets = flowFormTargets(p, 'payment_method_update');
  return sendPage(reply, p.deps, p.nonce, html, errors.length > 0 ? 400 : 200, targets);
}

function cardInput(form: FormValues): NewCardInput {
  return {
    number: text(form, 'number'),
    exp: text(form, 'exp'),
    cvc: text(form, 'cvc'),
    postalCode: text(form, 'postal_code'),
  };
}

/** Where adding a card leads: done, the 3D Secure challenge, or the form again with the refusal. */
function answerAdd(reply: FastifyReply, p: PortalRequest, result: AddCardResult, input: NewCardInput = {}) {
  if (result.status === 'added') return afterSuccess(reply, p, 'payment_method_update', 'card_added');
  if (result.status === 'requires_action') {
    return redirectAfterPost(reply, `${p.base}/payment-methods/authenticate/${result.setupIntent.id}`);
  }
  // The expiry and postal code come back; the card number and security code never do.
  return sendAddCard(reply, p, [cardFieldError(result.error)], {
    exp: input.exp ?? null,
    postalCode: input.postalCode ?? null,
  });
}

/** A payment method or SetupIntent that is not the customer's reads as a page that does not exist. */
function notFoundOr(error: unknown, request: SessionRequest, reply: FastifyReply, deps: PortalDeps) {
  if (isRefusal(error) && (error as AppError).code === 'resource_missing') {
    return sendNotFound(request, reply, deps);
  }
  throw error;
}

function sendRemove(
  reply: FastifyReply,
  p: PortalRequest,
  pm: Stripe.PaymentMethod,
  blocked: 'last_with_active_subscription' | null,
) {
  const html = renderRemovePaymentMethodPage({
    page: p.page,
    csrfToken: p.csrf,
    action: `${p.base}/payment-methods/${pm.id}/remove`,
    cancelUrl: p.page.homeUrl ?? null,
    paymentMethod: paymentMethodView(pm, defaultOf(p), p.portal.now),
    blocked,
    addUrl: blocked ? `${p.base}/payment-methods/new` : null,
  });
  return sendPage(reply, p.deps, p.nonce, html, blocked ? 409 : 200);
}

/**
 * The customer's payment methods (`features.payment_method_update`): add a card (with its 3D
 * Secure challenge), choose the default, remove one; and the `payment_method_update` flow.
 */
export function registerPaymentMethodRoutes(app: FastifyInstance, deps: PortalDeps): void {
  const read = <T>(p: PortalRequest, work: (ctx: Ctx) => Promise<T>) =>
    deps.operations.read(p.actor, p.info, work);
  const write = <T>(p: PortalRequest, work: (ctx: Ctx) => Promise<T>) =>
    deps.operations.write(p.actor, p.info, work);

  app.get(
    '/p/:sid/payment-methods/new',
    sessionPage(deps, async (p, request, reply) => {
      if (!enabled(p)) return sendNotFound(request, reply, deps);
      const error = queryParam(request, 'error') === 'authentication_failed';
      return sendAddCard(reply, p, error ? [{ code: 'authentication_failed' }] : []);
    }),
  );

  app.post(
    '/p/:sid/payment-methods/new',
    sessionForm(deps, async (p, form, request, reply) => {
      if (!enabled(p)) return sendNotFound(request, reply, deps);
      const input = cardInput(form);
      return answerAdd(reply, p, await write(p, (ctx) => addCard(ctx, p.portal, input)), input);
    }),
  );

  app.get(
    '/p/:sid/payment-methods/authenticate/:seti',
    sessionPage(deps, async (p, request, reply) => {
      if (!enabled(p)) return sendNotFound(request, reply, deps);
      const challenge = await read(p, (ctx) =>
        cardChallenge(ctx, p.portal, pathParam(request, 'seti')),
      ).catch((error) => notFoundOr(error, request, reply, deps));
      if (!challenge || reply.sent) return reply;
      const html = renderThreeDSecurePage({
        page: p.page,
        csrfToken: p.csrf,
        action: `${p.base}/payment-methods/authenticate/${challenge.setupIntent.id}`,
        paymentMethod: paymentMethodView(challenge.paymentMethod, null, p.portal.now),
        cancelUrl: `${p.base}/payment-methods/new`,
      });
      return sendPage(reply, deps, p.nonce, html, 200, flowFormTargets(p, 'payment_method_update'));
    }),
  );

  app.post(
    '/p/:sid/payment-methods/authenticate/:seti',
    sessionForm(deps, async (p, form, request, reply) => {
      if (!enabled(p)) return sendNotFound(request, reply, deps);
      const outcome = text(form, 'outcome') === 'complete' ? 'complete' : 'fail';
      const result = await write(p, (ctx) =>
        answerCardAuthentication(ctx, p.portal, pathParam(request, 'seti'), outcome),
      ).catch((error) => notFoundOr(error, request, reply, deps));
      if (!result || reply.sent) return reply;
      if (result.status === 'refused' && result.error.code === 'setup_intent_authentication_failure') {
        return redirectAfterPost(reply, `${p.base}/payment-methods/new?error=authentication_failed`);
      }
      return answerAdd(reply, p, result);
    }),
  );

  app.get(
    '/p/:sid/flow/complete',
    sessionPage(deps, async (p, request, reply) => {
      // Every flow that ends on a confirmation page ends here (its kind names the heading).
      return (await sendFlowComplete(reply, p)) ?? sendNotFound(request, reply, deps);
    }),
  );

  app.post(
    '/p/:sid/payment-methods/:pm/default',
    sessionForm(deps, async (p, _form, request, reply) => {
      if (!enabled(p)) return sendNotFound(request, reply, deps);
      const done = await write(p, async (ctx) => {
        await setDefaultPaymentMethod(ctx, p.portal, pathParam(request, 'pm'));
        return true;
      }).catch((error) => notFoundOr(error, request, reply, deps));
      if (!done || reply.sent) return reply;
      return redirectAfterPost(reply, `${p.base}/?notice=default_card_set`);
    }),
  );

  app.get(
    '/p/:sid/payment-methods/:pm/remove',
    sessionPage(deps, async (p, request, reply) => {
      if (!enabled(p)) return sendNotFound(request, reply, deps);
      const id = pathParam(request, 'pm');
      const found = await read(p, async (ctx) => ({
        pm: await portalPaymentMethod(ctx, p.portal, id),
        blocked: await removalBlock(ctx, p.portal, id),
      })).catch((error) => notFoundOr(error, request, reply, deps));
      if (!found || reply.sent) return reply;
      return sendRemove(reply, p, found.pm, found.blocked);
    }),
  );

  app.post(
    '/p/:sid/payment-methods/:pm/remove',
    sessionForm(deps, async (p, _form, request, reply) => {
      if (!enabled(p)) return sendNotFound(request, reply, deps);
      const id = pathParam(request, 'pm');
      try {
        await write(p, (ctx) => removePaymentMethod(ctx, p.portal, id));
      } catch (error) {
        if (!isRefusal(error) || error.code !== 'last_payment_method') {
          return notFoundOr(error, request, reply, deps);
        }
        const pm = await read(p, (ctx) => portalPaymentMethod(ctx, p.portal, id));
        return sendRemove(reply, p, pm, 'last_with_active_subscription');
      }
      return redirectAfterPost(reply, `${p.base}/?notice=card_removed`);
    }),
  );
}
