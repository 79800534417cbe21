import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { findObject } from '../../store/objects.ts';
import { itemLine } from '../invoice-items/store.ts';
import { invoiceDiscounts, lineDiscounts } from './discounts.ts';
import { lineTaxRates } from './line-tax-rates.ts';
import { invoiceLine } from './lines.ts';
import { saveInvoice } from './store.ts';
import { computeTotals } from './totals.ts';

/** The invoice item a line bills, if any. */
export function lineItemId(line: Stripe.InvoiceLineItem): string | null {
  return (
    line.parent?.invoice_item_details?.invoice_item ||
    line.parent?.subscription_item_details?.invoice_item ||
    null
  );
}

/**
 * Recomputes a draft's discounts and totals (on the customer's balance now) after a change, saves
 * it and emits `invoice.updated` with what changed since `before`.
 */
export async function refreshDraft(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  before: Stripe.Invoice,
  discounts?: Awaited<ReturnType<typeof invoiceDiscounts>>,
): Promise<Stripe.Invoice> {
  const customer = await findObject<Stripe.Customer | Stripe.DeletedCustomer>(
    ctx.db,
    'customers',
    ctx.scope,
    String(invoice.customer),
  );
  const balance = customer && !customer.deleted ? customer.balance : 0;
  computeTotals(
    invoice,
    discounts ?? (await invoiceDiscounts(ctx, invoice)),
    balance,
    await lineDiscounts(ctx, invoice),
    await lineTaxRates(ctx, invoice),
  );
  await saveInvoice(ctx, invoice);
  await emitEvent(ctx, 'invoice.updated', invoice, { before });
  return invoice;
}

/**
 * Puts an invoice item's line on its draft, or replaces it (keeping the line's id), or, with
 * `item` null, takes the line of `itemId` off; then the draft's totals are recomputed.
 */
export async function syncItemLine(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  itemId: string,
  item: Stripe.InvoiceItem | null,
): Promise<Stripe.Invoice> {
  const before = structuredClone(invoice);
  const lines = invoice.lines.data;
  const index = lines.findIndex((line) => lineItemId(line) === itemId);
  if (item === null) {
    if (index >= 0) lines.splice(index, 1);
  } else {
    const input = { ...itemLine(item), id: index >= 0 ? lines[index]!.id : undefined };
    const line = invoiceLine(input, invoice.id, invoice.currency, invoice.livemode);
    if (index >= 0) lines[index] = line;
    else lines.push(line);
  }
  return refreshDraft(ctx, invoice, before);
}
