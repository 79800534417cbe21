import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { fail } from '../../../core/errors.ts';
import { requireCoupon } from '../../coupons/service.ts';
import { requirePromotionCode } from '../../promotion-codes/service.ts';

const idOf = (value: string | { id: string } | null) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** A coupon a flow may offer or apply: it must exist and still be redeemable. */
export async function requireValidCoupon(ctx: Ctx, id: string, param: string): Promise<Stripe.Coupon> {
  const coupon = await requireCoupon(ctx, id, param);
  if (!coupon.valid) {
    throw fail('portal_coupon_expired', { coupon: id }, param);
  }
  return coupon;
}

/** A promotion code a flow may apply: active, unexpired, not used up, for this customer. */
export async function requireValidPromotionCode(
  ctx: Ctx,
  id: string,
  customer: string,
  param: string,
): Promise<Stripe.PromotionCode> {
  const code = await requirePromotionCode(ctx, id, param);
  if (!code.active) {
    throw fail('portal_promotion_code_inactive', { promotionCode: id }, param);
  }
  if (code.expires_at !== null && ctx.clock.now() >= code.expires_at) {
    throw fail('portal_promotion_code_expired', { promotionCode: id }, param);
  }
  if (code.max_redemptions !== null && code.times_redeemed >= code.max_redemptions) {
    throw fail('portal_promotion_code_used_up', { promotionCode: id }, param);
  }
  const owner = idOf(code.customer);
  if (owner !== null && owner !== customer) {
    throw fail('portal_promotion_code_customer', { promotionCode: id, customer }, param);
  }
  const coupon = idOf(code.promotion.coupon);
  if (coupon) await requireValidCoupon(ctx, coupon, param);
  return code;
}
