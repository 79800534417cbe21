import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { findObject } from '../../store/objects.ts';
import type { InvoiceDiscount } from '../math/discounts.ts';

/** The coupons behind an invoice's discounts, in the invoice's order, for its totals. */
export async function invoiceDiscounts(ctx: Ctx, invoice: Stripe.Invoice): Promise<InvoiceDiscount[]> {
  const out: InvoiceDiscount[] = [];
  for (const ref of invoice.discounts) {
    const id = typeof ref === 'string' ? ref : ref.id;
    const discount = await findObject<Stripe.Discount>(ctx.db, 'discounts', ctx.scope, id);
    const couponRef = discount?.source.coupon;
    if (!couponRef) continue;
    const coupon =
      typeof couponRef === 'string'
        ? await findObject<Stripe.Coupon>(ctx.db, 'coupons', ctx.scope, couponRef)
        : couponRef;
    if (coupon) out.push({ id, coupon });
  }
  return out;
}
