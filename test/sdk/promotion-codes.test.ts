import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('promotion codes through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let coupon: Stripe.Coupon;
  const future = Math.floor(Date.now() / 1000) + 86_400;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    coupon = await stripe.coupons.create({ id: 'TENOFF', percent_off: 10, redeem_by: future + 3600 });
  });
  after(() => server.close());

  test('create with every field, retrieve, expand the coupon and the customer', async () => {
    const customer = await stripe.customers.create({ email: 'vip@example.com' });
    const code = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'Spring24',
      customer: customer.id,
      expires_at: future,
      max_redemptions: 5,
      metadata: { channel: 'email' },
      restrictions: { first_time_transaction: true, minimum_amount: 1000, minimum_amount_currency: 'USD' },
    });
    assert.match(code.id, /^promo_/);
    assert.equal(code.code, 'Spring24');
    assert.equal(code.active, true);
    assert.deepEqual(code.promotion, { type: 'coupon', coupon: 'TENOFF' });
    assert.deepEqual(code.restrictions, {
      first_time_transaction: true,
      minimum_amount: 1000,
      minimum_amount_currency: 'usd',
    });
    assert.equal(code.customer_account, null);
    const expanded = await stripe.promotionCodes.retrieve(code.id, {
      expand: ['promotion.coupon', 'customer'],
    });
    assert.equal((expanded.promotion.coupon as Stripe.Coupon).percent_off, 10);
    assert.equal((expanded.customer as Stripe.Customer).email, 'vip@example.com');
  });

  test('codes are unique among active codes whatever their case; a generated code when none is given', async () => {
    const first = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'SAVE',
    });
    const clash = await stripeError(
      stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: 'save' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(clash.param, 'code');
    await stripe.promotionCodes.update(first.id, { active: false });
    const second = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'save',
    });
    const reactivate = await stripeError(
      stripe.promotionCodes.update(first.id, { active: true }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(reactivate.param, 'code');
    const byCode = await stripe.promotionCodes.list({ code: 'SAVE' });
    assert.deepEqual(
      byCode.data.map((c) => c.id),
      [second.id, first.id],
    );
    assert.deepEqual(
      (await stripe.promotionCodes.list({ code: 'SAVE', active: true })).data.map((c) => c.id),
      [second.id],
    );
    const generated = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
    });
    assert.match(generated.code, /^[A-Z0-9]{8}$/);
    const types = (await stripe.events.list({ type: 'promotion_code.*', limit: 2 })).data.map((e) => e.type);
    assert.deepEqual(types, ['promotion_code.created', 'promotion_code.created']);
  });

  test('list by coupon and by customer', async () => {
    const other = await stripe.coupons.create({ amount_off: 100, currency: 'usd' });
    const customer = await stripe.customers.create({});
    const mine = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: other.id },
      customer: customer.id,
    });
    assert.deepEqual(
      (await stripe.promotionCodes.list({ coupon: other.id })).data.map((c) => c.id),
      [mine.id],
    );
    assert.deepEqual(
      (await stripe.promotionCodes.list({ customer: customer.id })).data.map((c) => c.id),
      [mine.id],
    );
  });

  test('bad input names its param and writes nothing', async () => {
    const before = (await stripe.promotionCodes.list({ limit: 100 })).data.length;
    const cases: [Stripe.PromotionCodeCreateParams, string, string?][] = [
      [{ promotion: { type: 'coupon', coupon: 'missing' } }, 'promotion[coupon]', 'resource_missing'],
      [{ promotion: { type: 'coupon' } }, 'promotion[coupon]', 'parameter_missing'],
      [{ promotion: { type: 'coupon', coupon: coupon.id }, code: 'has space' }, 'code'],
      [
        { promotion: { type: 'coupon', coupon: coupon.id }, customer: 'cus_missing' },
        'customer',
        'resource_missing',
      ],
      [{ promotion: { type: 'coupon', coupon: coupon.id }, expires_at: 1000 }, 'expires_at'],
      [{ promotion: { type: 'coupon', coupon: coupon.id }, expires_at: future + 7200 }, 'expires_at'],
      [
        { promotion: { type: 'coupon', coupon: coupon.id }, restrictions: { minimum_amount: 10 } },
        'restrictions[minimum_amount_currency]',
      ],
      [{ promotion: { type: 'coupon', coupon: coupon.id }, customer_account: 'acct_x' }, 'customer_account'],
    ];
    for (const [params, param, code] of cases) {
      const error = await stripeError(stripe.promotionCodes.create(params), E.StripeInvalidRequestError, 400);
      assert.equal(error.param, param, JSON.stringify(params));
      if (code) assert.equal(error.code, code, JSON.stringify(params));
    }
    const missing = await stripeError(
      stripe.promotionCodes.create({} as Stripe.PromotionCodeCreateParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.param, 'promotion');
    assert.equal((await stripe.promotionCodes.list({ limit: 100 })).data.length, before);
  });

  test('minimum amounts in other currencies: set on create, added on update, checked', async () => {
    const code = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      restrictions: {
        minimum_amount: 5000,
        minimum_amount_currency: 'USD',
        currency_options: { EUR: { minimum_amount: 4500 } },
      },
    });
    assert.equal(code.restrictions.minimum_amount_currency, 'usd');
    assert.deepEqual(code.restrictions.currency_options, { eur: { minimum_amount: 4500 } });
    const updated = await stripe.promotionCodes.update(code.id, {
      restrictions: { currency_options: { gbp: { minimum_amount: 4000 }, eur: { minimum_amount: 4600 } } },
    });
    assert.deepEqual(updated.restrictions.currency_options, {
      eur: { minimum_amount: 4600 },
      gbp: { minimum_amount: 4000 },
    });
    const own = await stripeError(
      stripe.promotionCodes.update(code.id, {
        restrictions: { currency_options: { usd: { minimum_amount: 1 } } },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(own.param, 'restrictions[currency_options][usd]');
    const bare = await stripeError(
      stripe.promotionCodes.create({
        promotion: { type: 'coupon', coupon: coupon.id },
        restrictions: { currency_options: { eur: { minimum_amount: 1 } } },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(bare.param, 'restrictions[currency_options]');
    const unknown = await stripeError(
      stripe.promotionCodes.create({
        promotion: { type: 'coupon', coupon: coupon.id },
        restrictions: { minimum_amount: 1, minimum_amount_currency: 'zzz' },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(unknown.param, 'restrictions[minimum_amount_currency]');
  });
});
