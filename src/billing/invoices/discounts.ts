import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { findObject } from '../../store/objects.ts';
import type { InvoiceDiscount } from '../math/discounts.ts';

const idOf = (ref: string | { id: string }) => (typeof ref === 'string' ? ref : ref.id);

/** Discounts by id, each with its coupon, in the given order; missing ones are left out. */
export async function discountsById(
  ctx: Ctx,
  ids: string[],
  keep: (discount: Stripe.Discount) => boolean = () => true,
): Promise<InvoiceDiscount[]> {
  const out: InvoiceDiscount[] = [];
  for (const id of ids) {
    const discount = await findObject<Stripe.Discount>(ctx.db, 'discounts', ctx.scope, id);
    const couponRef = discount?.source.coupon;
    if (!discount || !couponRef || !keep(discount)) continue;
    const coupon =
      typeof couponRef === 'string'
        ? await findObject<Stripe.Coupon>(ctx.db, 'coupons', ctx.scope, couponRef)
        : couponRef;
    if (coupon) out.push({ id, coupon });
  }
  return out;
}

/** The coupons behind an invoice's discounts, in the invoice's order, for its totals. */
export function invoiceDiscounts(ctx: Ctx, invoice: Stripe.Invoice): Promise<InvoiceDiscount[]> {
  return discountsById(ctx, invoice.discounts.map(idOf));
}

/**
 * Each line's own discounts (those of the invoice item it bills). A line lists them before the
 * invoice's discounts; what is not one of the invoice's is checked to belong to an invoice item or
 * to a subscription item.
 */
export async function lineDiscounts(ctx: Ctx, invoice: Stripe.Invoice): Promise<InvoiceDiscount[][]> {
  const invoiceLevel = new Set(invoice.discounts.map(idOf));
  const out: InvoiceDiscount[][] = [];
  for (const line of invoice.lines.data) {
    const candidates = line.discounts.map(idOf).filter((id) => !invoiceLevel.has(id));
    out.push(
      candidates.length === 0
        ? []
        : await discountsById(
            ctx,
            candidates,
            (d) => d.invoice_item !== null || d.subscription_item !== null,
          ),
    );
  }
  return out;
}
