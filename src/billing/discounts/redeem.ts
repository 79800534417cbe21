import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { emitEvent } from '../../events/emit.ts';
import { insertObject, updateObject } from '../../store/objects.ts';
import { requireCoupon } from '../coupons/service.ts';
import { discountsById } from '../invoices/discounts.ts';
import { discountEnd, type InvoiceDiscount } from '../math/discounts.ts';
import { checkCouponRedeemable, checkPromotionCodeRedeemable } from '../math/redemption.ts';
import { requirePromotionCode } from '../promotion-codes/service.ts';

/** One `discounts[]` entry of a subscription, an item, an invoice, an invoice item or a preview. */
export interface DiscountEntry {
  coupon?: string;
  promotion_code?: string;
  discount?: string;
}

/** What the discounts are for: the checks of promotion codes need the customer and amount. */
export interface DiscountTarget {
  customer: string;
  currency: string;
  /** What the discounted lines cost, for a promotion code's `minimum_amount`. */
  amount: number;
  /** Discounts an entry may name with `discount` (the object's current ones). */
  existing: string[];
}

/** A checked entry: an existing discount kept, or a coupon (with its code) to redeem. */
type Checked =
  | { kind: 'existing'; discount: InvoiceDiscount }
  | { kind: 'new'; coupon: Stripe.Coupon; code: Stripe.PromotionCode | null };

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

/** Checks every entry, in order, without writing anything; each refusal names its entry. */
async function check(ctx: Ctx, entries: DiscountEntry[], target: DiscountTarget, param: string) {
  const now = ctx.clock.now();
  const out: Checked[] = [];
  const seen = new Set<string>();
  for (const [i, entry] of entries.entries()) {
    const path = `${param}[${i}]`;
    const given = [entry.coupon, entry.promotion_code, entry.discount].filter((v) => v !== undefined);
    if (given.length !== 1) {
      throw fail('discount_source_ambiguous', {}, path);
    }
    if (entry.discount !== undefined) {
      const [found] = target.existing.includes(entry.discount)
        ? await discountsById(ctx, [entry.discount])
        : [];
      if (!found) throw errors.noSuchParam('discount', entry.discount, `${path}[discount]`);
      out.push({ kind: 'existing', discount: found });
      continue;
    }
    let code: Stripe.PromotionCode | null = null;
    let coupon: Stripe.Coupon;
    if (entry.promotion_code !== undefined) {
      const codeParam = `${path}[promotion_code]`;
      code = await requirePromotionCode(ctx, entry.promotion_code, codeParam);
      coupon = await requireCoupon(ctx, String(code.promotion.coupon), codeParam);
      const verdict = checkPromotionCodeRedeemable(code, coupon, {
        now,
        customerId: target.customer,
        amount: target.amount,
        currency: target.currency,
        isFirstTimeTransaction: !(await hasPaid(ctx, target.customer)),
      });
      if (!verdict.ok) throw verdict.at(codeParam);
    } else {
      coupon = await requireCoupon(ctx, entry.coupon!, `${path}[coupon]`);
      const verdict = checkCouponRedeemable(coupon, now, { currency: target.currency });
      if (!verdict.ok) throw verdict.at(`${path}[coupon]`);
    }
    if (seen.has(coupon.id)) {
      throw fail('discount_coupon_repeated', { coupon: coupon.id }, path);
    }
    seen.add(coupon.id);
    out.push({ kind: 'new', coupon, code });
  }
  return out;
}

/** What a new discount belongs to: exactly one of these is set. */
export interface DiscountOwner {
  invoice?: string | null;
  invoiceItem?: string | null;
  subscription?: string | null;
  /** An item's own discount also names its subscription. */
  subscriptionItem?: string | null;
}

/**
 * Turns `discounts[]` into discount objects (`di_…`): each new one counts a redemption of its
 * coupon (and promotion code). A subscription's (or its item's) discounts announce themselves
 * with `customer.discount.created`; Stripe sends no such event for an invoice's or an invoice
 * item's, which belong to neither customer nor subscription.
 */
export async function redeemDiscounts(
  ctx: Ctx,
  entries: DiscountEntry[],
  target: DiscountTarget,
  owner: DiscountOwner,
  param: string,
): Promise<InvoiceDiscount[]> {
  const now = ctx.clock.now();
  const out: InvoiceDiscount[] = [];
  for (const item of await check(ctx, entries, target, param)) {
    if (item.kind === 'existing') {
      out.push(item.discount);
      continue;
    }
    const { coupon, code } = item;
    const discount: Stripe.Discount = {
      id: newId('di'),
      object: 'discount',
      checkout_session: null,
      customer: target.customer,
      customer_account: null,
      end: discountEnd(coupon, now),
      invoice: owner.invoice ?? null,
      invoice_item: owner.invoiceItem ?? null,
      promotion_code: code?.id ?? null,
      source: { type: 'coupon', coupon: coupon.id },
      start: now,
      subscription: owner.subscription ?? null,
      subscription_item: owner.subscriptionItem ?? null,
    };
    await insertObject(ctx.db, 'discounts', ctx.scope, discount, {
      created: now,
      customer: target.customer,
      subscription: owner.subscription ?? null,
    });
    const usedCoupon: Stripe.Coupon = { ...coupon, times_redeemed: coupon.times_redeemed + 1 };
    await updateObject(ctx.db, 'coupons', ctx.scope, usedCoupon);
    if (code) {
      const usedCode: Stripe.PromotionCode = { ...code, times_redeemed: code.times_redeemed + 1 };
      await updateObject(ctx.db, 'promotion_codes', ctx.scope, usedCode);
    }
    if (owner.subscription) await emitEvent(ctx, 'customer.discount.created', discount);
    out.push({ id: discount.id, coupon });
  }
  return out;
}

/** The same checks for a preview: nothing is redeemed; new discounts get ids that are never stored. */
export async function previewDiscounts(
  ctx: Ctx,
  entries: DiscountEntry[],
  target: DiscountTarget,
  param: string,
): Promise<InvoiceDiscount[]> {
  return (await check(ctx, entries, target, param)).map((item) =>
    item.kind === 'existing' ? item.discount : { id: `di_tmp_${newId('di').slice(3)}`, coupon: item.coupon },
  );
}
