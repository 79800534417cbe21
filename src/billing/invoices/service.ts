import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { type AppError, errors, fail } from '../../core/errors.ts';
import type { JsonText } from '../../core/json.ts';
import {
  type ListObject,
  listJson,
  listObject,
  pageQuery,
  type SearchResult,
  searchResult,
} from '../../core/list.ts';
import { parseSearchQuery } from '../../search/query.ts';
import { type Filter, findObject, listObjectTexts } from '../../store/objects.ts';
import { type SearchField, searchObjects } from '../../store/search.ts';
import { requireCustomer } from '../customers/service.ts';
import { resolvePaymentMethod } from '../payment-methods/resolve.ts';
import { paymentMethodFor } from '../subscriptions/invoicing.ts';
import { paymentError } from '../subscriptions/payment.ts';
import { afterPayment } from '../subscriptions/status.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { attemptPayment } from './collect.ts';
import { refuseAccountsV2 } from './create.ts';
import { finalizeInvoice } from './finalize.ts';
import { markUncollectible, voidInvoice } from './lifecycle.ts';
import { markPaid } from './paid.ts';
import type {
  FinalizeInvoiceParams,
  ListInvoiceParams,
  ListLinesParams,
  PayInvoiceParams,
  SearchInvoiceParams,
} from './params.ts';
import { invoiceSubscription, requireInvoice } from './store.ts';

/** An invoice and the context on its customer's time (a test clock's, when it has one). */
async function onCustomerTime(base: Ctx, id: string): Promise<{ ctx: Ctx; invoice: Stripe.Invoice }> {
  const invoice = await requireInvoice(base, id);
  const customer = await requireCustomer(base, String(invoice.customer));
  return { ctx: await ctxForCustomer(base, customer), invoice };
}

function refuseUnless(invoice: Stripe.Invoice, allowed: Stripe.Invoice.Status[], action: string): void {
  if (!allowed.includes(invoice.status ?? 'draft')) {
    throw fail('invoice_status_forbids', { action, allowed, status: invoice.status });
  }
}

export async function listInvoices(
  ctx: Ctx,
  params: ListInvoiceParams,
): Promise<JsonText<ListObject<Stripe.Invoice>>> {
  refuseAccountsV2(params.customer_account);
  const where: Record<string, Filter> = { deleted: 0 };
  if (params.customer !== undefined) where.customer = params.customer;
  if (params.subscription !== undefined) where.subscription = params.subscription;
  if (params.status !== undefined) where.status = params.status;
  if (params.collection_method !== undefined) where.collection_method = params.collection_method;
  if (params.due_date !== undefined) {
    where.due_date = typeof params.due_date === 'number' ? params.due_date : { range: params.due_date };
  }
  const page = await listObjectTexts(ctx.db, 'invoices', ctx.scope, pageQuery(params), where);
  return listJson<Stripe.Invoice>(page, '/v1/invoices');
}

/** `GET /v1/invoices/:id/lines`: the invoice's lines, paged with Stripe's cursors. */
export async function listLines(
  ctx: Ctx,
  id: string,
  params: ListLinesParams,
): Promise<ListObject<Stripe.InvoiceLineItem>> {
  const invoice = await requireInvoice(ctx, id);
  const lines = invoice.lines.data;
  const query = pageQuery(params);
  const limit = query.limit;
  let start = 0;
  let end = lines.length;
  if (query.startingAfter !== undefined) {
    const i = lines.findIndex((l) => l.id === query.startingAfter);
    if (i < 0) throw errors.noSuchParam('line_item', query.startingAfter, 'starting_after');
    start = i + 1;
  }
  if (query.endingBefore !== undefined) {
    const i = lines.findIndex((l) => l.id === query.endingBefore);
    if (i < 0) throw errors.noSuchParam('line_item', query.endingBefore, 'ending_before');
    end = i;
    start = Math.max(0, end - limit);
  }
  const data = lines.slice(start, Math.min(end, start + limit));
  return listObject({ data, hasMore: start + data.length < end }, `/v1/invoices/${id}/lines`);
}

export async function finalizeDraft(
  base: Ctx,
  id: string,
  params: FinalizeInvoiceParams,
): Promise<Stripe.Invoice> {
  const { ctx, invoice } = await onCustomerTime(base, id);
  refuseUnless(invoice, ['draft'], 'finalize');
  if (params.auto_advance !== undefined) invoice.auto_advance = params.auto_advance;
  await finalizeInvoice(ctx, invoice);
  const sub = invoiceSubscription(invoice);
  if (sub && invoice.status === 'paid') await afterPayment(ctx, sub, invoice, { outcome: 'paid' });
  return invoice;
}

/**
 * `POST /v1/invoices/:id/pay`: charges now (with `payment_method`, or the invoice's, its
 * subscription's or the customer's default), or records payment made elsewhere
 * (`paid_out_of_band`). A draft is finalized first. A decline answers 402, as Stripe does, and
 * the invoice keeps the failed attempt.
 */
export async function payInvoice(
  base: Ctx,
  id: string,
  params: PayInvoiceParams,
): Promise<Stripe.Invoice | AppError> {
  const { ctx, invoice } = await onCustomerTime(base, id);
  refuseUnless(invoice, ['draft', 'open', 'uncollectible'], 'pay');
  if (invoice.status === 'draft') await finalizeInvoice(ctx, invoice);
  const subId = invoiceSubscription(invoice);
  if (invoice.status === 'paid') {
    if (subId) await afterPayment(ctx, subId, invoice, { outcome: 'paid' });
    return invoice;
  }
  if (params.paid_out_of_band) {
    if (params.payment_method !== undefined)
      throw errors.parametersExclusive('paid_out_of_band', 'payment_method');
    await markPaid(ctx, invoice, invoice.amount_remaining);
    if (subId) await afterPayment(ctx, subId, invoice, { outcome: 'paid' });
    return invoice;
  }
  const customer = await requireCustomer(ctx, String(invoice.customer));
  const sub = subId
    ? ((await findObject<Stripe.Subscription>(ctx.db, 'subscriptions', ctx.scope, subId)) ?? null)
    : null;
  const paymentMethod = params.payment_method
    ? (await resolvePaymentMethod(ctx, params.payment_method, 'payment_method')).object.id
    : paymentMethodFor(invoice, sub, customer);
  if (!paymentMethod) {
    throw fail('customer_no_payment_method', {});
  }
  const outcome = await attemptPayment(ctx, invoice, {
    paymentMethod,
    offSession: params.off_session ?? false,
  });
  if (subId) await afterPayment(ctx, subId, invoice, outcome);
  // Returned, not thrown: the failed attempt stays recorded on the invoice, and 402 is the answer.
  if (outcome.outcome !== 'paid') return paymentError(outcome);
  return invoice;
}

export async function voidOpenInvoice(base: Ctx, id: string): Promise<Stripe.Invoice> {
  const { ctx, invoice } = await onCustomerTime(base, id);
  refuseUnless(invoice, ['open', 'uncollectible'], 'void');
  return voidInvoice(ctx, invoice);
}

export async function markOpenUncollectible(base: Ctx, id: string): Promise<Stripe.Invoice> {
  const { ctx, invoice } = await onCustomerTime(base, id);
  refuseUnless(invoice, ['open'], 'mark uncollectible');
  return markUncollectible(ctx, invoice);
}

const SEARCH_FIELDS: Record<string, SearchField> = {
  created: { kind: 'number', column: 'created' },
  currency: { kind: 'text', json: 'currency' },
  customer: { kind: 'text', column: 'customer' },
  metadata: { kind: 'metadata' },
  number: { kind: 'text', json: 'number' },
  status: { kind: 'text', column: 'status' },
  subscription: { kind: 'text', column: 'subscription' },
};

/** `/v1/invoices/search`: created, currency, customer, metadata, number, status, subscription. */
export async function searchInvoices(
  ctx: Ctx,
  params: SearchInvoiceParams,
): Promise<SearchResult<Stripe.Invoice>> {
  const page = await searchObjects<Stripe.Invoice>(
    ctx.db,
    'invoices',
    ctx.scope,
    SEARCH_FIELDS,
    parseSearchQuery(params.query),
    {
      limit: params.limit ?? 10,
      page: params.page,
      totalCount: params.expand?.includes('total_count') ?? false,
      where: { deleted: 0 },
    },
  );
  return searchResult(page, '/v1/invoices/search');
}
