import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { findObject } from '../../store/objects.ts';
import { mailPaymentFailed } from '../customer-emails/mails.ts';
import { requireCustomer } from '../customers/service.ts';
import { attemptPayment, type PaymentOutcome } from '../invoices/collect.ts';
import { createDraft } from '../invoices/draft.ts';
import { finalizeInvoice } from '../invoices/finalize.ts';
import { type LineInput, pricingOf } from '../invoices/lines.ts';
import { priceAmount } from '../math/price-amount.ts';
import { activeDiscounts, applicable, pruneDiscounts } from './discounts.ts';
import { afterPayment } from './status.ts';

const idOf = (v: unknown) =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : (v as { id: string }).id;

function productName(price: Stripe.Price, names: Map<string, string>): string {
  const product = typeof price.product === 'string' ? price.product : price.product.id;
  return names.get(product) ?? product;
}

/** `1 × Pro (at $15.00 / month)` in Stripe's words, without the price part Portico cannot localise. */
function cycleDescription(quantity: number, name: string): string {
  return `${quantity} × ${name}`;
}

/** A line per item for a whole period (`trial` lines bill nothing). */
export function periodLines(
  sub: Stripe.Subscription,
  period: { start: number; end: number },
  names: Map<string, string>,
  options: { trial?: boolean } = {},
): LineInput[] {
  return sub.items.data.map((item) => {
    const quantity = item.quantity ?? 1;
    const name = productName(item.price, names);
    return {
      amount: options.trial ? 0 : priceAmount(item.price, quantity),
      description: options.trial ? `Trial period for ${name}` : cycleDescription(quantity, name),
      period,
      quantity,
      pricing: pricingOf(item.price),
      discountable: true,
      proration: false,
      subscription: sub.id,
      subscriptionItem: item.id,
      discounts: options.trial ? [] : item.discounts.map((d) => (typeof d === 'string' ? d : d.id)),
      taxRates: item.tax_rates ?? [],
    };
  });
}

/** Product names for line descriptions. */
export async function productNames(
  ctx: Ctx,
  sub: Stripe.Subscription,
  others: Stripe.Price[] = [],
): Promise<Map<string, string>> {
  const names = new Map<string, string>();
  for (const price of [...sub.items.data.map((item) => item.price), ...others]) {
    const id = typeof price.product === 'string' ? price.product : price.product.id;
    if (names.has(id)) continue;
    const product = await findObject<Stripe.Product>(ctx.db, 'products', ctx.scope, id);
    names.set(id, product?.name ?? id);
  }
  return names;
}

/** The payment method an automatic charge uses: the invoice's, the subscription's, the customer's. */
export function paymentMethodFor(
  invoice: Stripe.Invoice,
  sub: Stripe.Subscription | null,
  customer: Stripe.Customer,
): string | null {
  return (
    idOf(invoice.default_payment_method) ??
    idOf(sub?.default_payment_method ?? null) ??
    idOf(customer.invoice_settings?.default_payment_method ?? null)
  );
}

export interface IssueOptions {
  billingReason: Stripe.Invoice.BillingReason;
  lines: LineInput[];
  period: { start: number; end: number };
  /** Finalize and collect now (creation, always_invoice, invoice_now) rather than in an hour. */
  immediate: boolean;
  /** Try to charge when finalized now (false for `default_incomplete`). */
  collect: boolean;
  offSession: boolean;
}

/**
 * Makes a subscription's invoice with its pending items: a draft the engine finalizes in an hour,
 * or, when `immediate`, finalized and (for automatic collection) charged at once. The outcome of a
 * charge moves the subscription's status. Returns the invoice and the charge's outcome, if any.
 */
export async function issueInvoice(
  ctx: Ctx,
  sub: Stripe.Subscription,
  options: IssueOptions,
): Promise<{ invoice: Stripe.Invoice; outcome: PaymentOutcome | null }> {
  const customer = await requireCustomer(ctx, String(sub.customer));
  const paused = sub.pause_collection?.behavior ?? null;
  // An item's own discounts go on its lines while they still apply to this period.
  const lines = [];
  for (const line of options.lines) {
    const own = line.discounts?.length ? await applicable(ctx, line.discounts, options.period.start) : [];
    lines.push({ ...line, discounts: own.map((d) => d.id) });
  }
  const invoice = await createDraft(ctx, {
    customer,
    currency: sub.currency,
    billingReason: options.billingReason,
    lines,
    includePending: true,
    subscription: sub,
    collectionMethod: sub.collection_method,
    daysUntilDue: sub.days_until_due,
    defaultPaymentMethod: null,
    discounts: await activeDiscounts(ctx, sub, options.period.start),
    defaultTaxRates: sub.default_tax_rates ?? [],
    period: options.period,
    autoAdvance: !options.immediate && paused !== 'keep_as_draft' && sub.status !== 'unpaid',
  });
  sub.latest_invoice = invoice.id;
  // A `once` coupon is spent by the first invoice that bills something; repeating ones run out.
  if (invoice.subtotal > 0) await pruneDiscounts(ctx, sub, options.period.end);
  if (!options.immediate) return { invoice, outcome: null };
  await finalizeInvoice(ctx, invoice);
  let outcome: PaymentOutcome | null = null;
  if (invoice.status === 'open' && sub.collection_method === 'charge_automatically' && options.collect) {
    outcome = await attemptPayment(ctx, invoice, {
      paymentMethod: paymentMethodFor(invoice, sub, customer),
      offSession: options.offSession,
    });
  }
  if (invoice.status === 'paid') outcome = outcome ?? { outcome: 'paid' };
  return { invoice, outcome };
}

/** Finalizes a subscription's draft when its hour is up, and collects it. */
export async function advanceDraft(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  sub: Stripe.Subscription | null,
): Promise<void> {
  await finalizeInvoice(ctx, invoice);
  if (invoice.status !== 'open' || invoice.collection_method !== 'charge_automatically') {
    if (sub && invoice.status === 'paid') await afterPayment(ctx, sub.id, invoice, { outcome: 'paid' });
    return;
  }
  await collect(ctx, invoice, sub);
}

/** An automatic attempt (first or retry) on an open invoice, and its effect on the subscription. */
export async function collect(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  sub: Stripe.Subscription | null,
): Promise<void> {
  const customer = await requireCustomer(ctx, String(invoice.customer));
  const outcome = await attemptPayment(ctx, invoice, {
    paymentMethod: paymentMethodFor(invoice, sub, customer),
    offSession: true,
  });
  if (outcome.outcome === 'failed') await mailPaymentFailed(ctx, invoice, outcome.paymentIntent);
  if (sub) await afterPayment(ctx, sub.id, invoice, outcome);
}
