import { randomInt } from 'node:crypto';
import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { mailBranding } from '../../mail/branding.ts';
import { enqueueMail } from '../../mail/outbox.ts';
import { findObject } from '../../store/objects.ts';
import { issueMailLink, MAIL_LINK_SECONDS } from './links.ts';
import { customerEmailSettings } from './settings.ts';

/**
 * The mails a customer expects from billing, each queued in the transaction of the change that
 * causes it (the mail worker sends it later, so a mail never holds up a request). Invoice mails
 * go to the invoice's `customer_email`, the trial reminder to the customer's `email`; without an
 * address nothing is queued and nothing is refused, as on Stripe. Each speaks the customer's
 * first supported `preferred_locales`, else English.
 */

type Stored = Stripe.Customer | Stripe.DeletedCustomer;

/** The invoice's customer, unless deleted since (its mails then go nowhere). */
async function customerOf(ctx: Ctx, id: string): Promise<Stripe.Customer | undefined> {
  const found = await findObject<Stored>(ctx.db, 'customers', ctx.scope, id);
  return found && !('deleted' in found && found.deleted) ? (found as Stripe.Customer) : undefined;
}

const localeOf = (customer: Stripe.Customer) => ({ preferredLocales: customer.preferred_locales });

/**
 * Mails an invoice sent for payment: its number, amount due, due date, hosted page and PDF. The
 * caller decides whether the account's switch applies (an explicit send always mails).
 */
export async function mailInvoice(ctx: Ctx, invoice: Stripe.Invoice): Promise<void> {
  const to = invoice.customer_email;
  const customer = await customerOf(ctx, String(invoice.customer));
  if (!to || !customer || !invoice.hosted_invoice_url || !invoice.invoice_pdf) return;
  await enqueueMail(ctx, {
    to,
    template: 'invoice',
    args: {
      ...(await mailBranding(ctx)),
      number: invoice.number ?? invoice.id,
      amount: invoice.amount_due,
      currency: invoice.currency,
      dueDate: invoice.due_date,
      hostedUrl: invoice.hosted_invoice_url,
      pdfUrl: invoice.invoice_pdf,
    },
    locale: localeOf(customer),
  });
}

/** Stripe's receipt numbers look like `1234-5678`. */
const newReceiptNumber = () => `${randomInt(1000, 10_000)}-${String(randomInt(0, 10_000)).padStart(4, '0')}`;

/**
 * The receipt number of a payment about to pay an invoice, when the account mails receipts and
 * the invoice has an address; null otherwise (Stripe leaves `receipt_number` empty until a
 * receipt is sent). The caller puts it on the charge and the invoice, then calls `mailReceipt`.
 */
export async function receiptNumberFor(ctx: Ctx, invoice: Stripe.Invoice): Promise<string | null> {
  if (!invoice.customer_email || !invoice.hosted_invoice_url) return null;
  return (await customerEmailSettings(ctx)).successful_payments ? newReceiptNumber() : null;
}

/** Mails the receipt of the payment that paid the invoice (`receipt_number` set by the caller). */
export async function mailReceipt(ctx: Ctx, invoice: Stripe.Invoice, charge: Stripe.Charge): Promise<void> {
  const customer = await customerOf(ctx, String(invoice.customer));
  if (!customer || !invoice.customer_email || !invoice.receipt_number) return;
  await enqueueMail(ctx, {
    to: invoice.customer_email,
    template: 'receipt',
    args: {
      ...(await mailBranding(ctx)),
      number: invoice.number ?? invoice.id,
      receiptNumber: invoice.receipt_number,
      amount: charge.amount,
      currency: charge.currency,
      paidAt: invoice.status_transitions.paid_at ?? charge.created,
      last4: charge.payment_method_details?.card?.last4 ?? null,
      hostedUrl: invoice.hosted_invoice_url!,
    },
    locale: localeOf(customer),
  });
}

/**
 * After an automatic payment failed: when the account asks for it, mails the customer that it
 * failed, with a stable link that opens a new portal session on the payment-method flow. Sent
 * after each failed automatic attempt, as Stripe does.
 */
export async function mailPaymentFailed(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  paymentIntent: Stripe.PaymentIntent | null,
): Promise<void> {
  const to = invoice.customer_email;
  if (!to || !(await customerEmailSettings(ctx)).failed_payments) return;
  const customer = await customerOf(ctx, String(invoice.customer));
  if (!customer) return;
  const card = paymentIntent?.last_payment_error?.payment_method?.card;
  await enqueueMail(ctx, {
    to,
    template: 'payment_failed',
    args: {
      ...(await mailBranding(ctx)),
      number: invoice.number ?? invoice.id,
      amount: invoice.amount_remaining,
      currency: invoice.currency,
      last4: card?.last4 ?? null,
      link: await issueMailLink(ctx, customer, 'payment_method_update', ctx.clock.now()),
      linkExpiresAt: ctx.clock.now() + MAIL_LINK_SECONDS,
    },
    locale: localeOf(customer),
  });
}

/**
 * Seven days before a trial ends, when the account asks for it: reminds the customer, with a
 * stable link to the portal where the subscription can be reviewed or canceled. The context is
 * on the customer's clock.
 */
export async function mailTrialEnding(ctx: Ctx, sub: Stripe.Subscription): Promise<void> {
  if (sub.trial_end === null || !(await customerEmailSettings(ctx)).trial_ending) return;
  const customer = await customerOf(ctx, String(sub.customer));
  if (!customer?.email) return;
  await enqueueMail(ctx, {
    to: customer.email,
    template: 'trial_ending',
    args: {
      ...(await mailBranding(ctx)),
      trialEnd: sub.trial_end,
      link: await issueMailLink(ctx, customer, 'home', ctx.clock.now()),
      linkExpiresAt: ctx.clock.now() + MAIL_LINK_SECONDS,
    },
    locale: localeOf(customer),
  });
}
