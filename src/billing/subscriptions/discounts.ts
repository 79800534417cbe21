import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { findObject } from '../../store/objects.ts';
import { redeemDiscounts } from '../discounts/redeem.ts';
import { discountStillApplies, type InvoiceDiscount } from '../math/discounts.ts';
import type { DiscountParams } from './params.ts';

/**
 * Discounts on a subscription: each `discounts[]` entry names a coupon or a promotion code (or an
 * existing discount to keep); each new one becomes a `discount` object (`di_…`) that counts a
 * redemption, and stops applying when its coupon's duration is over.
 */

export interface DiscountTarget {
  customer: string;
  subscription: string;
  currency: string;
  /** What the discounted invoice would charge, for promotion codes' `minimum_amount`. */
  amount: number;
  existing: string[];
  /** Set for an item's own discounts (`items[][discounts]`): they apply to that item's lines. */
  subscriptionItem?: string;
}

/** Turns `discounts[]` params into discount ids, creating and redeeming new ones. */
export async function resolveDiscounts(
  ctx: Ctx,
  params: DiscountParams[],
  target: DiscountTarget,
  param: string,
): Promise<string[]> {
  const owner = { subscription: target.subscription, subscriptionItem: target.subscriptionItem ?? null };
  return (await redeemDiscounts(ctx, params, target, owner, param)).map((d) => d.id);
}

function loadDiscount(ctx: Ctx, id: string): Promise<Stripe.Discount | undefined> {
  return findObject<Stripe.Discount>(ctx.db, 'discounts', ctx.scope, id);
}

/** The subscription's discounts that apply to a period starting at `periodStart`, with coupons. */
export function activeDiscounts(
  ctx: Ctx,
  sub: Stripe.Subscription,
  periodStart: number,
): Promise<InvoiceDiscount[]> {
  return applicable(ctx, sub.discounts, periodStart);
}

/** Of a list of discounts, those whose coupon still applies to a period starting at `periodStart`. */
export async function applicable(
  ctx: Ctx,
  refs: (string | Stripe.Discount)[],
  periodStart: number,
): Promise<InvoiceDiscount[]> {
  const out: InvoiceDiscount[] = [];
  for (const ref of refs) {
    const discount = await loadDiscount(ctx, typeof ref === 'string' ? ref : ref.id);
    if (!discount) continue;
    const coupon = await findObject<Stripe.Coupon>(
      ctx.db,
      'coupons',
      ctx.scope,
      String(discount.source.coupon),
    );
    if (!coupon || !discountStillApplies(coupon, discount.start, periodStart)) continue;
    out.push({ id: discount.id, coupon });
  }
  return out;
}

/**
 * After an invoice used them: `once` discounts are spent, and `repeating` ones whose months are
 * over no longer apply; both leave the subscription with a `customer.discount.deleted` event.
 */
export async function pruneDiscounts(
  ctx: Ctx,
  sub: Stripe.Subscription,
  nextPeriodStart: number,
): Promise<void> {
  sub.discounts = await unspent(ctx, sub.discounts, nextPeriodStart);
  for (const item of sub.items.data) item.discounts = await unspent(ctx, item.discounts, nextPeriodStart);
}

async function unspent(
  ctx: Ctx,
  refs: (string | Stripe.Discount)[],
  nextPeriodStart: number,
): Promise<string[]> {
  const keep: string[] = [];
  for (const ref of refs) {
    const id = typeof ref === 'string' ? ref : ref.id;
    const discount = await loadDiscount(ctx, id);
    if (!discount) continue;
    const coupon = await findObject<Stripe.Coupon>(
      ctx.db,
      'coupons',
      ctx.scope,
      String(discount.source.coupon),
    );
    const spent =
      !coupon || coupon.duration === 'once' || !discountStillApplies(coupon, discount.start, nextPeriodStart);
    if (spent) await emitEvent(ctx, 'customer.discount.deleted', discount);
    else keep.push(id);
  }
  return keep;
}

/**
 * `items[][discounts]`: an item's own discounts, made and redeemed like the subscription's, which
 * apply to that item's lines before the subscription's discounts apply to what is left.
 */
export function resolveItemDiscounts(
  ctx: Ctx,
  params: DiscountParams[],
  item: Pick<Stripe.SubscriptionItem, 'id' | 'discounts'>,
  target: Omit<DiscountTarget, 'existing' | 'subscriptionItem'>,
  param: string,
): Promise<string[]> {
  const existing = item.discounts.map((d) => (typeof d === 'string' ? d : d.id));
  return resolveDiscounts(ctx, params, { ...target, existing, subscriptionItem: item.id }, param);
}

/**
 * `DELETE /v1/subscriptions/:id/discount`: removes the subscription's own discounts (not its
 * items'), each with `customer.discount.deleted`; answers the first as deleted.
 */
export async function deleteSubscriptionDiscount(
  ctx: Ctx,
  sub: Stripe.Subscription,
): Promise<{ sub: Stripe.Subscription; deleted: Stripe.DeletedDiscount } | undefined> {
  const discounts: Stripe.Discount[] = [];
  for (const ref of sub.discounts) {
    const found = await loadDiscount(ctx, typeof ref === 'string' ? ref : ref.id);
    if (found) discounts.push(found);
  }
  const [first] = discounts;
  if (!first) return undefined;
  for (const discount of discounts) await emitEvent(ctx, 'customer.discount.deleted', discount);
  const { end: _end, ...rest } = first;
  return { sub: { ...sub, discounts: [] }, deleted: { ...rest, deleted: true } };
}
