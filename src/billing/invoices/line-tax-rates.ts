import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { findObject } from '../../store/objects.ts';

/**
 * Each line's own tax rates when a draft is recomputed: an invoice item's line takes the item's
 * `tax_rates` (a proration carries those of its subscription item from when it was made), a
 * subscription item's line takes the item's `tax_rates` as they are now. A line with none, or
 * whose item is gone, is taxed at the invoice's `default_tax_rates`.
 */
export async function lineTaxRates(ctx: Ctx, invoice: Stripe.Invoice): Promise<Stripe.TaxRate[][]> {
  const out: Stripe.TaxRate[][] = [];
  for (const line of invoice.lines.data) {
    const invoiceItem =
      line.parent?.invoice_item_details?.invoice_item || line.parent?.subscription_item_details?.invoice_item;
    const subscriptionItem = line.parent?.subscription_item_details?.subscription_item;
    if (invoiceItem) {
      const item = await findObject<Stripe.InvoiceItem>(ctx.db, 'invoice_items', ctx.scope, invoiceItem);
      out.push(item?.tax_rates ?? []);
    } else if (subscriptionItem) {
      const item = await findObject<Stripe.SubscriptionItem>(
        ctx.db,
        'subscription_items',
        ctx.scope,
        subscriptionItem,
      );
      out.push(item?.tax_rates ?? []);
    } else out.push([]);
  }
  return out;
}
