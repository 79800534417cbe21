import type { FastifyInstance, FastifyReply } from 'fastify';
import type Stripe from 'stripe';
import {
  type BillingDetailsInput,
  removeBillingTaxId,
  updateBillingDetails,
} from '../../billing/portal/hosted/billing-details.ts';
import { portalInvoicePage } from '../../billing/portal/hosted/invoices.ts';
import {
  activeFlow,
  portalPaymentMethods,
  portalSubscriptions,
  productsOf,
  upcomingInvoice,
} from '../../billing/portal/hosted/overview.ts';
import { pastDueInvoices } from '../../billing/portal/hosted/payment-methods.ts';
import { scheduleOwner } from '../../billing/portal/hosted/portal-schedules.ts';
import { enterSession } from '../../billing/portal/sessions/entry.ts';
import { pauseEndOf } from '../../billing/subscriptions/pause-end.ts';
import { ctxForCustomer } from '../../billing/subscriptions/time.ts';
import { embeddedTaxIds } from '../../billing/tax-ids/service.ts';
import type { Ctx } from '../../core/context.ts';
import { isRefusal } from '../../core/errors.ts';
import { fileContent } from '../../files/service.ts';
import {
  type BillingInfoView,
  type FieldError,
  type NoticeKind,
  type PortalAssetName,
  portalAsset,
  renderBillingInfoPage,
  renderErrorPage,
  renderHomePage,
} from '../ui/index.ts';
import { addressView, type HomeData, homeView } from '../views/home.ts';
import {
  type PortalDeps,
  type PortalRequest,
  queryParam,
  redirectAfterPost,
  type SessionRequest,
  secureCookies,
  sendExpiredPage,
  sendNotFound,
  sendPage,
  sessionForm,
  sessionPage,
} from './core.ts';
import { sessionStart } from './flows.ts';
import { type FormValues, group, text } from './forms.ts';
import { registerInvoiceRoutes } from './invoices.ts';
import { registerLoginRoutes } from './login.ts';
import { registerMailLinkRoutes } from './mail-links.ts';
import { registerOutboxRoutes } from './outbox.ts';
import { registerPaymentChallengeRoutes } from './payment-challenge.ts';
import { registerPaymentMethodRoutes } from './payment-methods.ts';
import { cookieName, readCookie, sessionCookie } from './security.ts';
import { registerSubscriptionCancelRoutes } from './subscription-cancel.ts';
import { registerSubscriptionPauseRoutes } from './subscription-pause.ts';
import { registerSubscriptionUpdateRoutes, updateActions } from './subscription-update.ts';

const NOTICES = new Set<NoticeKind>([
  'billing_info_saved',
  'card_added',
  'card_removed',
  'default_card_set',
  'invoice_paid',
  'authentication_failed',
  'subscription_canceled',
  'cancel_scheduled',
  'subscription_renewed',
  'subscription_paused',
  'subscription_resumed',
  'retention_accepted',
  'subscription_updated',
  'update_scheduled',
  'scheduled_update_canceled',
]);

function noticeOf(request: SessionRequest): NoticeKind | null {
  const value = queryParam(request, 'notice') as NoticeKind | undefined;
  return value && NOTICES.has(value) ? value : null;
}

/** The homepage's data; `cardAdded`: also the past-due invoices to offer for payment (§9.8). */
/** The homepage's five newest invoices, and whether older ones exist. */
async function firstInvoices(ctx: Ctx, portal: PortalRequest['portal']) {
  const page = await portalInvoicePage(ctx, portal, { limit: 5 });
  return { data: page.data, hasMore: page.hasOlder };
}

async function loadHome(p: PortalRequest, cardAdded: boolean): Promise<HomeData> {
  return p.deps.operations.read(p.actor, p.info, async (base) => {
    const ctx = await ctxForCustomer(base, p.portal.customer);
    const subscriptions = await portalSubscriptions(ctx, p.portal);
    const withUpcoming = [];
    for (const subscription of subscriptions) {
      withUpcoming.push({
        subscription,
        upcoming: await upcomingInvoice(ctx, p.portal, subscription),
        pauseEnd: await pauseEndOf(ctx, subscription),
        offered: await updateActions(ctx, p, subscription),
        scheduleOwner: await scheduleOwner(ctx, subscription),
      });
    }
    return {
      subscriptions: withUpcoming,
      products: await productsOf(ctx, subscriptions),
      paymentMethods: await portalPaymentMethods(ctx, p.portal),
      taxIds: (await embeddedTaxIds(ctx, p.portal.customer.id)).data,
      invoices: await firstInvoices(ctx, p.portal),
      pastDue:
        cardAdded && p.portal.configuration.features.invoice_history.enabled
          ? await pastDueInvoices(ctx, p.portal)
          : [],
    };
  });
}

function billingView(
  p: PortalRequest,
  taxIds: Stripe.TaxId[],
  input?: BillingDetailsInput,
  errors: FieldError[] = [],
): BillingInfoView {
  const allowed = p.portal.configuration.features.customer_update.allowed_updates;
  const c = p.portal.customer;
  const values: BillingInfoView['values'] = input
    ? {
        name: input.name,
        email: input.email,
        phone: input.phone,
        address: input.address ? { ...input.address, postalCode: input.address.postal_code } : null,
        shipping: input.shipping
          ? {
              name: input.shipping.name,
              phone: input.shipping.phone,
              address: input.shipping.address
                ? { ...input.shipping.address, postalCode: input.shipping.address.postal_code }
                : null,
            }
          : null,
        newTaxId: input.newTaxId ?? null,
      }
    : {
        name: c.name,
        email: c.email,
        phone: c.phone,
        address: addressView(c.address),
        shipping: c.shipping
          ? {
              name: c.shipping.name,
              phone: c.shipping.phone ?? null,
              address: addressView(c.shipping.address),
            }
          : null,
      };
  values.taxIds = taxIds.map((t) => ({ id: t.id, type: t.type, value: t.value }));
  return {
    page: p.page,
    csrfToken: p.csrf,
    action: `${p.base}/billing`,
    cancelUrl: p.page.homeUrl ?? null,
    allowed: {
      name: allowed.includes('name'),
      email: allowed.includes('email'),
      phone: allowed.includes('phone'),
      address: allowed.includes('address'),
      shipping: allowed.includes('shipping'),
      taxIds: allowed.includes('tax_id'),
    },
    values,
    errors,
    emailLocked: p.portal.emailLocked,
  };
}

function addressInput(values: FormValues): BillingDetailsInput['address'] {
  return {
    line1: text(values, 'line1'),
    line2: text(values, 'line2'),
    city: text(values, 'city'),
    state: text(values, 'state'),
    postal_code: text(values, 'postal_code'),
    country: text(values, 'country')?.toUpperCase(),
  };
}

function billingInput(form: FormValues): BillingDetailsInput {
  const shipping = group(form, 'shipping');
  const tax = group(form, 'tax_id');
  return {
    name: text(form, 'name'),
    email: text(form, 'email'),
    phone: text(form, 'phone'),
    address: addressInput(group(form, 'address')),
    shipping: {
      name: text(shipping, 'name'),
      phone: text(shipping, 'phone'),
      address: addressInput(group(shipping, 'address')),
    },
    newTaxId: { type: text(tax, 'type'), value: text(tax, 'value') },
  };
}

const taxIdsOf = (p: PortalRequest) =>
  p.deps.operations.read(
    p.actor,
    p.info,
    async (ctx) => (await embeddedTaxIds(ctx, p.portal.customer.id)).data,
  );

/** The hosted portal's pages (`/p/...`): session entry, the homepage and billing information. */
export function registerPortalRoutes(app: FastifyInstance, deps: PortalDeps): void {
  app.get<{ Params: { name: string } }>('/p/assets/:name', async (request, reply) => {
    const name = request.params.name;
    if (name !== 'portal.css' && name !== 'portal.js') return sendNotFound(request, reply, deps);
    const asset = portalAsset(name as PortalAssetName);
    return reply
      .type(asset.contentType)
      .header('Cache-Control', 'public, max-age=31536000, immutable')
      .header('X-Content-Type-Options', 'nosniff')
      .send(asset.body);
  });

  // The session URL: exchanged once for this browser's cookie, then a redirect to a clean URL.
  app.get<{ Params: { token: string } }>('/p/session/:token', async (request, reply) => {
    const token = request.params.token;
    const entry = await enterSession(deps.operations, token, (sid: string) =>
      readCookie(request, cookieName(sid, secureCookies(deps))),
    );
    if (entry.status === 'unknown') return sendNotFound(request, reply, deps);
    if (entry.status === 'expired') return sendExpiredPage(request, reply, deps, entry, token);
    if (entry.status === 'spent') return sendExpiredPage(request, reply, deps, entry);
    const sid = entry.session.id;
    if (entry.cookieSecret)
      reply.header('Set-Cookie', sessionCookie(sid, entry.cookieSecret, secureCookies(deps)));
    return reply
      .code(303)
      .header('Location', sessionStart(sid, activeFlow(entry.session, entry.flowCompleted)))
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .send();
  });

  app.get(
    '/p/:sid/',
    sessionPage(deps, async (p, request, reply) => {
      const notice = noticeOf(request);
      const data = await loadHome(p, notice === 'card_added');
      const html = renderHomePage(homeView(p.portal, p.page, p.csrf, data, notice));
      return sendPage(reply, deps, p.nonce, html);
    }),
  );

  // The segment goes back encoded: decoded, a NUL or a non-Latin-1 character cannot be a header.
  app.get('/p/:sid', async (request: SessionRequest, reply) =>
    reply.redirect(`/p/${encodeURIComponent(request.params.sid)}/`, 301),
  );

  app.get(
    '/p/:sid/brand/:kind',
    sessionPage(deps, async (p, request, reply) => {
      const kind = request.params.kind;
      const id = kind === 'logo' || kind === 'icon' ? p.portal.business.settings?.branding?.[kind] : null;
      const fileId = typeof id === 'string' ? id : (id?.id ?? null);
      if (!fileId) return sendNotFound(request, reply, deps);
      const found = await p.deps.operations.read(
        p.actor,
        p.info,
        async (ctx) =>
          (await fileContent(ctx.db, ctx.scope, fileId)) ??
          fileContent(ctx.db, { accountId: ctx.platformAccount, livemode: ctx.scope.livemode }, fileId),
      );
      if (!found) return sendNotFound(request, reply, deps);
      const type =
        found.file.type === 'svg'
          ? 'image/svg+xml'
          : `image/${found.file.type === 'jpg' ? 'jpeg' : found.file.type}`;
      return reply
        .type(type)
        .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
        .header('X-Content-Type-Options', 'nosniff')
        .header('Cache-Control', 'private, max-age=300')
        .send(found.content);
    }),
  );

  const billingEnabled = (p: PortalRequest) => {
    const feature = p.portal.configuration.features.customer_update;
    return feature.enabled && feature.allowed_updates.length > 0;
  };

  registerPaymentMethodRoutes(app, deps);

  app.get(
    '/p/:sid/billing',
    sessionPage(deps, async (p, request, reply) => {
      if (!billingEnabled(p)) return sendNotFound(request, reply, deps);
      const html = renderBillingInfoPage(billingView(p, await taxIdsOf(p)));
      return sendPage(reply, deps, p.nonce, html);
    }),
  );

  app.post(
    '/p/:sid/billing',
    sessionForm(deps, async (p, form, request, reply) => {
      if (!billingEnabled(p)) return sendNotFound(request, reply, deps);
      const removing = text(form, 'remove_tax_id');
      if (removing) {
        await deps.operations.write(p.actor, p.info, async (ctx) =>
          removeBillingTaxId(ctx, p.portal, removing),
        );
        return redirectAfterPost(reply, `${p.base}/billing`);
      }
      const input = billingInput(form);
      const refusals = await deps.operations.write(p.actor, p.info, (ctx) =>
        updateBillingDetails(ctx, p.portal, input),
      );
      if (refusals.length === 0) return redirectAfterPost(reply, `${p.base}/?notice=billing_info_saved`);
      const html = renderBillingInfoPage(billingView(p, await taxIdsOf(p), input, refusals));
      return sendPage(reply, deps, p.nonce, html, 400);
    }),
  );

  registerInvoiceRoutes(app, deps);
  registerPaymentChallengeRoutes(app, deps);
  registerLoginRoutes(app, deps);
  registerMailLinkRoutes(app, deps);
  if (deps.outboxPage) registerOutboxRoutes(app, deps);
  registerSubscriptionCancelRoutes(app, deps);
  registerSubscriptionPauseRoutes(app, deps);
  registerSubscriptionUpdateRoutes(app, deps);
}

/** A domain refusal on a page: the error page in the customer's language. */
export function sendRefusal(reply: FastifyReply, p: PortalRequest, error: unknown, requestId: string) {
  if (!isRefusal(error)) throw error;
  const html = renderErrorPage({ page: p.page, status: 400, code: error.code, requestId });
  return sendPage(reply, p.deps, p.nonce, html, 400);
}
