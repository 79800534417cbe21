import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { randomBase62 } from '../../core/ids.ts';
import { emitEvent } from '../../events/emit.ts';
import { updateObject } from '../../store/objects.ts';
import { recordBalanceMove } from '../balance-transactions/record.ts';
import { mailInvoice } from '../customer-emails/mails.ts';
import { customerEmailSettings } from '../customer-emails/settings.ts';
import { requireCustomer } from '../customers/service.ts';
import { embeddedTaxIds } from '../tax-ids/service.ts';
import { invoiceDiscounts, lineDiscounts } from './discounts.ts';
import { lineTaxRates } from './line-tax-rates.ts';
import { markPaid } from './paid.ts';
import { saveInvoice } from './store.ts';
import { computeTotals, endingBalance } from './totals.ts';

const DAY = 86_400;

/** Whether the account mails `send_invoice` invoices as they are finalized. */
export async function mailsFinalized(ctx: Ctx): Promise<boolean> {
  return (await customerEmailSettings(ctx)).finalized_invoices;
}

/**
 * Finalizes a draft: it gets its number (the customer's prefix and next sequence, `ABCD1234-0001`),
 * its hosted page and PDF URLs, a due date when it is sent for payment, and takes the customer's
 * balance into account (`starting_balance`); the customer's balance becomes the invoice's
 * `ending_balance`. An invoice that owes nothing is paid at once. A `send_invoice` invoice that
 * advances automatically is sent (`invoice.sent`, and mailed when the account's switch is on) as
 * it is finalized.
 */
export async function finalizeInvoice(ctx: Ctx, invoice: Stripe.Invoice): Promise<Stripe.Invoice> {
  const now = ctx.clock.now();
  const before = structuredClone(invoice);
  const customer = await requireCustomer(ctx, String(invoice.customer));
  const sequence = customer.next_invoice_sequence ?? 1;
  invoice.number = `${customer.invoice_prefix}-${String(sequence).padStart(4, '0')}`;
  invoice.status = 'open';
  invoice.status_transitions.finalized_at = now;
  invoice.effective_at = now;
  invoice.automatically_finalizes_at = null;
  invoice.webhooks_delivered_at = invoice.webhooks_delivered_at ?? now;
  // The customer's tax IDs as they are now; a finalized invoice keeps them (as on Stripe).
  invoice.customer_tax_ids = (await embeddedTaxIds(ctx, customer.id)).data.map((t) => ({
    type: t.type as Stripe.Invoice.CustomerTaxId.Type,
    value: t.value,
  }));
  // The hosted page is reached by a URL nobody can guess: the invoice id and a secret.
  const secret = randomBase62(24);
  invoice.hosted_invoice_url = `${ctx.publicUrl}/i/${invoice.id}/${secret}`;
  invoice.invoice_pdf = `${ctx.publicUrl}/i/${invoice.id}/${secret}/pdf`;
  // A sent invoice is due 30 days after finalizing unless its draft said otherwise.
  if (invoice.collection_method === 'send_invoice') invoice.due_date = invoice.due_date ?? now + 30 * DAY;
  computeTotals(
    invoice,
    await invoiceDiscounts(ctx, invoice),
    customer.balance,
    await lineDiscounts(ctx, invoice),
    await lineTaxRates(ctx, invoice),
  );
  invoice.ending_balance = endingBalance(invoice);
  invoice.next_payment_attempt =
    invoice.collection_method === 'charge_automatically' && invoice.amount_due > 0 ? now : null;

  const updatedCustomer: Stripe.Customer = {
    ...customer,
    next_invoice_sequence: sequence + 1,
    balance: invoice.ending_balance,
  };
  await updateObject(ctx.db, 'customers', ctx.scope, updatedCustomer);
  if (updatedCustomer.balance !== customer.balance) {
    await recordBalanceMove(ctx, {
      customer: updatedCustomer,
      amount: updatedCustomer.balance - customer.balance,
      type: 'applied_to_invoice',
      created: now,
      currency: invoice.currency,
      invoice: invoice.id,
    });
    await emitEvent(ctx, 'customer.updated', updatedCustomer, { before: customer });
  }
  await saveInvoice(ctx, invoice);
  await emitEvent(ctx, 'invoice.finalized', invoice, { before });
  // Stripe emails an invoice sent for payment when it is finalized with automatic advancement
  // ("Email finalized invoices to customers"); one that owes nothing is paid at once instead.
  if (invoice.collection_method === 'send_invoice' && invoice.auto_advance) {
    await emitEvent(ctx, 'invoice.sent', invoice);
    if (invoice.amount_due > 0 && (await mailsFinalized(ctx))) await mailInvoice(ctx, invoice);
  }
  if (invoice.amount_due === 0) await markPaid(ctx, invoice, 0);
  return invoice;
}
