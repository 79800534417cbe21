import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { errors } from '../../../core/errors.ts';
import { requireCoupon } from '../../coupons/service.ts';
import { requirePromotionCode } from '../../promotion-codes/service.ts';

const idOf = (value: string | { id: string } | null) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** A coupon a flow may offer or apply: it must exist and still be redeemable. */
export async function requireValidCoupon(ctx: Ctx, id: string, param: string): Promise<Stripe.Coupon> {
  const coupon = await requireCoupon(ctx, id, param);
  if (!coupon.valid) {
    throw errors.invalidRequest(
      `The coupon ${id} is no longer valid (its redeem_by date has passed or it reached max_redemptions).`,
      param,
      'coupon_expired',
    );
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
    throw errors.invalidRequest(`The promotion code ${id} is inactive.`, param);
  }
  if (code.expires_at !== null && ctx.clock.now() >= code.expires_at) {
    throw errors.invalidRequest(`The promotion code ${id} has expired.`, param, 'expired');
  }
  if (code.max_redemptions !== null && code.times_redeemed >= code.max_redemptions) {
    throw errors.invalidRequest(`The promotion code ${id} has reached its max_redemptions.`, param);
  }
  const owner = idOf(code.customer);
  if (owner !== null && owner !== customer) {
    throw errors.invalidRequest(
      `The promotion code ${id} is restricted to another customer than ${customer}.`,
      param,
    );
  }
  const coupon = idOf(code.promotion.coupon);
  if (coupon) await requireValidCoupon(ctx, coupon, param);
  return code;
}
