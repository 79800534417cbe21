import type Stripe from 'stripe';
import { currentAccount } from '../../accounts/service.ts';
import type { Ctx } from '../../core/context.ts';
import { errors, fail, mapParam } from '../../core/errors.ts';
import { randomBase62 } from '../../core/ids.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { requireCustomer } from '../customers/service.ts';
import { previewDiscounts } from '../discounts/redeem.ts';
import { priceItem } from '../invoice-items/pricing.ts';
import { itemLine, pendingItems, requireInvoiceItem } from '../invoice-items/store.ts';
import type { InvoiceDiscount } from '../math/discounts.ts';
import { requireSubscription } from '../subscriptions/store.ts';
import { ctxAt, ctxForCustomer } from '../subscriptions/time.ts';
import { applicableTaxRates } from '../tax-rates/service.ts';
import { pendingWithinCap } from './amount-cap.ts';
import { refuseAccountsV2 } from './create.ts';
import { discountsById } from './discounts.ts';
import { buildInvoice, FINALIZE_DELAY_SECONDS } from './draft.ts';
import type { LineInput } from './lines.ts';
import type { PreviewInvoiceParams } from './params.ts';
import { noUpcomingInvoice, previewSubscription } from './preview-subscription.ts';

type PreviewItem = NonNullable<PreviewInvoiceParams['invoice_items']>[number];
type Line = { line: LineInput; discounts: InvoiceDiscount[] };

const idOf = (v: unknown) =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : (v as { id: string }).id;
/** Ids of what a preview shows but nothing stores. */
const tmpId = (prefix: string) => `${prefix}_tmp_${randomBase62(24)}`;

/** Prices an `invoice_items[]` entry, naming its params as the preview's (`invoice_items[0][price]`). */
async function pricePreviewItem(ctx: Ctx, entry: PreviewItem, path: string, current?: Stripe.InvoiceItem) {
  if (entry.unit_amount !== undefined && entry.unit_amount_decimal !== undefined) {
    throw errors.parametersExclusive(`${path}[unit_amount]`, `${path}[unit_amount_decimal]`);
  }
  try {
    return await priceItem(
      ctx,
      {
        amount: entry.amount,
        unit_amount_decimal:
          entry.unit_amount_decimal ??
          (entry.unit_amount === undefined ? undefined : String(entry.unit_amount)),
        pricing: entry.price === undefined ? undefined : { price: entry.price },
        price_data: entry.price_data,
        quantity: entry.quantity,
        currency: entry.currency,
      },
      { prefix: path, write: false, current },
    );
  } catch (error) {
    mapParam(error, (param) => param.replace('[pricing][price]', '[price]'));
    throw error;
  }
}

/**
 * `invoice_items[]`: new items for the preview, or (`invoiceitem`) changes to one of the
 * customer's pending items, which then shows changed in place of the stored one.
 */
async function previewItems(
  ctx: Ctx,
  entries: PreviewItem[],
  pending: Line[],
  target: { customer: string; currency: string; at: number },
): Promise<Line[]> {
  const added: Line[] = [];
  for (const [i, entry] of entries.entries()) {
    const path = `invoice_items[${i}]`;
    let current: Stripe.InvoiceItem | undefined;
    if (entry.invoiceitem !== undefined) {
      current = await requireInvoiceItem(ctx, entry.invoiceitem, `${path}[invoiceitem]`);
      if (idOf(current.customer) !== target.customer || current.invoice !== null) {
        throw fail('preview_invoice_item_not_pending', { item: current.id }, `${path}[invoiceitem]`);
      }
    }
    const repriced = ['amount', 'unit_amount', 'unit_amount_decimal', 'price', 'price_data', 'quantity'].some(
      (k) => entry[k as keyof PreviewItem] !== undefined,
    );
    const priced =
      current && !repriced
        ? {
            amount: current.amount,
            currency: current.currency,
            quantity: current.quantity,
            pricing: current.pricing,
          }
        : await pricePreviewItem(ctx, entry, path, current);
    if (priced.currency !== target.currency) {
      throw fail(
        'invoice_item_currency_mismatch',
        { currency: priced.currency, invoiceCurrency: target.currency },
        `${path}[currency]`,
      );
    }
    if (entry.period && entry.period.end < entry.period.start) {
      throw fail('period_end_before_start', {}, `${path}[period][end]`);
    }
    const base = current ? itemLine(current) : undefined;
    const line: LineInput = {
      id: tmpId('il'),
      amount: priced.amount,
      description: entry.description ?? base?.description ?? '',
      period: entry.period ?? base?.period ?? { start: target.at, end: target.at },
      quantity: priced.quantity,
      pricing: priced.pricing,
      discountable: entry.discountable ?? base?.discountable ?? priced.amount >= 0,
      proration: base?.proration ?? false,
      subscription: base?.subscription ?? null,
      subscriptionItem: base?.subscriptionItem,
      invoiceItem: current?.id ?? tmpId('ii'),
      metadata: mergeMetadata(base?.metadata ?? {}, entry.metadata),
      taxRates:
        entry.tax_rates === undefined
          ? (base?.taxRates ?? [])
          : entry.tax_rates
            ? await applicableTaxRates(ctx, entry.tax_rates, `${path}[tax_rates]`, base?.taxRates ?? [])
            : [],
    };
    const discounts =
      entry.discounts === undefined
        ? current
          ? await discountsById(ctx, base?.discounts ?? [])
          : []
        : entry.discounts === null
          ? []
          : await previewDiscounts(
              ctx,
              entry.discounts,
              {
                customer: target.customer,
                currency: target.currency,
                amount: priced.amount,
                existing: base?.discounts ?? [],
              },
              `${path}[discounts]`,
            );
    line.discounts = discounts.map((d) => d.id);
    const replaced = current ? pending.findIndex((p) => p.line.invoiceItem === current.id) : -1;
    if (replaced >= 0) pending[replaced] = { line, discounts };
    else added.push({ line, discounts });
  }
  return added;
}

async function oneOffCurrency(ctx: Ctx, params: PreviewInvoiceParams, customer: Stripe.Customer) {
  if (params.currency !== undefined) return params.currency;
  const [oldest] = await pendingItems(ctx, customer.id, null);
  return oldest?.currency ?? customer.currency ?? (await currentAccount(ctx)).default_currency ?? 'usd';
}

/**
 * `POST /v1/invoices/create_preview`: the invoice the customer would get next, computed and never
 * stored (id `upcoming_in_…`, `billing_reason: upcoming`, status `draft`, no number). With a
 * subscription, its next invoice (see `previewSubscription`); without, a one-off invoice of the
 * customer's pending items. `invoice_items` and `discounts` are applied to the preview only.
 */
export async function previewInvoice(
  base: Ctx,
  params: PreviewInvoiceParams,
  /** Objects the caller has just read (the portal's homepage previews each subscription it lists). */
  known: { subscription?: Stripe.Subscription; customer?: Stripe.Customer } = {},
): Promise<Stripe.Invoice> {
  refuseAccountsV2(params.customer_account);
  const sub = params.subscription
    ? known.subscription?.id === params.subscription
      ? known.subscription
      : await requireSubscription(base, params.subscription, 'subscription')
    : null;
  if (!sub && params.subscription_details !== undefined) {
    throw fail('preview_new_subscription_unsupported', {}, 'subscription_details');
  }
  const customerId = params.customer ?? (sub ? String(idOf(sub.customer)) : undefined);
  if (customerId === undefined) throw errors.parameterMissing('customer');
  if (sub && idOf(sub.customer) !== customerId) {
    throw fail('preview_subscription_other_customer', { subscription: sub.id }, 'subscription');
  }
  const customer =
    known.customer?.id === customerId ? known.customer : await requireCustomer(base, customerId, 'customer');
  const ctx = await ctxForCustomer(base, customer);
  const now = ctx.clock.now();
  if (sub && params.currency !== undefined && params.currency !== sub.currency) {
    throw fail(
      'preview_currency_mismatch',
      { subscriptionCurrency: sub.currency, currency: params.currency },
      'currency',
    );
  }
  const plan = sub ? await previewSubscription(ctx, sub, params.subscription_details ?? {}) : null;
  const currency = sub ? sub.currency : await oneOffCurrency(ctx, params, customer);
  const at = plan?.at ?? now;
  const found = await pendingItems(ctx, customer.id, sub?.id ?? null, currency);
  // The renewal's preview shows what the renewal will bill: the items that fit (amount-cap.ts).
  const stored = plan?.renewal
    ? pendingWithinCap(
        plan.periodLines.reduce((sum, l) => sum + l.amount, 0),
        found,
      )
    : found;
  const pending: Line[] = [];
  for (const item of stored) {
    const line = { ...itemLine(item), id: tmpId('il') };
    pending.push({ line, discounts: await discountsById(ctx, line.discounts ?? []) });
  }
  const extra = await previewItems(ctx, params.invoice_items ?? [], pending, {
    customer: customer.id,
    currency,
    at,
  });
  const lines: Line[] = [
    ...(plan?.periodLines ?? []).map((line) => ({ line: { ...line, id: tmpId('il') }, discounts: [] })),
    ...pending,
    ...(plan?.prorations ?? []).map((line) => ({ line: { ...line, id: tmpId('il') }, discounts: [] })),
    ...extra,
  ];
  if (lines.length === 0) throw noUpcomingInvoice(customer.id);
  let discounts = plan?.discounts ?? [];
  if (params.discounts !== undefined) {
    discounts = params.discounts
      ? await previewDiscounts(
          ctx,
          params.discounts,
          {
            customer: customer.id,
            currency,
            amount: lines.reduce((sum, l) => sum + l.line.amount, 0),
            existing: (sub?.discounts ?? []).map((d) => String(idOf(d))),
          },
          'discounts',
        )
      : [];
  }
  const renewal = plan?.renewal ?? false;
  const invoice = buildInvoice(ctxAt(ctx, at), {
    id: `upcoming_in_${randomBase62(24)}`,
    customer,
    currency,
    billingReason: 'upcoming',
    lines: lines.map((l) => l.line),
    lineDiscounts: lines.map((l) => l.discounts),
    subscription: sub ?? undefined,
    collectionMethod: sub?.collection_method ?? 'charge_automatically',
    daysUntilDue: sub?.days_until_due ?? null,
    defaultPaymentMethod: null,
    discounts,
    defaultTaxRates: plan?.sub.default_tax_rates ?? [],
    period: plan?.period ?? { start: now, end: now },
    autoAdvance: renewal,
  });
  invoice.next_payment_attempt =
    renewal && invoice.collection_method === 'charge_automatically' && invoice.amount_due > 0
      ? at + FINALIZE_DELAY_SECONDS
      : null;
  return invoice;
}
