import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { findObject } from '../../../store/objects.ts';
import { priceAmount } from '../../math/price-amount.ts';
import { type RenewalDiscount, renewalAmountDue } from '../../math/renewal-amount.ts';

/**
 * The amount due on the invoice that starts a held change's period (the portal's downgrade at the
 * period end), with the discounts it will carry: the ones the change brings, or else the
 * subscription's own that still apply then, and the customer's balance. The maths are
 * `renewalAmountDue`; this loads what it needs.
 */

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** A discount as a schedule phase or the change names it. */
export interface DiscountRef {
  coupon?: string | Stripe.Coupon | null;
  promotion_code?: string | Stripe.PromotionCode | null;
  discount?: string | Stripe.Discount | null;
}

async function coupon(ctx: Ctx, id: string | null): Promise<Stripe.Coupon | undefined> {
  return id ? findObject<Stripe.Coupon>(ctx.db, 'coupons', ctx.scope, id) : undefined;
}

/** An existing discount (`di_…`) with its coupon and start. */
async function existing(ctx: Ctx, id: string): Promise<RenewalDiscount | null> {
  const discount = await findObject<Stripe.Discount>(ctx.db, 'discounts', ctx.scope, id);
  const found = discount && (await coupon(ctx, idOf(discount.source.coupon as string | null)));
  return discount && found ? { id, coupon: found, start: discount.start } : null;
}

/** A discount the change brings: a coupon, or a promotion code's coupon, starting with the period. */
async function brought(
  ctx: Ctx,
  ref: DiscountRef,
  index: number,
  start: number,
): Promise<RenewalDiscount | null> {
  if (ref.discount) return existing(ctx, String(idOf(ref.discount)));
  let couponId = idOf(ref.coupon ?? null);
  if (!couponId && ref.promotion_code) {
    const code = await findObject<Stripe.PromotionCode>(
      ctx.db,
      'promotion_codes',
      ctx.scope,
      String(idOf(ref.promotion_code)),
    );
    couponId = idOf((code?.promotion.coupon as string | Stripe.Coupon | null | undefined) ?? null);
  }
  const found = await coupon(ctx, couponId);
  return found ? { id: `new_${index}`, coupon: found, start } : null;
}

export async function heldChangeAmount(
  ctx: Ctx,
  sub: Stripe.Subscription,
  next: {
    items: { price: Stripe.Price; quantity: number }[];
    /** The change's own discounts, or null: the subscription keeps its own. */
    discounts: DiscountRef[] | null;
    periodStart: number;
  },
): Promise<{ amount: number; currency: string }> {
  const discounts: RenewalDiscount[] = [];
  if (next.discounts && next.discounts.length > 0) {
    for (const [index, ref] of next.discounts.entries()) {
      const found = await brought(ctx, ref, index, next.periodStart);
      if (found) discounts.push(found);
    }
  } else {
    for (const ref of sub.discounts) {
      const found = await existing(ctx, String(idOf(ref)));
      if (found) discounts.push(found);
    }
  }
  const customer = await findObject<Stripe.Customer>(
    ctx.db,
    'customers',
    ctx.scope,
    String(idOf(sub.customer)),
  );
  const amount = renewalAmountDue({
    lines: next.items.map((i) => ({
      amount: priceAmount(i.price, i.quantity),
      product: idOf(i.price.product as string | null),
    })),
    discounts,
    currency: sub.currency,
    periodStart: next.periodStart,
    balance: customer?.balance ?? 0,
  });
  return { amount, currency: sub.currency };
}

/** The amount due when the portal's pending change (its schedule's second phase) begins. */
export async function pendingChangeAmount(
  ctx: Ctx,
  sub: Stripe.Subscription,
  schedule: Stripe.SubscriptionSchedule,
): Promise<{ amount: number; currency: string } | null> {
  const phase = schedule.phases[1];
  if (!phase) return null;
  const items: { price: Stripe.Price; quantity: number }[] = [];
  for (const item of phase.items) {
    const price = await findObject<Stripe.Price>(
      ctx.db,
      'prices',
      ctx.scope,
      String(idOf(item.price as string)),
    );
    if (!price) return null;
    items.push({ price, quantity: item.quantity ?? 1 });
  }
  const discounts = phase.discounts.length > 0 ? (phase.discounts as DiscountRef[]) : null;
  return heldChangeAmount(ctx, sub, { items, discounts, periodStart: phase.start_date });
}
