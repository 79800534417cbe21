import { createHash, timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { currentAccount, findConnected } from '../../../accounts/service.ts';
import type { Ctx } from '../../../core/context.ts';
import { AppError, fail } from '../../../core/errors.ts';
import { type Actor, actorFor } from '../../../operations/context.ts';
import type { Operations } from '../../../operations/runner.ts';
import { findObject, listObjects } from '../../../store/objects.ts';
import { requireCustomer } from '../../customers/service.ts';
import { answerPaymentAuthentication, waitingIntent } from '../../invoices/authenticate.ts';
import { payInvoice } from '../../invoices/service.ts';
import { requireInvoice } from '../../invoices/store.ts';
import { attachPaymentMethod, createPaymentMethod } from '../../payment-methods/service.ts';
import { paymentError } from '../../subscriptions/payment.ts';
import { ctxForCustomer } from '../../subscriptions/time.ts';
import { ownedBy, type PortalScope } from './overview.ts';

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

const LISTED: Stripe.Invoice.Status[] = ['open', 'paid', 'uncollectible', 'void'];

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** The secret part of an invoice's `hosted_invoice_url` (`…/i/<invoice id>/<secret>`), if it has one. */
export function hostedInvoiceSecret(invoice: Stripe.Invoice): string | null {
  if (!invoice.hosted_invoice_url) return null;
  const parts = new URL(invoice.hosted_invoice_url).pathname.split('/');
  return parts[1] === 'i' && parts[2] === invoice.id && parts[3] ? parts[3] : null;
}

/** An invoice reached by its hosted URL, and whom work on it acts for (its own account and mode). */
export interface HostedInvoice {
  invoice: Stripe.Invoice;
  actor: Actor;
}

/**
 * The invoice a hosted invoice URL names. Invoice ids are unique across accounts and modes, so the
 * URL carries no account: the row is found by id alone, then the presented secret is compared with
 * the one in its stored URL in constant time (the digests of both, so lengths never differ). A
 * draft, deleted or unknown invoice, or a wrong secret, are the same answer: undefined.
 */
export async function findHostedInvoice(
  ops: Operations,
  id: string,
  secret: string,
): Promise<HostedInvoice | undefined> {
  const db = ops.store.read;
  const row = id.includes('\u0000')
    ? undefined
    : await db
        .selectFrom('invoices')
        .select(['account_id', 'livemode', 'data', 'deleted'])
        .where('id', '=', id)
        .executeTakeFirst();
  const invoice = row ? (JSON.parse(row.data) as Stripe.Invoice) : undefined;
  const stored = (invoice && hostedInvoiceSecret(invoice)) ?? '';
  const matches = timingSafeEqual(sha256(stored), sha256(secret)) && stored !== '';
  if (!row || !invoice || !matches || row.deleted || invoice.status === 'draft') return undefined;
  const actor = await actorFor(db, { accountId: row.account_id, livemode: row.livemode === 1 });
  return { invoice, actor };
}

/** Whom the invoice's page speaks for: `on_behalf_of`'s account when set, else the invoice's own. */
export async function invoiceBusiness(ctx: Ctx, invoice: Stripe.Invoice): Promise<Stripe.Account> {
  const onBehalfOf = idOf(invoice.on_behalf_of as string | null);
  const connected = onBehalfOf
    ? await findConnected(
        ctx.db,
        { accountId: ctx.platformAccount, livemode: ctx.scope.livemode },
        onBehalfOf,
      )
    : undefined;
  return connected ?? currentAccount(ctx);
}

/** The customer of an invoice as it is now (its language, its saved cards), or undefined when deleted. */
export async function invoiceCustomer(
  ctx: Ctx,
  invoice: Stripe.Invoice,
): Promise<Stripe.Customer | undefined> {
  const id = idOf(invoice.customer as string | null);
  if (!id) return undefined;
  const found = await findObject<Stripe.Customer & { deleted?: true }>(ctx.db, 'customers', ctx.scope, id);
  return found && !found.deleted ? found : undefined;
}

/** The customer's saved cards, newest first: what the pay form offers. */
export async function customerCards(ctx: Ctx, customerId: string): Promise<Stripe.PaymentMethod[]> {
  const page = await listObjects<Stripe.PaymentMethod>(
    ctx.db,
    'payment_methods',
    ctx.scope,
    { limit: 100 },
    { customer: customerId, type: 'card' },
  );
  return page.data;
}

/** The invoice's discounts with the names their coupons give them, in the invoice's order. */
export async function invoiceDiscounts(
  ctx: Ctx,
  invoice: Stripe.Invoice,
): Promise<{ name: string | null; amount: number }[]> {
  const out: { name: string | null; amount: number }[] = [];
  for (const entry of invoice.total_discount_amounts ?? []) {
    const id = idOf(entry.discount as string | { id: string });
    const discount = id ? await findObject<Stripe.Discount>(ctx.db, 'discounts', ctx.scope, id) : undefined;
    const coupon =
      (discount as { coupon?: Stripe.Coupon; source?: { coupon?: Stripe.Coupon | string } })?.coupon ??
      (discount?.source as { coupon?: Stripe.Coupon | string } | undefined)?.coupon;
    const name = coupon && typeof coupon === 'object' ? (coupon.name ?? coupon.id) : null;
    out.push({ name, amount: entry.amount });
  }
  return out;
}

/** An invoice's taxes by rate, named as its tax rates are now, for the hosted page and PDF. */
export function invoiceTaxes(ctx: Ctx, invoice: Stripe.Invoice): Promise<HostedTax[]> {
  return hostedTaxes(ctx, invoice.total_taxes ?? []);
}

/** Taxes by rate (an invoice's or a credit note's `total_taxes`), named as their rates are now. */
export async function hostedTaxes(
  ctx: Ctx,
  taxes: readonly (Stripe.Invoice.TotalTax | Stripe.CreditNote.TotalTax)[],
): Promise<HostedTax[]> {
  const out: HostedTax[] = [];
  for (const tax of taxes) {
    const id = tax.tax_rate_details?.tax_rate;
    const rate = id ? await findObject<Stripe.TaxRate>(ctx.db, 'tax_rates', ctx.scope, id) : undefined;
    out.push({
      name: rate?.display_name ?? null,
      percentage: rate?.percentage ?? null,
      inclusive: tax.tax_behavior === 'inclusive',
      amount: tax.amount,
    });
  }
  return out;
}

export interface HostedTax {
  name: string | null;
  percentage: number | null;
  inclusive: boolean;
  amount: number;
}

/** Whether an invoice can be paid from its hosted page: open, with something left to pay. */
export function isPayable(invoice: Stripe.Invoice): boolean {
  return invoice.status === 'open' && invoice.amount_remaining > 0;
}

/** How the customer pays on the hosted page: one of their saved cards, or a new one. */
export type HostedPayment =
  | { paymentMethod: string }
  | {
      card: { number: string; exp_month: number; exp_year: number; cvc?: string };
      postalCode?: string;
    };

/**
 * What paying on the hosted page came to: paid; waiting for the cardholder's 3D Secure answer; or
 * declined, with the failed attempt recorded on the invoice as the engine records any (its
 * PaymentIntent's `last_payment_error`, a failed charge, `invoice.payment_failed`), so the caller
 * commits and shows the refusal.
 */
export type HostedPayResult =
  | { status: 'paid' }
  | { status: 'requires_action' }
  | { status: 'declined'; error: AppError };

/**
 * Pays an open invoice from its hosted page, through the engine's `payInvoice` as
 * `invoices.pay` does on session (so a past-due subscription whose invoice this is becomes active
 * again). A card typed on the page is charged as it is and saved to the invoice's customer once it
 * has paid; a declined one is not saved. Input that cannot be charged at all (an invoice no
 * longer open, a card of someone else, an unreadable number) is thrown and changes nothing.
 */
export async function payHostedInvoice(
  base: Ctx,
  invoiceId: string,
  payment: HostedPayment,
): Promise<HostedPayResult> {
  const invoice = await requireInvoice(base, invoiceId);
  if (!isPayable(invoice)) {
    throw fail('invoice_status_forbids', { action: 'pay', allowed: ['open'], status: invoice.status });
  }
  const customer = await requireCustomer(base, String(idOf(invoice.customer as string)));
  // A typed card is made at the customer's time (a test clock's), as the payment is.
  const ctx = await ctxForCustomer(base, customer);
  let paymentMethod: string;
  if ('paymentMethod' in payment) {
    const pm = await findObject<Stripe.PaymentMethod>(
      ctx.db,
      'payment_methods',
      ctx.scope,
      payment.paymentMethod,
    );
    if (!pm || idOf(pm.customer as string | null) !== customer.id) {
      throw fail(
        'customer_payment_method_not_found',
        { customer: customer.id, paymentMethod: payment.paymentMethod },
        'payment_method',
      );
    }
    paymentMethod = pm.id;
  } else {
    const created = await createPaymentMethod(ctx, {
      type: 'card',
      card: payment.card,
      ...(payment.postalCode ? { billing_details: { address: { postal_code: payment.postalCode } } } : {}),
    });
    paymentMethod = created.id;
  }
  const result = await payInvoice(ctx, invoiceId, { payment_method: paymentMethod, off_session: false });
  if (result instanceof AppError) {
    return result.code === 'subscription_payment_requires_action'
      ? { status: 'requires_action' }
      : { status: 'declined', error: result };
  }
  await keepTypedCard(ctx, paymentMethod, customer.id);
  return { status: 'paid' };
}

/** A card typed on the page that has paid is saved to the customer (`payment_method.attached`). */
async function keepTypedCard(ctx: Ctx, paymentMethod: string, customer: string): Promise<void> {
  const stored = await findObject<Stripe.PaymentMethod>(ctx.db, 'payment_methods', ctx.scope, paymentMethod);
  if (stored && stored.customer === null) await attachPaymentMethod(ctx, paymentMethod, { customer });
}

/** The 3D Secure challenge of a payment begun on the hosted page: the amount and the card. */
export async function hostedChallenge(
  ctx: Ctx,
  invoice: Stripe.Invoice,
): Promise<{ paymentIntent: Stripe.PaymentIntent; paymentMethod: Stripe.PaymentMethod } | null> {
  const paymentIntent = await waitingIntent(ctx, invoice);
  const id = paymentIntent && idOf(paymentIntent.payment_method as string | null);
  const paymentMethod = id
    ? await findObject<Stripe.PaymentMethod>(ctx.db, 'payment_methods', ctx.scope, id)
    : undefined;
  return paymentIntent && paymentMethod ? { paymentIntent, paymentMethod } : null;
}

/**
 * The cardholder's answer to the challenge of a hosted payment: paid (a typed card then saved to
 * the customer), declined or failed authentication (recorded, the caller commits), or null when
 * no challenge waits (already answered in another tab).
 */
export async function answerHostedChallenge(
  ctx: Ctx,
  invoiceId: string,
  answer: 'succeed' | 'fail',
): Promise<HostedPayResult | null> {
  const answered = await answerPaymentAuthentication(ctx, invoiceId, answer);
  if (!answered) return null;
  const { outcome, invoice } = answered;
  if (outcome.outcome === 'paid') {
    await keepTypedCard(ctx, answered.paymentMethod.id, String(idOf(invoice.customer as string)));
    return { status: 'paid' };
  }
  if (outcome.outcome === 'requires_action') return { status: 'requires_action' };
  return {
    status: 'declined',
    error: outcome.decline ? paymentError(outcome) : fail('payment_intent_authentication_failure', {}),
  };
}

/** The portal's invoice list, one page of it, with whether newer and older pages exist. */
export async function portalInvoicePage(
  ctx: Ctx,
  portal: PortalScope,
  page: { limit: number; startingAfter?: string; endingBefore?: string },
): Promise<{ data: Stripe.Invoice[]; hasNewer: boolean; hasOlder: boolean }> {
  const owned = ownedBy(portal);
  const where = { customer: portal.customer.id, deleted: 0, status: { in: LISTED } };
  const backwards = page.endingBefore !== undefined;
  const found: Stripe.Invoice[] = [];
  let cursor = backwards ? page.endingBefore : page.startingAfter;
  // With on_behalf_of some rows are skipped; read on until the page is full.
  for (;;) {
    const batch = await listObjects<Stripe.Invoice>(
      ctx.db,
      'invoices',
      ctx.scope,
      backwards ? { limit: page.limit, endingBefore: cursor } : { limit: page.limit, startingAfter: cursor },
      where,
    );
    // Going back, the rows nearest the cursor are the batch's last (it is newest first).
    const rows = backwards ? [...batch.data].reverse() : batch.data;
    for (const invoice of rows) {
      if (!owned(invoice)) continue;
      found.push(invoice);
      if (found.length === page.limit) {
        const more = invoice !== rows.at(-1) || batch.hasMore;
        return backwards
          ? { data: found.reverse(), hasNewer: more, hasOlder: true }
          : { data: found, hasNewer: page.startingAfter !== undefined, hasOlder: more };
      }
    }
    if (!batch.hasMore || rows.length === 0) {
      // Back at the newest invoices with a short page: the first page is the one to show.
      if (backwards) return portalInvoicePage(ctx, portal, { limit: page.limit });
      return { data: found, hasNewer: page.startingAfter !== undefined, hasOlder: false };
    }
    cursor = rows.at(-1)!.id;
  }
}
