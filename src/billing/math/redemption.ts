import type Stripe from 'stripe';
import { type AppError, fail } from '../../core/errors.ts';
import { amountOffIn } from './discounts.ts';

/**
 * Whether a coupon or a promotion code may be redeemed now, checked before a discount is made.
 *
 * Coupons: a deleted coupon is missing; a coupon is no longer valid once `redeem_by` has passed
 * (redeeming at `redeem_by` itself is allowed: it is the last moment) or `times_redeemed` has
 * reached `max_redemptions`; an `amount_off` coupon only applies in its currency (or one of its
 * `currency_options`).
 *
 * Promotion codes, in this order: the code itself (`active`, `expires_at` — the moment it stops
 * working —, `max_redemptions`), then its coupon as above, then its restrictions: `customer`,
 * `first_time_transaction` (the customer has never paid), `minimum_amount` (the amount being
 * discounted, in `minimum_amount_currency`, or in a `currency_options` currency).
 *
 * `at(param)` is the refusal to throw, naming the caller's param; `reason` says which rule
 * refused, for the caller's own logic. The API words them in Stripe's "This promotion code cannot
 * be redeemed because …" form.
 */

export type RefusalReason =
  | 'coupon_deleted'
  | 'coupon_expired'
  | 'coupon_used_up'
  | 'coupon_currency'
  | 'code_inactive'
  | 'code_expired'
  | 'code_used_up'
  | 'code_customer'
  | 'code_first_time'
  | 'code_minimum_amount'
  | 'code_minimum_currency';

export interface Refusal {
  ok: false;
  reason: RefusalReason;
  /** The refusal, naming `param`. */
  at: (param: string) => AppError;
}

export type Redeemable = { ok: true } | Refusal;

const OK: Redeemable = { ok: true };

function refuse(reason: RefusalReason, at: (param: string) => AppError): Refusal {
  return { ok: false, reason, at };
}

export function checkCouponRedeemable(
  coupon: Stripe.Coupon | Stripe.DeletedCoupon,
  now: number,
  options: { currency?: string } = {},
): Redeemable {
  const id = coupon.id;
  if (coupon.deleted) {
    return refuse('coupon_deleted', (p) => fail('related_resource_missing', { kind: 'coupon', id }, p));
  }
  if (coupon.redeem_by !== null && now > coupon.redeem_by) {
    return refuse('coupon_expired', (p) => fail('coupon_expired', { coupon: id }, p));
  }
  if (coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions) {
    return refuse('coupon_used_up', (p) => fail('coupon_used_up', { coupon: id }, p));
  }
  const currency = options.currency?.toLowerCase();
  if (currency !== undefined && coupon.amount_off !== null && amountOffIn(coupon, currency) === null) {
    const couponCurrency = String(coupon.currency);
    return refuse('coupon_currency', (p) =>
      fail('coupon_currency_mismatch', { coupon: id, couponCurrency, currency }, p),
    );
  }
  return OK;
}

export interface PromotionCodeContext {
  now: number;
  /** The customer redeeming, or null when there is none yet. */
  customerId: string | null;
  /** The amount the code would discount, in minor units, for `minimum_amount`. */
  amount: number;
  currency: string;
  /** True when the customer has no successful payment or paid invoice yet. */
  isFirstTimeTransaction: boolean;
}

function customerId(customer: Stripe.PromotionCode['customer']): string | null {
  if (customer === null) return null;
  return typeof customer === 'string' ? customer : customer.id;
}

/** The code's minimum amount in `currency`, or 'other-currency' when it has one only elsewhere. */
function minimumIn(
  restrictions: Stripe.PromotionCode.Restrictions,
  currency: string,
): number | null | 'other-currency' {
  const option = restrictions.currency_options?.[currency];
  if (option) return option.minimum_amount;
  if (restrictions.minimum_amount === null) return null;
  return restrictions.minimum_amount_currency?.toLowerCase() === currency
    ? restrictions.minimum_amount
    : 'other-currency';
}

export function checkPromotionCodeRedeemable(
  promotionCode: Stripe.PromotionCode,
  coupon: Stripe.Coupon | Stripe.DeletedCoupon,
  context: PromotionCodeContext,
): Redeemable {
  const { now } = context;
  const currency = context.currency.toLowerCase();
  if (!promotionCode.active) return refuse('code_inactive', (p) => fail('promotion_code_inactive', {}, p));
  if (promotionCode.expires_at !== null && now >= promotionCode.expires_at) {
    return refuse('code_expired', (p) => fail('promotion_code_expired', {}, p));
  }
  if (
    promotionCode.max_redemptions !== null &&
    promotionCode.times_redeemed >= promotionCode.max_redemptions
  ) {
    return refuse('code_used_up', (p) => fail('promotion_code_used_up', {}, p));
  }
  const couponCheck = checkCouponRedeemable(coupon, now, { currency });
  if (!couponCheck.ok) return couponCheck;
  const restrictedTo = customerId(promotionCode.customer);
  if (restrictedTo !== null && restrictedTo !== context.customerId) {
    return refuse('code_customer', (p) => fail('promotion_code_customer_restricted', {}, p));
  }
  const { restrictions } = promotionCode;
  if (restrictions.first_time_transaction && !context.isFirstTimeTransaction) {
    return refuse('code_first_time', (p) => fail('promotion_code_first_time_only', {}, p));
  }
  const minimum = minimumIn(restrictions, currency);
  if (minimum === 'other-currency') {
    const minimumCurrency = String(restrictions.minimum_amount_currency);
    return refuse('code_minimum_currency', (p) =>
      fail('promotion_code_minimum_currency', { minimumCurrency, currency }, p),
    );
  }
  if (minimum !== null && context.amount < minimum) {
    return refuse('code_minimum_amount', (p) => fail('promotion_code_minimum_not_met', {}, p));
  }
  return OK;
}
