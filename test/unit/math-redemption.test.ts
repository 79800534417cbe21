import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Stripe from 'stripe';
import {
  checkCouponRedeemable,
  checkPromotionCodeRedeemable,
  type PromotionCodeContext,
  type Redeemable,
} from '../../src/billing/math/redemption.ts';
import { asWire } from '../support/refusal.ts';

const NOW = 1_800_000_000;

function coupon(overrides: Partial<Stripe.Coupon> = {}): Stripe.Coupon {
  return {
    id: 'SPRING',
    object: 'coupon',
    amount_off: null,
    created: NOW - 86_400,
    currency: null,
    duration: 'once',
    duration_in_months: null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    name: null,
    percent_off: 20,
    redeem_by: null,
    times_redeemed: 0,
    valid: true,
    ...overrides,
  };
}

function promotionCode(
  overrides: Partial<Stripe.PromotionCode> = {},
  restrictions: Partial<Stripe.PromotionCode.Restrictions> = {},
): Stripe.PromotionCode {
  return {
    id: 'promo_1',
    object: 'promotion_code',
    active: true,
    code: 'SPRING20',
    created: NOW - 3600,
    customer: null,
    customer_account: null,
    expires_at: null,
    livemode: false,
    max_redemptions: null,
    metadata: {},
    promotion: { type: 'coupon', coupon: 'SPRING' },
    times_redeemed: 0,
    ...overrides,
    restrictions: {
      first_time_transaction: false,
      minimum_amount: null,
      minimum_amount_currency: null,
      ...restrictions,
    },
  };
}

const context = (overrides: Partial<PromotionCodeContext> = {}): PromotionCodeContext => ({
  now: NOW,
  customerId: 'cus_1',
  amount: 5000,
  currency: 'usd',
  isFirstTimeTransaction: true,
  ...overrides,
});

/** ok, or [reason, code, message]. */
const outcome = (r: Redeemable) => {
  if (r.ok) return 'ok';
  const wire = asWire(r.at('coupon'))!;
  return [r.reason, wire.body.code ?? null, wire.body.message];
};

describe('checkCouponRedeemable', () => {
  const deleted: Stripe.DeletedCoupon = { id: 'GONE', object: 'coupon', deleted: true };
  const cases: [
    string,
    Stripe.Coupon | Stripe.DeletedCoupon,
    string | undefined,
    ReturnType<typeof outcome>,
  ][] = [
    ['a plain coupon', coupon(), undefined, 'ok'],
    ['deleted', deleted, undefined, ['coupon_deleted', 'resource_missing', "No such coupon: 'GONE'"]],
    ['redeem_by is the last moment', coupon({ redeem_by: NOW }), undefined, 'ok'],
    [
      'redeem_by has passed',
      coupon({ redeem_by: NOW - 1 }),
      undefined,
      ['coupon_expired', 'coupon_expired', 'Coupon expired: SPRING'],
    ],
    [
      'max_redemptions reached',
      coupon({ max_redemptions: 3, times_redeemed: 3 }),
      undefined,
      ['coupon_used_up', 'coupon_expired', 'Coupon expired: SPRING'],
    ],
    ['one redemption left', coupon({ max_redemptions: 3, times_redeemed: 2 }), undefined, 'ok'],
    [
      'amount_off in the same currency',
      coupon({ percent_off: null, amount_off: 500, currency: 'usd' }),
      'USD',
      'ok',
    ],
    [
      'amount_off in another currency',
      coupon({ percent_off: null, amount_off: 500, currency: 'eur' }),
      'usd',
      ['coupon_currency', null, 'Coupon SPRING is in eur and cannot be applied to an amount in usd.'],
    ],
    [
      'amount_off with a currency option',
      coupon({
        percent_off: null,
        amount_off: 500,
        currency: 'eur',
        currency_options: { usd: { amount_off: 550 } },
      }),
      'usd',
      'ok',
    ],
    ['percent_off fits any currency', coupon(), 'jpy', 'ok'],
  ];
  for (const [name, c, currency, expected] of cases) {
    test(name, () =>
      assert.deepEqual(outcome(checkCouponRedeemable(c, NOW, currency ? { currency } : {})), expected),
    );
  }
});

describe('checkPromotionCodeRedeemable', () => {
  const because = (text: string) => `This promotion code cannot be redeemed because ${text}.`;
  const cases: [
    string,
    Stripe.PromotionCode,
    Stripe.Coupon | Stripe.DeletedCoupon,
    PromotionCodeContext,
    ReturnType<typeof outcome>,
  ][] = [
    ['an unrestricted code', promotionCode(), coupon(), context(), 'ok'],
    [
      'inactive',
      promotionCode({ active: false }),
      coupon(),
      context(),
      ['code_inactive', null, because('it is inactive')],
    ],
    [
      'expires_at reached',
      promotionCode({ expires_at: NOW }),
      coupon(),
      context(),
      ['code_expired', null, because('it has expired')],
    ],
    ['expires_at still ahead', promotionCode({ expires_at: NOW + 1 }), coupon(), context(), 'ok'],
    [
      'max_redemptions reached',
      promotionCode({ max_redemptions: 1, times_redeemed: 1 }),
      coupon(),
      context(),
      ['code_used_up', null, because('it has been used the maximum number of times')],
    ],
    [
      'its coupon has expired',
      promotionCode(),
      coupon({ redeem_by: NOW - 10 }),
      context(),
      ['coupon_expired', 'coupon_expired', 'Coupon expired: SPRING'],
    ],
    [
      'its coupon was deleted',
      promotionCode(),
      { id: 'SPRING', object: 'coupon', deleted: true },
      context(),
      ['coupon_deleted', 'resource_missing', "No such coupon: 'SPRING'"],
    ],
    [
      'its amount_off coupon is in another currency',
      promotionCode(),
      coupon({ percent_off: null, amount_off: 1000, currency: 'gbp' }),
      context(),
      ['coupon_currency', null, 'Coupon SPRING is in gbp and cannot be applied to an amount in usd.'],
    ],
    ['restricted to this customer', promotionCode({ customer: 'cus_1' }), coupon(), context(), 'ok'],
    [
      'restricted to another customer',
      promotionCode({ customer: 'cus_2' }),
      coupon(),
      context(),
      ['code_customer', null, because('it is restricted to another customer')],
    ],
    [
      'restricted to a customer, redeemed without one',
      promotionCode({ customer: 'cus_2' }),
      coupon(),
      context({ customerId: null }),
      ['code_customer', null, because('it is restricted to another customer')],
    ],
    [
      'first-time only, customer has paid before',
      promotionCode({}, { first_time_transaction: true }),
      coupon(),
      context({ isFirstTimeTransaction: false }),
      ['code_first_time', null, because('the associated customer has prior transactions')],
    ],
    [
      'first-time only, a new customer',
      promotionCode({}, { first_time_transaction: true }),
      coupon(),
      context(),
      'ok',
    ],
    [
      'minimum 100.00, purchase 50.00',
      promotionCode({}, { minimum_amount: 10_000, minimum_amount_currency: 'usd' }),
      coupon(),
      context({ amount: 5000 }),
      [
        'code_minimum_amount',
        null,
        because('the associated purchase does not meet the minimum amount requirement'),
      ],
    ],
    [
      'minimum 100.00, purchase exactly 100.00',
      promotionCode({}, { minimum_amount: 10_000, minimum_amount_currency: 'usd' }),
      coupon(),
      context({ amount: 10_000 }),
      'ok',
    ],
    [
      'minimum in usd, purchase in eur',
      promotionCode({}, { minimum_amount: 10_000, minimum_amount_currency: 'usd' }),
      coupon(),
      context({ currency: 'eur', amount: 20_000 }),
      ['code_minimum_currency', null, because('its minimum amount is in usd and the purchase is in eur')],
    ],
    [
      'minimum with a currency option for eur',
      promotionCode(
        {},
        {
          minimum_amount: 10_000,
          minimum_amount_currency: 'usd',
          currency_options: { eur: { minimum_amount: 9000 } },
        },
      ),
      coupon(),
      context({ currency: 'eur', amount: 9000 }),
      'ok',
    ],
    [
      'inactive wins over every other refusal',
      promotionCode(
        { active: false, expires_at: NOW - 1, customer: 'cus_9' },
        { first_time_transaction: true, minimum_amount: 1_000_000, minimum_amount_currency: 'usd' },
      ),
      coupon({ redeem_by: NOW - 1 }),
      context({ isFirstTimeTransaction: false }),
      ['code_inactive', null, because('it is inactive')],
    ],
  ];
  for (const [name, code, c, ctx, expected] of cases) {
    test(name, () => assert.deepEqual(outcome(checkPromotionCodeRedeemable(code, c, ctx)), expected));
  }

  test('an expanded customer is compared by id', () => {
    const customer = { id: 'cus_1', object: 'customer', deleted: true } as Stripe.DeletedCustomer;
    assert.equal(checkPromotionCodeRedeemable(promotionCode({ customer }), coupon(), context()).ok, true);
  });
});
