import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { emitEvent } from '../../events/emit.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';
import { requireCoupon } from '../coupons/service.ts';
import { discountEnd, discountStillApplies, type InvoiceDiscount } from '../math/discounts.ts';
import { checkCouponRedeemable, checkPromotionCodeRedeemable } from '../math/redemption.ts';
import { requirePromotionCode } from '../promotion-codes/service.ts';
import type { DiscountParams } from './params.ts';

/**
 * Discounts on a subscription: each `discounts[]` entry names a coupon or a promotion code (or an
 * existing discount to keep); each new one becomes a `discount` object (`di_…`) that counts a
 * redemption, and stops applying when its coupon's duration is over.
 */

async function redeem(ctx: Ctx, coupon: Stripe.Coupon, code: Stripe.PromotionCode | null): Promise<void> {
  const usedCoupon = { ...coupon, times_redeemed: coupon.times_redeemed + 1 };
  await updateObject(ctx.db, 'coupons', ctx.scope, usedCoupon);
  if (code) {
    const usedCode = { ...code, times_redeemed: code.times_redeemed + 1 };
    await updateObject(ctx.db, 'promotion_codes', ctx.scope, usedCode);
  }
}

/** Whether the customer has paid anything yet (for `first_time_transaction`). */
async function hasPaid(ctx: Ctx, customer: string): Promise<boolean> {
  const row = await ctx.db
    .selectFrom('invoices')
    .select('id')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('customer', '=', customer)
    .where('status', '=', 'paid')
    .limit(1)
    .executeTakeFirst();
  return row !== undefined;
}

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
  const now = ctx.clock.now();
  const ids: string[] = [];
  const seenCoupons = new Set<string>();
  for (const [i, entry] of params.entries()) {
    const path = `${param}[${i}]`;
    const given = [entry.coupon, entry.promotion_code, entry.discount].filter((v) => v !== undefined);
    if (given.length !== 1) {
      throw errors.invalidRequest(
        'Each discount needs exactly one of `coupon`, `promotion_code` or `discount`.',
        path,
      );
    }
    if (entry.discount !== undefined) {
      if (!target.existing.includes(entry.discount))
        throw errors.noSuchParam('discount', entry.discount, `${path}[discount]`);
      ids.push(entry.discount);
      continue;
    }
    let code: Stripe.PromotionCode | null = null;
    let coupon: Stripe.Coupon;
    if (entry.promotion_code !== undefined) {
      code = await requirePromotionCode(ctx, entry.promotion_code, `${path}[promotion_code]`);
      coupon = await requireCoupon(ctx, String(code.promotion.coupon), `${path}[promotion_code]`);
      const check = checkPromotionCodeRedeemable(code, coupon, {
        now,
        customerId: target.customer,
        amount: target.amount,
        currency: target.currency,
        isFirstTimeTransaction: !(await hasPaid(ctx, target.customer)),
      });
      if (!check.ok)
        throw errors.invalidRequest(check.message, `${path}[promotion_code]`, check.code ?? undefined);
    } else {
      coupon = await requireCoupon(ctx, entry.coupon!, `${path}[coupon]`);
      const check = checkCouponRedeemable(coupon, now, { currency: target.currency });
      if (!check.ok) throw errors.invalidRequest(check.message, `${path}[coupon]`, check.code ?? undefined);
    }
    if (seenCoupons.has(coupon.id)) {
      throw errors.invalidRequest(`The coupon ${coupon.id} is given twice; a coupon can apply once.`, path);
    }
    seenCoupons.add(coupon.id);
    const discount: Stripe.Discount = {
      id: newId('di'),
      object: 'discount',
      checkout_session: null,
      customer: target.customer,
      customer_account: null,
      end: discountEnd(coupon, now),
      invoice: null,
      invoice_item: null,
      promotion_code: code?.id ?? null,
      source: { type: 'coupon', coupon: coupon.id },
      start: now,
      subscription: target.subscription,
      subscription_item: target.subscriptionItem ?? null,
    };
    await insertObject(ctx.db, 'discounts', ctx.scope, discount, {
      created: now,
      customer: target.customer,
      subscription: target.subscription,
    });
    await redeem(ctx, coupon, code);
    await emitEvent(ctx, 'customer.discount.created', discount);
    ids.push(discount.id);
  }
  return ids;
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
  item: Stripe.SubscriptionItem,
  target: Omit<DiscountTarget, 'existing' | 'subscriptionItem'>,
  param: string,
): Promise<string[]> {
  const existing = item.discounts.map((d) => (typeof d === 'string' ? d : d.id));
  return resolveDiscounts(ctx, params, { ...target, existing, subscriptionItem: item.id }, param);
}
