import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  type RenewalDiscount,
  type RenewalInput,
  renewalAmountDue,
} from '../../src/billing/math/renewal-amount.ts';

const at = (iso: string) => Date.parse(`${iso}T00:00:00Z`) / 1000;
const PERIOD = at('2027-02-15');

type Coupon = RenewalDiscount['coupon'];
const forever = (percent_off: number, products?: string[]): Coupon => ({
  percent_off,
  amount_off: null,
  currency: null,
  duration: 'forever',
  duration_in_months: null,
  ...(products ? { applies_to: { products } } : {}),
});
const off = (amount_off: number, currency = 'usd'): Coupon => ({
  percent_off: null,
  amount_off,
  currency,
  duration: 'forever',
  duration_in_months: null,
});
const repeating = (percent_off: number, months: number): Coupon => ({
  ...forever(percent_off),
  duration: 'repeating',
  duration_in_months: months,
});
const once = (percent_off: number): Coupon => ({ ...forever(percent_off), duration: 'once' });

const discount = (coupon: Coupon, start = at('2027-01-15'), id = 'di_1'): RenewalDiscount => ({
  id,
  coupon,
  start,
});

const basic = { amount: 500, product: 'prod_basic' };

describe('renewalAmountDue: what the invoice starting a held change asks for', () => {
  const cases: [string, Partial<RenewalInput>, number][] = [
    ['no discount', {}, 500],
    ['20% off forever', { discounts: [discount(forever(20))] }, 400],
    ['$2.00 off', { discounts: [discount(off(200))] }, 300],
    ['an amount off larger than the invoice leaves nothing due', { discounts: [discount(off(900))] }, 0],
    [
      'an amount off in another currency without an option does not apply',
      { discounts: [discount(off(200, 'eur'))] },
      500,
    ],
    [
      'a coupon for another product does not apply',
      { discounts: [discount(forever(50, ['prod_pro']))] },
      500,
    ],
    ['a coupon for this product applies', { discounts: [discount(forever(50, ['prod_basic']))] }, 250],
    [
      '3 months from Jan 15 still cover the period from Feb 15',
      { discounts: [discount(repeating(10, 3))] },
      450,
    ],
    [
      'a repeating coupon whose months are over by then does not apply',
      { discounts: [discount(repeating(10, 1))] },
      500,
    ],
    [
      'a repeating coupon the change brings starts with the period',
      { discounts: [discount(repeating(10, 1), PERIOD)] },
      450,
    ],
    ['a once coupon still attached discounts this invoice', { discounts: [discount(once(50))] }, 250],
    [
      'several discounts apply in order, each to what is left',
      { discounts: [discount(forever(20)), discount(off(100), undefined, 'di_2')] },
      300,
    ],
    ['credit the customer holds lowers the amount due', { balance: -150 }, 350],
    ['credit beyond the total leaves nothing due', { balance: -800 }, 0],
    ['money the customer owes is added', { balance: 100 }, 600],
    ['after the discount, then credit', { discounts: [discount(forever(20))], balance: -100 }, 300],
    [
      'every item of the next period counts (several items)',
      { lines: [basic, { amount: 1000, product: 'prod_seats' }], discounts: [discount(forever(10))] },
      1350,
    ],
  ];
  for (const [name, input, expected] of cases) {
    test(name, () => {
      const amount = renewalAmountDue({
        lines: [basic],
        discounts: [],
        currency: 'usd',
        periodStart: PERIOD,
        balance: 0,
        ...input,
      });
      assert.equal(amount, expected);
    });
  }
});
