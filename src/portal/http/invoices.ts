import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type Stripe from 'stripe';
import { invoiceCreditNote } from '../../billing/credit-notes/service.ts';
import { renderInvoicePdf } from '../../billing/invoices/pdf/index.ts';
import {
  answerHostedChallenge,
  customerCards,
  findHostedInvoice,
  type HostedInvoice,
  type HostedPayment,
  type HostedPayResult,
  hostedChallenge,
  hostedTaxes,
  invoiceBusiness,
  invoiceCustomer,
  invoiceDiscounts,
  invoiceTaxes,
  isPayable,
  payHostedInvoice,
  portalInvoicePage,
} from '../../billing/portal/hosted/invoices.ts';
import { portalInvoice } from '../../billing/portal/hosted/overview.ts';
import { ctxForCustomer } from '../../billing/subscriptions/time.ts';
import type { Ctx } from '../../core/context.ts';
import type { CardDecline } from '../../core/error-codes.ts';
import { type AppError, isRefusal } from '../../core/errors.ts';
import { fileContent } from '../../files/service.ts';
import type { RequestInfo } from '../../operations/context.ts';
import { isMessageKey } from '../ui/i18n/messages.ts';
import {
  type CardValues,
  type FieldError,
  i18n,
  type PageChrome,
  renderErrorPage,
  renderHostedInvoicePage,
  renderInvoiceListPage,
  renderThreeDSecurePage,
  resolveLocale,
  type UiLocale,
} from '../ui/index.ts';
import { assetUrls, businessView } from '../views/chrome.ts';
import { creditNotePdfView } from '../views/credit-notes.ts';
import { paymentMethodView } from '../views/home.ts';
import {
  type HostedInvoiceData,
  hostedInvoicePath,
  hostedInvoiceView,
  invoiceListView,
  invoicePdfView,
} from '../views/invoices.ts';
import {
  openPortalRequest,
  type PortalDeps,
  type PortalRequest,
  redirectAfterPost,
  secureCookies,
  sendNotFound,
  sendPage,
} from './core.ts';
import { type FormValues, formValues, group, text } from './forms.ts';
import { newNonce, readCookie, sameOrigin } from './security.ts';

/** Invoices on one page of the history. */
const PAGE_SIZE = 10;

type ListRequest = FastifyRequest<{ Params: { sid: string } }>;
type OneRequest = FastifyRequest<{ Params: { sid: string; id: string } }>;
type HostedRequest = FastifyRequest<{
  Params: { invoice: string; secret: string; kind?: string; credit_note?: string };
}>;

function query(request: FastifyRequest, name: string): string | undefined {
  const q = request.url.indexOf('?');
  return q < 0 ? undefined : (new URLSearchParams(request.url.slice(q + 1)).get(name) ?? undefined);
}

const historyEnabled = (p: PortalRequest) => p.portal.configuration.features.invoice_history.enabled;

/**
 * The hosted invoice page has no session: its forms are protected by a per-browser random cookie
 * (set on the first visit, for this invoice only) and a token derived from that cookie and the
 * invoice's secret, so only a page the browser got from Portico can post, plus Sec-Fetch-Site.
 */
const invoiceCookieName = (invoiceId: string, secure: boolean) =>
  `${secure ? '__Host-' : ''}portico_inv_${invoiceId}`;

function invoiceCsrfToken(invoiceSecret: string, cookie: string): string {
  return createHash('sha256').update(`portico-invoice-csrf\0${invoiceSecret}\0${cookie}`).digest('base64url');
}

function invoiceCsrfMatches(invoiceSecret: string, cookie: string | undefined, presented: unknown): boolean {
  if (!cookie || typeof presented !== 'string') return false;
  const expected = createHash('sha256').update(invoiceCsrfToken(invoiceSecret, cookie)).digest();
  const given = createHash('sha256').update(presented).digest();
  return timingSafeEqual(expected, given);
}

/** The browser's visit cookie for an invoice page, set when it has none yet. */
function visitCookie(request: HostedRequest, reply: FastifyReply, deps: PortalDeps): string {
  const secure = secureCookies(deps);
  const name = invoiceCookieName(request.params.invoice, secure);
  const existing = readCookie(request, name);
  if (existing && /^[A-Za-z0-9_-]{20,64}$/.test(existing)) return existing;
  const value = randomBytes(24).toString('base64url');
  reply.header('Set-Cookie', `${name}=${value}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
  return value;
}

/** Everything the hosted page and the PDF show, read on the customer's clock. */
async function loadInvoice(
  deps: PortalDeps,
  found: HostedInvoice,
  info: RequestInfo,
): Promise<HostedInvoiceData & { customer: Stripe.Customer | undefined }> {
  return deps.operations.read(found.actor, info, async (base) => {
    const customer = await invoiceCustomer(base, found.invoice);
    const ctx = customer ? await ctxForCustomer(base, customer) : base;
    const defaultPm = customer?.invoice_settings?.default_payment_method ?? null;
    return {
      invoice: found.invoice,
      business: await invoiceBusiness(ctx, found.invoice),
      customer,
      cards: customer ? await customerCards(ctx, customer.id) : [],
      defaultPaymentMethod: typeof defaultPm === 'string' ? defaultPm : (defaultPm?.id ?? null),
      discounts: await invoiceDiscounts(ctx, found.invoice),
      taxes: await invoiceTaxes(ctx, found.invoice),
      now: ctx.clock.now(),
    };
  });
}

const invoiceLocale = (customer: Stripe.Customer | undefined, request: FastifyRequest): UiLocale =>
  resolveLocale({
    preferredLocales: customer?.preferred_locales,
    acceptLanguage: request.headers['accept-language'],
  });

function invoiceChrome(data: HostedInvoiceData, locale: UiLocale, nonce: string, path: string): PageChrome {
  return {
    locale,
    nonce,
    testMode: !data.invoice.livemode,
    business: businessView(data.business, null, path),
    assets: assetUrls(),
    homeUrl: null,
  };
}

/** A card field's value, as typed. */
function cardInput(form: FormValues): { card: Record<string, string | undefined>; values: CardValues } {
  const card = group(form, 'card');
  const values = { exp: text(card, 'exp') ?? null, postalCode: text(card, 'postal_code') ?? null };
  return {
    card: {
      number: text(card, 'number')?.replace(/[\s-]/g, ''),
      exp: text(card, 'exp'),
      cvc: text(card, 'cvc'),
      postalCode: text(card, 'postal_code'),
    },
    values,
  };
}

/** "MM / YY", "MM/YYYY", "MMYY" → month and four-digit year, or undefined. */
function parseExpiry(value: string | undefined): { month: number; year: number } | undefined {
  const m = value?.replace(/\s/g, '').match(/^(\d{1,2})\/?(\d{2}|\d{4})$/);
  if (!m) return undefined;
  const month = Number(m[1]);
  const year = m[2]!.length === 2 ? 2000 + Number(m[2]) : Number(m[2]);
  return month >= 1 && month <= 12 ? { month, year } : undefined;
}

/** The customer's choice on the pay form, or what is wrong with it. */
function paymentChoice(form: FormValues): { payment?: HostedPayment; errors: FieldError[] } {
  const choice = text(form, 'payment_method');
  if (!choice) return { errors: [{ field: 'payment_method', code: 'payment_method_required' }] };
  if (choice !== 'new') return { payment: { paymentMethod: choice }, errors: [] };
  const { card } = cardInput(form);
  const errors: FieldError[] = [];
  if (!card.number || !/^\d{12,19}$/.test(card.number))
    errors.push({ field: 'card[number]', code: 'invalid_number' });
  const expiry = parseExpiry(card.exp);
  if (!expiry) errors.push({ field: 'card[exp]', code: 'invalid_expiry' });
  if (!card.cvc || !/^\d{3,4}$/.test(card.cvc)) errors.push({ field: 'card[cvc]', code: 'invalid_cvc' });
  if (errors.length > 0) return { errors };
  return {
    payment: {
      card: { number: card.number!, exp_month: expiry!.month, exp_year: expiry!.year, cvc: card.cvc },
      postalCode: card.postalCode,
    },
    errors: [],
  };
}

const DECLINE_FALLBACK: Partial<Record<AppError['code'], string>> = {
  card_declined: 'card_declined',
  card_expired: 'expired_card',
  card_cvc_incorrect: 'incorrect_cvc',
  card_processing_error: 'processing_error',
};

/** A refusal of the payment as errors on the form: a decline names its decline code when the catalogue has it. */
function paymentErrors(error: AppError, newCard: boolean): FieldError[] {
  const at = newCard ? 'card[number]' : 'payment_method';
  switch (error.code) {
    case 'card_number_invalid':
      return [{ field: 'card[number]', code: 'invalid_number' }];
    case 'card_number_incorrect':
    case 'card_live_in_test_mode':
    case 'card_number_in_live_mode':
      return [{ field: 'card[number]', code: 'incorrect_number' }];
    case 'card_expiry_month_invalid':
    case 'card_expiry_year_invalid':
      return [{ field: 'card[exp]', code: 'invalid_expiry' }];
    case 'card_cvc_invalid':
      return [{ field: 'card[cvc]', code: 'invalid_cvc' }];
    case 'card_declined':
    case 'card_expired':
    case 'card_cvc_incorrect':
    case 'card_processing_error': {
      const decline = (error.args as CardDecline).declineCode;
      const code = decline && isMessageKey(`errors.${decline}`) ? decline : DECLINE_FALLBACK[error.code]!;
      return [{ field: at, code }];
    }
    case 'card_authentication_required':
    case 'subscription_payment_requires_action':
      // A card whose issuer still refuses without a challenge it can show: ask for another card.
      return [{ field: at, code: 'subscription_payment_requires_action' }];
    case 'customer_payment_method_not_found':
      return [{ field: 'payment_method', code: 'payment_method_required' }];
    default:
      return [{ code: error.code }];
  }
}

/** Sends a brand file (logo or icon) of the business a page speaks for. */
async function sendBrand(
  request: FastifyRequest,
  reply: FastifyReply,
  deps: PortalDeps,
  found: HostedInvoice,
  business: Stripe.Account,
  kind: string | undefined,
) {
  const branding = business.settings?.branding;
  const id = kind === 'logo' || kind === 'icon' ? branding?.[kind] : null;
  const fileId = typeof id === 'string' ? id : (id?.id ?? null);
  const file = fileId
    ? await deps.operations.read(found.actor, { id: request.id, idempotency_key: null }, (ctx) =>
        brandFile(ctx, fileId),
      )
    : undefined;
  if (!file) return sendNotFound(request, reply, deps);
  const type =
    file.file.type === 'svg'
      ? 'image/svg+xml'
      : `image/${file.file.type === 'jpg' ? 'jpeg' : file.file.type}`;
  return reply
    .type(type)
    .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
    .header('X-Content-Type-Options', 'nosniff')
    .header('Cache-Control', 'private, max-age=300')
    .send(file.content);
}

async function brandFile(ctx: Ctx, fileId: string) {
  return (
    (await fileContent(ctx.db, ctx.scope, fileId)) ??
    fileContent(ctx.db, { accountId: ctx.platformAccount, livemode: ctx.scope.livemode }, fileId)
  );
}

/**
 * Invoice history (`/p/:sid/invoices`, portal contract §9.10) and the hosted invoice page
 * (`/i/:invoice/:secret`, Stripe's `hosted_invoice_url`), with its pay form and its PDF.
 */
export function registerInvoiceRoutes(app: FastifyInstance, deps: PortalDeps): void {
  app.get('/p/:sid/invoices', async (request: ListRequest, reply) => {
    const p = await openPortalRequest(request, reply, deps);
    if (!p) return reply;
    if (!historyEnabled(p)) return sendNotFound(request, reply, deps);
    const startingAfter = query(request, 'starting_after');
    const endingBefore = startingAfter === undefined ? query(request, 'ending_before') : undefined;
    const cursor = startingAfter ?? endingBefore;
    const page = await deps.operations.read(p.actor, p.info, async (base) => {
      const ctx = await ctxForCustomer(base, p.portal.customer);
      // A cursor must be one of the session's own invoices.
      if (cursor !== undefined && !(await portalInvoice(ctx, p.portal, cursor))) return undefined;
      return portalInvoicePage(ctx, p.portal, { limit: PAGE_SIZE, startingAfter, endingBefore });
    });
    if (!page) return sendNotFound(request, reply, deps);
    const html = renderInvoiceListPage(invoiceListView(p.page, p.base, page, p.portal.now));
    return sendPage(reply, deps, p.nonce, html);
  });

  // The portal's own path to one of its invoices: a redirect to the invoice's hosted page.
  app.get('/p/:sid/invoices/:id', async (request: OneRequest, reply) => {
    const p = await openPortalRequest(request, reply, deps);
    if (!p) return reply;
    if (!historyEnabled(p)) return sendNotFound(request, reply, deps);
    const invoice = await deps.operations.read(p.actor, p.info, (ctx) =>
      portalInvoice(ctx, p.portal, request.params.id),
    );
    const path = invoice && hostedInvoicePath(invoice);
    if (!path) return sendNotFound(request, reply, deps);
    return reply.code(303).header('Location', path).header('Cache-Control', 'no-store').send();
  });

  const hosted = async (request: HostedRequest) => {
    const { invoice, secret } = request.params;
    return findHostedInvoice(deps.operations, invoice, secret);
  };
  const infoOf = (request: FastifyRequest): RequestInfo => ({ id: request.id, idempotency_key: null });
  const pathOf = (request: HostedRequest) => `/i/${request.params.invoice}/${request.params.secret}`;

  const showInvoice = async (
    request: HostedRequest,
    reply: FastifyReply,
    found: HostedInvoice,
    form: {
      notice?: 'invoice_paid' | 'authentication_failed' | null;
      selected?: string | null;
      card?: CardValues;
      errors?: FieldError[];
    } = {},
    status = 200,
  ) => {
    const data = await loadInvoice(deps, found, infoOf(request));
    const locale = invoiceLocale(data.customer, request);
    const nonce = newNonce();
    const path = pathOf(request);
    const cookie = visitCookie(request, reply, deps);
    const view = hostedInvoiceView(invoiceChrome(data, locale, nonce, path), i18n(locale), data, {
      ...form,
      csrfToken: invoiceCsrfToken(request.params.secret, cookie),
      action: `${path}/pay`,
    });
    return sendPage(reply, deps, nonce, renderHostedInvoicePage(view), status);
  };

  app.get('/i/:invoice/:secret', async (request: HostedRequest, reply) => {
    const found = await hosted(request);
    if (!found) return sendNotFound(request, reply, deps);
    const asked = query(request, 'notice');
    const notice = asked === 'invoice_paid' || asked === 'authentication_failed' ? asked : null;
    return showInvoice(request, reply, found, { notice });
  });

  /** A post of the invoice's pages must carry the token of this browser's cookie and come from Portico. */
  const formAllowed = (request: HostedRequest, form: FormValues) => {
    const cookie = readCookie(request, invoiceCookieName(request.params.invoice, secureCookies(deps)));
    return (
      invoiceCsrfMatches(request.params.secret, cookie, form._csrf) &&
      sameOrigin(request, new URL(deps.publicUrl).origin)
    );
  };
  const sendForbidden = async (request: HostedRequest, reply: FastifyReply, found: HostedInvoice) => {
    const data = await loadInvoice(deps, found, infoOf(request));
    const nonce = newNonce();
    const page = invoiceChrome(data, invoiceLocale(data.customer, request), nonce, pathOf(request));
    const html = renderErrorPage({ page, status: 403, code: 'csrf_invalid', requestId: request.id });
    return sendPage(reply, deps, nonce, html, 403);
  };

  app.post('/i/:invoice/:secret/pay', async (request: HostedRequest, reply) => {
    const found = await hosted(request);
    if (!found) return sendNotFound(request, reply, deps);
    const form = formValues(request);
    if (!formAllowed(request, form)) return sendForbidden(request, reply, found);
    const path = pathOf(request);
    // Already paid (a second click, another tab): the page says so.
    if (!isPayable(found.invoice)) return redirectAfterPost(reply, path);
    const selected = text(form, 'payment_method') ?? null;
    const card = cardInput(form).values;
    const choice = paymentChoice(form);
    if (!choice.payment)
      return showInvoice(request, reply, found, { selected, card, errors: choice.errors }, 400);
    const payment = choice.payment;
    let result: HostedPayResult;
    try {
      result = await deps.operations.write(found.actor, infoOf(request), (ctx) =>
        payHostedInvoice(ctx, found.invoice.id!, payment),
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      result = { status: 'declined', error };
    }
    if (result.status === 'paid') return redirectAfterPost(reply, `${path}?notice=invoice_paid`);
    if (result.status === 'requires_action') return redirectAfterPost(reply, `${path}/authenticate`);
    // The declined attempt is recorded on the invoice; the page shows it as it is now.
    const fresh = (await hosted(request)) ?? found;
    const errors = paymentErrors(result.error, 'card' in payment);
    return showInvoice(request, reply, fresh, { selected, card, errors }, 402);
  });

  // The 3D Secure challenge of a payment begun on the page (as the portal's add-card has one).
  app.get('/i/:invoice/:secret/authenticate', async (request: HostedRequest, reply) => {
    const found = await hosted(request);
    if (!found) return sendNotFound(request, reply, deps);
    const path = pathOf(request);
    const data = await loadInvoice(deps, found, infoOf(request));
    const challenge = await deps.operations.read(found.actor, infoOf(request), (ctx) =>
      hostedChallenge(ctx, found.invoice),
    );
    // Nothing waits (answered in another tab, or paid since): the invoice says where it stands.
    if (!challenge)
      return reply.code(303).header('Location', path).header('Cache-Control', 'no-store').send();
    const nonce = newNonce();
    const cookie = visitCookie(request, reply, deps);
    const html = renderThreeDSecurePage({
      page: invoiceChrome(data, invoiceLocale(data.customer, request), nonce, path),
      csrfToken: invoiceCsrfToken(request.params.secret, cookie),
      action: `${path}/authenticate`,
      amount: { amount: challenge.paymentIntent.amount, currency: challenge.paymentIntent.currency },
      paymentMethod: paymentMethodView(challenge.paymentMethod, null, data.now),
      cancelUrl: path,
    });
    return sendPage(reply, deps, nonce, html);
  });

  app.post('/i/:invoice/:secret/authenticate', async (request: HostedRequest, reply) => {
    const found = await hosted(request);
    if (!found) return sendNotFound(request, reply, deps);
    const form = formValues(request);
    if (!formAllowed(request, form)) return sendForbidden(request, reply, found);
    const path = pathOf(request);
    const answer = text(form, 'outcome') === 'complete' ? 'succeed' : 'fail';
    const result = await deps.operations.write(found.actor, infoOf(request), (ctx) =>
      answerHostedChallenge(ctx, found.invoice.id!, answer),
    );
    if (!result) return redirectAfterPost(reply, path);
    if (result.status === 'paid') return redirectAfterPost(reply, `${path}?notice=invoice_paid`);
    if (result.status === 'requires_action') return redirectAfterPost(reply, `${path}/authenticate`);
    if (result.error.code === 'payment_intent_authentication_failure') {
      return redirectAfterPost(reply, `${path}?notice=authentication_failed`);
    }
    // Authenticated, then declined by the issuer: the pay form again with the refusal.
    const fresh = (await hosted(request)) ?? found;
    return showInvoice(request, reply, fresh, { errors: paymentErrors(result.error, false) }, 402);
  });

  /** The invoice's PDF, or one of its credit notes' (`/credit_notes/:credit_note/pdf`). */
  async function sendPdf(request: HostedRequest, reply: FastifyReply) {
    const found = await hosted(request);
    if (!found) return sendNotFound(request, reply, deps);
    const noteId = request.params.credit_note;
    const noteData = noteId
      ? await deps.operations.read(found.actor, infoOf(request), async (ctx) => {
          const cn = await invoiceCreditNote(ctx, found.invoice.id!, noteId);
          return cn && { note: cn, taxes: await hostedTaxes(ctx, cn.total_taxes ?? []) };
        })
      : undefined;
    const note = noteData?.note;
    if (noteId && !note) return sendNotFound(request, reply, deps);
    const data = await loadInvoice(deps, found, infoOf(request));
    const locale = invoiceLocale(data.customer, request);
    const logoId = data.business.settings?.branding?.logo;
    const logoFile = logoId
      ? await deps.operations.read(found.actor, infoOf(request), (ctx) =>
          brandFile(ctx, typeof logoId === 'string' ? logoId : logoId.id),
        )
      : undefined;
    const logo =
      logoFile && (logoFile.file.type === 'png' || logoFile.file.type === 'jpg')
        ? logoFile.content
        : undefined;
    const view = note
      ? creditNotePdfView(i18n(locale), data, note, noteData.taxes, logo)
      : invoicePdfView(i18n(locale), data, logo);
    const pdf = await renderInvoicePdf(view);
    const number = (note?.number ?? found.invoice.number ?? found.invoice.id!).replace(/[^A-Za-z0-9_-]/g, '');
    return reply
      .code(200)
      .type('application/pdf')
      .header('Content-Disposition', `inline; filename="${note ? 'CreditNote' : 'Invoice'}-${number}.pdf"`)
      .header('Content-Security-Policy', "default-src 'none'; sandbox")
      .header('X-Content-Type-Options', 'nosniff')
      .header('Referrer-Policy', 'no-referrer')
      .header('Cache-Control', 'no-store')
      .send(pdf);
  }

  app.get('/i/:invoice/:secret/pdf', sendPdf);
  app.get('/i/:invoice/:secret/credit_notes/:credit_note/pdf', sendPdf);

  app.get('/i/:invoice/:secret/brand/:kind', async (request: HostedRequest, reply) => {
    const found = await hosted(request);
    if (!found) return sendNotFound(request, reply, deps);
    const business = await deps.operations.read(found.actor, infoOf(request), (ctx) =>
      invoiceBusiness(ctx, found.invoice),
    );
    return sendBrand(request, reply, deps, found, business, request.params.kind);
  });
}
