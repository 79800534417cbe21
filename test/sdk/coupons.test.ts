import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { fixedClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('coupons through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  const future = Math.floor(Date.now() / 1000) + 86_400;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test('percent and amount coupons with their defaults', async () => {
    const percent = await stripe.coupons.create({ percent_off: 25.5, name: 'Quarter' });
    assert.match(percent.id, /^[A-Za-z0-9]{22,}$/);
    assert.equal(percent.object, 'coupon');
    assert.equal(percent.percent_off, 25.5);
    assert.equal(percent.amount_off, null);
    assert.equal(percent.currency, null);
    assert.equal(percent.duration, 'once');
    assert.equal(percent.times_redeemed, 0);
    assert.equal(percent.valid, true);
    const amount = await stripe.coupons.create({
      amount_off: 500,
      currency: 'EUR',
      duration: 'repeating',
      duration_in_months: 3,
      max_redemptions: 10,
      redeem_by: future,
      metadata: { campaign: 'spring' },
    });
    assert.equal(amount.currency, 'eur');
    assert.equal(amount.duration_in_months, 3);
    assert.equal(amount.redeem_by, future);
    assert.deepEqual(await stripe.coupons.retrieve(amount.id), amount);
    const listed = await stripe.coupons.list();
    assert.deepEqual(
      listed.data.map((c) => c.id),
      [amount.id, percent.id],
    );
  });

  test('custom ids, applies_to products, update, delete and events', async () => {
    const product = await stripe.products.create({ name: 'Pro' });
    const coupon = await stripe.coupons.create({
      id: 'WELCOME10',
      percent_off: 10,
      duration: 'forever',
      applies_to: { products: [product.id] },
    });
    assert.equal(coupon.id, 'WELCOME10');
    assert.deepEqual(coupon.applies_to, { products: [product.id] });
    const expanded = await stripe.coupons.retrieve('WELCOME10', { expand: ['applies_to'] });
    assert.deepEqual(expanded.applies_to, { products: [product.id] });
    const taken = await stripeError(
      stripe.coupons.create({ id: 'WELCOME10', percent_off: 5 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(taken.code, 'resource_already_exists');

    const updated = await stripe.coupons.update('WELCOME10', {
      name: 'Welcome',
      metadata: { source: 'ads' },
    });
    assert.equal(updated.name, 'Welcome');
    assert.deepEqual(updated.metadata, { source: 'ads' });
    assert.deepEqual(await stripe.coupons.del('WELCOME10'), {
      id: 'WELCOME10',
      object: 'coupon',
      deleted: true,
    });
    await stripeError(stripe.coupons.retrieve('WELCOME10'), E.StripeInvalidRequestError, 404);
    const types = (await stripe.events.list({ type: 'coupon.*', limit: 3 })).data.map((e) => e.type);
    assert.deepEqual(types, ['coupon.deleted', 'coupon.updated', 'coupon.created']);
  });

  test('the rules of a discount, each naming its param; nothing written', async () => {
    const before = (await stripe.coupons.list({ limit: 100 })).data.length;
    const cases: [Stripe.CouponCreateParams, string, string?][] = [
      [{}, 'percent_off'],
      [{ percent_off: 10, amount_off: 100, currency: 'usd' }, 'percent_off', 'parameters_exclusive'],
      [{ percent_off: 0 }, 'percent_off'],
      [{ percent_off: 100.5 }, 'percent_off'],
      [{ amount_off: 100 }, 'currency'],
      [{ amount_off: 0, currency: 'usd' }, 'amount_off'],
      [{ percent_off: 10, currency: 'usd' }, 'currency'],
      [{ percent_off: 10, duration: 'repeating' }, 'duration_in_months'],
      [{ percent_off: 10, duration: 'forever', duration_in_months: 2 }, 'duration_in_months'],
      [{ percent_off: 10, redeem_by: 1_000 }, 'redeem_by'],
      [
        { percent_off: 10, applies_to: { products: ['prod_missing'] } },
        'applies_to[products][0]',
        'resource_missing',
      ],
      [{ percent_off: 10, duration: 'sometimes' as 'once' }, 'duration'],
    ];
    for (const [params, param, code] of cases) {
      const error = await stripeError(stripe.coupons.create(params), E.StripeInvalidRequestError, 400);
      assert.equal(error.param, param, JSON.stringify(params));
      if (code) assert.equal(error.code, code, JSON.stringify(params));
    }
    assert.equal((await stripe.coupons.list({ limit: 100 })).data.length, before);
  });

  test('amount_off in other currencies: on create, added on update, only for amount coupons', async () => {
    const coupon = await stripe.coupons.create({
      amount_off: 1000,
      currency: 'usd',
      currency_options: { EUR: { amount_off: 900 }, jpy: { amount_off: 1500 } },
    });
    assert.deepEqual(coupon.currency_options, { eur: { amount_off: 900 }, jpy: { amount_off: 1500 } });
    const updated = await stripe.coupons.update(coupon.id, {
      currency_options: { gbp: { amount_off: 800 } },
    });
    assert.deepEqual(updated.currency_options, {
      eur: { amount_off: 900 },
      gbp: { amount_off: 800 },
      jpy: { amount_off: 1500 },
    });
    assert.deepEqual(
      (await stripe.coupons.retrieve(coupon.id, { expand: ['currency_options'] })).currency_options,
      updated.currency_options,
    );
    const refusals: [Stripe.CouponCreateParams, string][] = [
      [{ percent_off: 10, currency_options: { eur: { amount_off: 1 } } }, 'currency_options'],
      [
        { amount_off: 1, currency: 'usd', currency_options: { usd: { amount_off: 1 } } },
        'currency_options[usd]',
      ],
      [
        { amount_off: 1, currency: 'usd', currency_options: { qqq: { amount_off: 1 } } },
        'currency_options[qqq]',
      ],
      [
        { amount_off: 1, currency: 'usd', currency_options: { eur: { amount_off: 0 } } },
        'currency_options[eur][amount_off]',
      ],
      [{ amount_off: 1, currency: 'abc' }, 'currency'],
    ];
    for (const [params, param] of refusals) {
      const error = await stripeError(stripe.coupons.create(params), E.StripeInvalidRequestError, 400);
      assert.equal(error.param, param, JSON.stringify(params));
    }
  });
});

describe('a coupon past its redeem_by', () => {
  const clock = fixedClock(1_800_000_000);
  let server: TestServer;
  before(async () => {
    server = await startServer({ clock });
  });
  after(() => server.close());

  test('is no longer valid, in retrieve and in list', async () => {
    const stripe = server.stripe();
    const coupon = await stripe.coupons.create({ percent_off: 5, redeem_by: 1_800_000_100 });
    assert.equal(coupon.valid, true);
    clock.advance(200);
    assert.equal((await stripe.coupons.retrieve(coupon.id)).valid, false);
    assert.equal((await stripe.coupons.list()).data[0]!.valid, false);
  });
});
