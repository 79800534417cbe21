import type Stripe from 'stripe';
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
 * `code` is the Stripe error code for the refusal where Stripe has one (`resource_missing`,
 * `coupon_expired`), otherwise null; `reason` says which rule refused, for the caller's own logic.
 * Messages follow Stripe's "This promotion code cannot be redeemed because …" form.
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
  code: string | null;
  message: string;
}

export type Redeemable = { ok: true } | Refusal;

const OK: Redeemable = { ok: true };

function refuse(reason: RefusalReason, message: string, code: string | null = null): Refusal {
  return { ok: false, reason, code, message };
}

const cannot = (because: string) => `This promotion code cannot be redeemed because ${because}.`;

export function checkCouponRedeemable(
  coupon: Stripe.Coupon | Stripe.DeletedCoupon,
  now: number,
  options: { currency?: string } = {},
): Redeemable {
  if (coupon.deleted) return refuse('coupon_deleted', `No such coupon: '${coupon.id}'`, 'resource_missing');
  if (coupon.redeem_by !== null && now > coupon.redeem_by) {
    return refuse('coupon_expired', `Coupon expired: ${coupon.id}`, 'coupon_expired');
  }
  if (coupon.max_redemptions !== null && coupon.times_redeemed >= coupon.max_redemptions) {
    return refuse('coupon_used_up', `Coupon expired: ${coupon.id}`, 'coupon_expired');
  }
  const currency = options.currency?.toLowerCase();
  if (currency !== undefined && coupon.amount_off !== null && amountOffIn(coupon, currency) === null) {
    return refuse(
      'coupon_currency',
      `Coupon ${coupon.id} is in ${coupon.currency} and cannot be applied to an amount in ${currency}.`,
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
  if (!promotionCode.active) return refuse('code_inactive', cannot('it is inactive'));
  if (promotionCode.expires_at !== null && now >= promotionCode.expires_at) {
    return refuse('code_expired', cannot('it has expired'));
  }
  if (
    promotionCode.max_redemptions !== null &&
    promotionCode.times_redeemed >= promotionCode.max_redemptions
  ) {
    return refuse('code_used_up', cannot('it has been used the maximum number of times'));
  }
  const couponCheck = checkCouponRedeemable(coupon, now, { currency });
  if (!couponCheck.ok) return couponCheck;
  const restrictedTo = customerId(promotionCode.customer);
  if (restrictedTo !== null && restrictedTo !== context.customerId) {
    return refuse('code_customer', cannot('it is restricted to another customer'));
  }
  const { restrictions } = promotionCode;
  if (restrictions.first_time_transaction && !context.isFirstTimeTransaction) {
    return refuse('code_first_time', cannot('the associated customer has prior transactions'));
  }
  const minimum = minimumIn(restrictions, currency);
  if (minimum === 'other-currency') {
    return refuse(
      'code_minimum_currency',
      cannot(
        `its minimum amount is in ${restrictions.minimum_amount_currency} and the purchase is in ${currency}`,
      ),
    );
  }
  if (minimum !== null && context.amount < minimum) {
    return refuse(
      'code_minimum_amount',
      cannot('the associated purchase does not meet the minimum amount requirement'),
    );
  }
  return OK;
}
