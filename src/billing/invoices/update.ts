import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { mailInvoice } from '../customer-emails/mails.ts';
import { requireCustomer } from '../customers/service.ts';
import { redeemDiscounts } from '../discounts/redeem.ts';
import { requireInvoiceItem, saveInvoiceItem } from '../invoice-items/store.ts';
import type { InvoiceDiscount } from '../math/discounts.ts';
import { subscriptionPaymentMethod } from '../subscriptions/payment.ts';
import { afterPayment } from '../subscriptions/status.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { applicableTaxRates } from '../tax-rates/service.ts';
import { checkCollection, dueDateAfter } from './collection.ts';
import { FINALIZE_DELAY_SECONDS } from './draft.ts';
import { finalizeInvoice, mailsFinalized } from './finalize.ts';
import type { UpdateInvoiceParams } from './params.ts';
import { lineItemId, refreshDraft } from './refresh.ts';
import { renderingAfter, shippingDetailsOf } from './rendering.ts';
import { invoiceSubscription, markInvoiceDeleted, requireInvoice, saveInvoice } from './store.ts';

/** What a finalized invoice still lets change: metadata always; these while it is open. */
const OPEN_MAY_CHANGE = new Set(['auto_advance', 'default_payment_method', 'due_date']);
const ANY_MAY_CHANGE = new Set(['metadata', 'expand']);

async function onCustomerTime(base: Ctx, id: string) {
  const invoice = await requireInvoice(base, id);
  const customer = await requireCustomer(base, String(invoice.customer));
  return { ctx: await ctxForCustomer(base, customer), invoice, customer };
}

function checkFinalizedChange(invoice: Stripe.Invoice, params: UpdateInvoiceParams): void {
  for (const name of Object.keys(params)) {
    if (ANY_MAY_CHANGE.has(name)) continue;
    if (invoice.status === 'open' && OPEN_MAY_CHANGE.has(name)) {
      if (name === 'due_date' && invoice.collection_method !== 'send_invoice') {
        throw fail('send_invoice_only', { field: 'due_date' }, 'due_date');
      }
      continue;
    }
    throw fail('invoice_finalized_field_locked', { field: name, status: invoice.status }, name);
  }
}

/**
 * `POST /v1/invoices/:id`. A draft is fully editable (collection, due date, discounts, texts, the
 * payment method, automatic advancement); a finalized invoice keeps its amounts and terms: only
 * its metadata changes, and while it is open its `auto_advance`, `default_payment_method` and
 * (sent for payment) `due_date`. Emits `invoice.updated` with what changed.
 */
export async function updateInvoice(
  base: Ctx,
  id: string,
  params: UpdateInvoiceParams,
): Promise<Stripe.Invoice> {
  const { ctx, invoice: before, customer } = await onCustomerTime(base, id);
  const now = ctx.clock.now();
  const draft = before.status === 'draft';
  if (!draft) checkFinalizedChange(before, params);
  const invoice = structuredClone(before);
  if (params.collection_method !== undefined) invoice.collection_method = params.collection_method;
  checkCollection(invoice.collection_method, params, now);
  if (draft) invoice.due_date = dueDateAfter(invoice, params);
  else if (params.due_date !== undefined) invoice.due_date = params.due_date;
  if (params.auto_advance !== undefined) {
    invoice.auto_advance = params.auto_advance;
    if (draft) {
      // Turned on, a draft finalizes an hour from now (or when it was already due to).
      invoice.automatically_finalizes_at = params.auto_advance
        ? (before.automatically_finalizes_at ?? now + FINALIZE_DELAY_SECONDS)
        : null;
    }
  }
  if (params.default_payment_method !== undefined) {
    invoice.default_payment_method = await subscriptionPaymentMethod(
      ctx,
      params.default_payment_method,
      customer,
    );
  }
  if (params.description !== undefined) invoice.description = params.description;
  if (params.footer !== undefined) invoice.footer = params.footer;
  if (params.statement_descriptor !== undefined) invoice.statement_descriptor = params.statement_descriptor;
  if (params.custom_fields !== undefined) invoice.custom_fields = params.custom_fields;
  if (params.rendering !== undefined) invoice.rendering = renderingAfter(invoice.rendering, params.rendering);
  if (params.shipping_details !== undefined) {
    invoice.shipping_details = params.shipping_details ? shippingDetailsOf(params.shipping_details) : null;
  }
  invoice.metadata = mergeMetadata(invoice.metadata ?? {}, params.metadata);
  if (params.default_tax_rates !== undefined) {
    invoice.default_tax_rates = params.default_tax_rates
      ? await applicableTaxRates(
          ctx,
          params.default_tax_rates,
          'default_tax_rates',
          invoice.default_tax_rates,
        )
      : [];
  }
  if (!draft) {
    await saveInvoice(ctx, invoice);
    await emitEvent(ctx, 'invoice.updated', invoice, { before });
    return invoice;
  }
  let discounts: InvoiceDiscount[] | undefined;
  if (params.discounts !== undefined) {
    discounts = params.discounts
      ? await redeemDiscounts(
          ctx,
          params.discounts,
          {
            customer: customer.id,
            currency: invoice.currency,
            amount: invoice.subtotal,
            existing: invoice.discounts.map((d) => (typeof d === 'string' ? d : d.id)),
          },
          { invoice: invoice.id, invoiceItem: null },
          'discounts',
        )
      : [];
  }
  return refreshDraft(ctx, invoice, before, discounts);
}

/**
 * `DELETE /v1/invoices/:id`: one-off drafts only (a subscription's invoices are voided instead,
 * once finalized). Its invoice items go back to pending, for a later invoice.
 */
export async function deleteInvoice(base: Ctx, id: string): Promise<Stripe.DeletedInvoice> {
  const { ctx, invoice } = await onCustomerTime(base, id);
  if (invoice.status !== 'draft') {
    throw fail('invoice_delete_not_draft', { invoice: id, status: invoice.status });
  }
  if (invoiceSubscription(invoice) !== null) {
    throw fail('invoice_delete_subscription', { invoice: id });
  }
  for (const line of invoice.lines.data) {
    const itemId = lineItemId(line);
    if (!itemId) continue;
    const item = await requireInvoiceItem(ctx, itemId).catch(() => undefined);
    if (item) await saveInvoiceItem(ctx, { ...item, invoice: null });
  }
  const gone = await markInvoiceDeleted(ctx, id);
  await emitEvent(ctx, 'invoice.deleted', invoice);
  return gone;
}

/**
 * `POST /v1/invoices/:id/send`: sends an invoice that asks for payment (`send_invoice`) to its
 * customer, finalizing a draft first: mailed to `customer_email` with its hosted page and PDF,
 * whatever the account's switch for finalized invoices says (the switch governs the mail sent on
 * finalizing). Stripe's invoice keeps no trace of sending; the `invoice.sent` event records it.
 */
export async function sendInvoice(base: Ctx, id: string): Promise<Stripe.Invoice> {
  const { ctx, invoice } = await onCustomerTime(base, id);
  if (invoice.collection_method !== 'send_invoice') {
    throw fail('invoice_send_not_send_invoice', {});
  }
  if (invoice.status === 'void') {
    throw fail('invoice_send_void', { invoice: id });
  }
  if (invoice.status === 'draft') {
    await finalizeInvoice(ctx, invoice);
    const sub = invoiceSubscription(invoice);
    if (sub && invoice.status === 'paid') await afterPayment(ctx, sub, invoice, { outcome: 'paid' });
    // An automatically advancing draft was sent as it was finalized, and mailed then unless the
    // account's switch is off; this request asks for the mail in any case.
    if (invoice.auto_advance) {
      if (invoice.amount_due > 0 && !(await mailsFinalized(ctx))) await mailInvoice(ctx, invoice);
      return invoice;
    }
  }
  await emitEvent(ctx, 'invoice.sent', invoice);
  // Asked for explicitly: mailed whatever the account's switch for finalized invoices says.
  await mailInvoice(ctx, invoice);
  return invoice;
}
