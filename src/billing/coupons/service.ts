import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { randomBase62 } from '../../core/ids.ts';
import { type ListObject, listObject, pageQuery } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { findObject, insertChosenId, listObjects, updateObject } from '../../store/objects.ts';
import { requireProduct } from '../products/service.ts';
import type { CreateCouponParams, ListCouponParams, UpdateCouponParams } from './params.ts';

type Coupon = Stripe.Coupon;

/**
 * `valid` changes with time (redeem_by passes) and use (max_redemptions reached), so it is worked
 * out whenever a coupon is shown rather than trusted from storage.
 */
export function present(coupon: Coupon, now: number): Coupon {
  const expired = coupon.redeem_by !== null && now > coupon.redeem_by;
  const usedUp = coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions;
  return { ...coupon, valid: !expired && !usedUp };
}

/** Each key in lower case; the coupon's own currency is not one of its options. */
function amountOptions(
  own: string,
  options: Record<string, { amount_off: number }>,
): Record<string, Stripe.Coupon.CurrencyOptions> {
  const out: Record<string, Stripe.Coupon.CurrencyOptions> = {};
  for (const [code, option] of Object.entries(options)) {
    const currency = code.toLowerCase();
    if (currency === own) {
      throw fail(
        'currency_options_own_currency',
        { currency: own, object: 'coupon' },
        `currency_options[${code}]`,
      );
    }
    out[currency] = { amount_off: option.amount_off };
  }
  return out;
}

function checkDiscount(params: CreateCouponParams, now: number): void {
  if (params.percent_off !== undefined && params.amount_off !== undefined) {
    throw errors.parametersExclusive('percent_off', 'amount_off');
  }
  if (params.percent_off === undefined && params.amount_off === undefined) {
    throw fail('coupon_discount_missing', {}, 'percent_off');
  }
  if (params.percent_off !== undefined && (params.percent_off <= 0 || params.percent_off > 100)) {
    throw fail('coupon_percent_off_out_of_range', {}, 'percent_off');
  }
  if (params.amount_off !== undefined && params.currency === undefined) {
    throw fail('coupon_currency_missing', {}, 'currency');
  }
  if (params.currency_options !== undefined && params.amount_off === undefined) {
    throw fail('coupon_currency_options_percent', {}, 'currency_options');
  }
  if (params.percent_off !== undefined && params.currency !== undefined) {
    throw fail('coupon_currency_percent', {}, 'currency');
  }
  const duration = params.duration ?? 'once';
  if (duration === 'repeating' && params.duration_in_months === undefined) {
    throw fail('coupon_duration_in_months_missing', {}, 'duration_in_months');
  }
  if (duration !== 'repeating' && params.duration_in_months !== undefined) {
    throw fail('coupon_duration_in_months_not_repeating', {}, 'duration_in_months');
  }
  if (params.redeem_by !== undefined && params.redeem_by <= now) {
    throw fail('coupon_redeem_by_past', {}, 'redeem_by');
  }
}

export async function createCoupon(ctx: Ctx, params: CreateCouponParams): Promise<Coupon> {
  const now = ctx.clock.now();
  checkDiscount(params, now);
  const products = params.applies_to?.products;
  if (products) {
    for (const [i, id] of products.entries()) await requireProduct(ctx, id, `applies_to[products][${i}]`);
  }
  const coupon: Coupon = {
    // Generated ids are 24 random base62 characters (Stripe's are 8; callers may choose their own).
    id: params.id ?? randomBase62(24),
    object: 'coupon',
    amount_off: params.amount_off ?? null,
    ...(products ? { applies_to: { products: [...new Set(products)] } } : {}),
    created: now,
    currency: params.currency ?? null,
    ...(params.currency_options
      ? { currency_options: amountOptions(params.currency ?? '', params.currency_options) }
      : {}),
    duration: params.duration ?? 'once',
    duration_in_months: params.duration_in_months ?? null,
    livemode: ctx.scope.livemode,
    max_redemptions: params.max_redemptions ?? null,
    metadata: mergeMetadata({}, params.metadata),
    name: params.name ?? null,
    percent_off: params.percent_off ?? null,
    redeem_by: params.redeem_by ?? null,
    times_redeemed: 0,
    valid: true,
  };
  await insertChosenId(ctx.db, 'coupons', ctx.scope, coupon, { deleted: 0 });
  await emitEvent(ctx, 'coupon.created', coupon);
  return coupon;
}

/** A coupon for a path (404) or a param (400), with `valid` as of now. */
export async function requireCoupon(ctx: Ctx, id: string, param?: string): Promise<Coupon> {
  const found = await findObject<Coupon & { deleted?: true }>(ctx.db, 'coupons', ctx.scope, id);
  if (!found || found.deleted)
    throw param ? errors.noSuchParam('coupon', id, param) : errors.noSuchPath('coupon', id);
  return present(found, ctx.clock.now());
}

export async function updateCoupon(ctx: Ctx, id: string, params: UpdateCouponParams): Promise<Coupon> {
  const before = await requireCoupon(ctx, id);
  const coupon = structuredClone(before);
  if (params.name !== undefined) coupon.name = params.name;
  if (params.currency_options !== undefined) {
    if (coupon.amount_off === null) {
      throw fail('coupon_currency_options_percent', {}, 'currency_options');
    }
    // New currencies are added; a currency given again gets its new amount.
    coupon.currency_options = {
      ...coupon.currency_options,
      ...amountOptions(coupon.currency ?? '', params.currency_options),
    };
  }
  coupon.metadata = mergeMetadata(coupon.metadata ?? {}, params.metadata);
  await updateObject(ctx.db, 'coupons', ctx.scope, coupon);
  await emitEvent(ctx, 'coupon.updated', coupon, { before });
  return coupon;
}

export async function deleteCoupon(ctx: Ctx, id: string): Promise<Stripe.DeletedCoupon> {
  const coupon = await requireCoupon(ctx, id);
  const deleted: Stripe.DeletedCoupon = { id, object: 'coupon', deleted: true };
  await updateObject(ctx.db, 'coupons', ctx.scope, deleted, { deleted: 1 });
  await emitEvent(ctx, 'coupon.deleted', coupon);
  return deleted;
}

export async function listCoupons(ctx: Ctx, params: ListCouponParams): Promise<ListObject<Coupon>> {
  const page = await listObjects<Coupon>(ctx.db, 'coupons', ctx.scope, pageQuery(params), { deleted: 0 });
  const now = ctx.clock.now();
  return listObject({ data: page.data.map((c) => present(c, now)), hasMore: page.hasMore }, '/v1/coupons');
}
