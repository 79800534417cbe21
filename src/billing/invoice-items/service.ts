import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { wireDecimal } from '../../core/decimal.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { type Filter, listObjectTexts } from '../../store/objects.ts';
import { requireCustomer } from '../customers/service.ts';
import { type DiscountEntry, redeemDiscounts } from '../discounts/redeem.ts';
import { refuseAccountsV2 } from '../invoices/create.ts';
import { syncItemLine } from '../invoices/refresh.ts';
import { requireInvoice } from '../invoices/store.ts';
import { requireSubscription } from '../subscriptions/store.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { applicableTaxRates } from '../tax-rates/service.ts';
import type { CreateInvoiceItemParams, ListInvoiceItemParams, UpdateInvoiceItemParams } from './params.ts';
import { priceItem } from './pricing.ts';
import {
  insertInvoiceItem,
  markItemDeleted,
  newInvoiceItem,
  requireInvoiceItem,
  saveInvoiceItem,
} from './store.ts';

type InvoiceItem = Stripe.InvoiceItem;

const idOf = (v: unknown) =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : (v as { id: string }).id;

/** The draft an item is added to: of the same customer, in the same currency, still a draft. */
async function targetDraft(
  ctx: Ctx,
  id: string,
  customer: string,
  currency: string,
): Promise<Stripe.Invoice> {
  const invoice = await requireInvoice(ctx, id, 'invoice');
  if (invoice.status !== 'draft') {
    throw fail('invoice_item_invoice_not_draft', { invoice: id, status: invoice.status }, 'invoice');
  }
  if (idOf(invoice.customer) !== customer) {
    throw fail('invoice_item_invoice_other_customer', { invoice: id, customer }, 'invoice');
  }
  if (invoice.currency !== currency) {
    throw fail('invoice_item_currency_mismatch', { currency, invoiceCurrency: invoice.currency }, 'currency');
  }
  return invoice;
}

/** The subscription an item is for: the customer's, not ended, in the same currency. */
async function targetSubscription(
  ctx: Ctx,
  id: string,
  customer: string,
  currency: string,
): Promise<Stripe.Subscription> {
  const sub = await requireSubscription(ctx, id, 'subscription');
  if (idOf(sub.customer) !== customer) {
    throw fail('invoice_item_subscription_other_customer', { subscription: id, customer }, 'subscription');
  }
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw fail('invoice_item_subscription_ended', { subscription: id }, 'subscription');
  }
  if (sub.currency !== currency) {
    throw fail(
      'invoice_item_subscription_currency_mismatch',
      { currency, subscriptionCurrency: sub.currency },
      'currency',
    );
  }
  return sub;
}

function checkPeriod(period: { start: number; end: number } | undefined): void {
  if (period && period.end < period.start) {
    throw fail('period_end_before_start', {}, 'period[end]');
  }
}

async function itemDiscounts(
  ctx: Ctx,
  entries: DiscountEntry[] | null | undefined,
  target: { customer: string; currency: string; amount: number; existing: string[] },
  itemId: string,
): Promise<string[] | undefined> {
  if (entries === undefined) return undefined;
  if (entries === null) return [];
  const found = await redeemDiscounts(
    ctx,
    entries,
    target,
    { invoice: null, invoiceItem: itemId },
    'discounts',
  );
  return found.map((d) => d.id);
}

/**
 * `POST /v1/invoiceitems`: a pending item for the customer's next invoice (of `subscription`, or
 * a one-off one that includes pending items), or, with `invoice`, a line of that draft at once.
 */
export async function createInvoiceItem(base: Ctx, params: CreateInvoiceItemParams): Promise<InvoiceItem> {
  refuseAccountsV2(params.customer_account);
  if (params.customer === undefined) throw errors.parameterMissing('customer');
  const customer = await requireCustomer(base, params.customer, 'customer');
  const ctx = await ctxForCustomer(base, customer);
  checkPeriod(params.period);
  const priced = await priceItem(ctx, params, { prefix: '', write: true });
  const invoice = params.invoice
    ? await targetDraft(ctx, params.invoice, customer.id, priced.currency)
    : null;
  const invoiceSub = invoice?.parent?.subscription_details?.subscription ?? null;
  if (invoice && params.subscription !== undefined && params.subscription !== idOf(invoiceSub)) {
    throw fail(
      'invoice_item_subscription_not_billed',
      { invoice: invoice.id, subscription: params.subscription },
      'subscription',
    );
  }
  const subscription =
    params.subscription !== undefined
      ? (await targetSubscription(ctx, params.subscription, customer.id, priced.currency)).id
      : idOf(invoiceSub);
  const id = newId('ii');
  const now = ctx.clock.now();
  const discounts = await itemDiscounts(
    ctx,
    params.discounts,
    { customer: customer.id, currency: priced.currency, amount: priced.amount, existing: [] },
    id,
  );
  const taxRates = params.tax_rates ? await applicableTaxRates(ctx, params.tax_rates, 'tax_rates') : [];
  const item = newInvoiceItem(ctx, {
    id,
    taxRates,
    customer,
    currency: priced.currency,
    amount: priced.amount,
    quantity: priced.quantity,
    pricing: priced.pricing,
    description: params.description ?? null,
    period: params.period ?? { start: now, end: now },
    proration: false,
    // Stripe: discounts apply to an item unless it is negative (a credit), or told otherwise.
    discountable: params.discountable ?? priced.amount >= 0,
    subscription,
    metadata: mergeMetadata({}, params.metadata),
    invoice: invoice?.id ?? null,
    discounts,
  });
  await insertInvoiceItem(ctx, item);
  if (invoice) await syncItemLine(ctx, invoice, item.id, item);
  return item;
}

export function retrieveInvoiceItem(ctx: Ctx, id: string): Promise<InvoiceItem> {
  return requireInvoiceItem(ctx, id);
}

/** An item can change only while it is pending or on a draft; returns that draft, if any. */
async function editableDraft(ctx: Ctx, item: InvoiceItem, action: string): Promise<Stripe.Invoice | null> {
  const invoiceId = idOf(item.invoice);
  if (invoiceId === null) return null;
  const invoice = await requireInvoice(ctx, invoiceId);
  if (invoice.status !== 'draft') {
    throw fail('invoice_item_locked', { item: item.id, invoice: invoiceId, status: invoice.status, action });
  }
  return invoice;
}

async function onCustomerTime(base: Ctx, item: InvoiceItem): Promise<Ctx> {
  const customer = await requireCustomer(base, String(idOf(item.customer)));
  return ctxForCustomer(base, customer);
}

export async function updateInvoiceItem(
  base: Ctx,
  id: string,
  params: UpdateInvoiceItemParams,
): Promise<InvoiceItem> {
  const current = await requireInvoiceItem(base, id);
  const ctx = await onCustomerTime(base, current);
  const invoice = await editableDraft(ctx, current, 'updated');
  checkPeriod(params.period);
  const item = structuredClone(current);
  if (current.proration) {
    const repriced = (['quantity', 'unit_amount_decimal', 'pricing', 'price_data'] as const).find(
      (k) => params[k] !== undefined,
    );
    if (repriced) {
      throw fail('invoice_item_proration_repriced', {}, repriced);
    }
    if (params.discountable === true) throw fail('invoice_item_proration_discountable', {}, 'discountable');
  }
  const repricing = (['amount', 'quantity', 'unit_amount_decimal', 'pricing', 'price_data'] as const).some(
    (k) => params[k] !== undefined,
  );
  if (repricing) {
    const priced = await priceItem(ctx, params, { prefix: '', write: true, current });
    item.amount = priced.amount;
    item.quantity = priced.quantity;
    item.quantity_decimal = wireDecimal(String(priced.quantity));
    item.pricing = priced.pricing;
    if (current.proration) item.pricing = current.pricing;
  }
  if (params.description !== undefined) item.description = params.description;
  if (params.discountable !== undefined) item.discountable = params.discountable;
  if (params.period !== undefined) item.period = params.period;
  if (params.tax_rates !== undefined) {
    item.tax_rates = params.tax_rates
      ? await applicableTaxRates(ctx, params.tax_rates, 'tax_rates', current.tax_rates ?? [])
      : [];
  }
  item.metadata = mergeMetadata(item.metadata ?? {}, params.metadata);
  const existing = (current.discounts ?? []).map((d) => String(idOf(d)));
  const discounts = await itemDiscounts(
    ctx,
    params.discounts,
    { customer: String(idOf(item.customer)), currency: item.currency, amount: item.amount, existing },
    item.id,
  );
  if (discounts !== undefined) item.discounts = discounts;
  await saveInvoiceItem(ctx, item);
  if (invoice) await syncItemLine(ctx, invoice, item.id, item);
  return item;
}

export async function deleteInvoiceItem(base: Ctx, id: string): Promise<Stripe.DeletedInvoiceItem> {
  const item = await requireInvoiceItem(base, id);
  const ctx = await onCustomerTime(base, item);
  const invoice = await editableDraft(ctx, item, 'deleted');
  const gone = await markItemDeleted(ctx, id);
  await emitEvent(ctx, 'invoiceitem.deleted', item);
  if (invoice) await syncItemLine(ctx, invoice, id, null);
  return gone;
}

export async function listInvoiceItems(
  ctx: Ctx,
  params: ListInvoiceItemParams,
): Promise<JsonText<ListObject<InvoiceItem>>> {
  refuseAccountsV2(params.customer_account);
  const where: Record<string, Filter> = { deleted: 0 };
  if (params.customer !== undefined) where.customer = params.customer;
  if (params.invoice !== undefined) {
    // An item on an invoice is not pending: asking for both finds nothing.
    if (params.pending === true)
      return listJson<InvoiceItem>({ data: [], hasMore: false }, '/v1/invoiceitems');
    where.invoice = params.invoice;
  } else if (params.pending !== undefined) {
    where.invoice = params.pending ? null : { prefix: 'in_' };
  }
  const page = await listObjectTexts(ctx.db, 'invoice_items', ctx.scope, pageQuery(params), where);
  return listJson<InvoiceItem>(page, '/v1/invoiceitems');
}
