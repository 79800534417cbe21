import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** The SDK reads decimal strings into its Decimal class; compare their text. */
const text = (d: unknown) => (d === null || d === undefined ? d : String(d));

describe('prices through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let product: Stripe.Product;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    product = await stripe.products.create({ name: 'Pro' });
  });
  after(() => server.close());

  async function refused(params: Stripe.PriceCreateParams, param: string, code?: string) {
    const error = await stripeError(stripe.prices.create(params), E.StripeInvalidRequestError, 400);
    assert.equal(error.param, param, error.message);
    if (code) assert.equal(error.code, code);
    return error;
  }

  test('a recurring per-unit price with every default, retrieved and listed', async () => {
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'USD',
      unit_amount: 1500,
      recurring: { interval: 'month' },
      nickname: 'Monthly',
      metadata: { plan: 'pro' },
    });
    assert.match(price.id, /^price_[A-Za-z0-9]{29}$/);
    assert.equal(price.object, 'price');
    assert.equal(price.currency, 'usd');
    assert.equal(price.unit_amount, 1500);
    assert.equal(text(price.unit_amount_decimal), '1500');
    assert.equal(price.billing_scheme, 'per_unit');
    assert.equal(price.type, 'recurring');
    assert.deepEqual(price.recurring, {
      interval: 'month',
      interval_count: 1,
      meter: null,
      trial_period_days: null,
      usage_type: 'licensed',
    });
    assert.equal(price.tax_behavior, 'unspecified');
    assert.equal(price.tiers_mode, null);
    assert.equal(price.transform_quantity, null);
    assert.equal(price.custom_unit_amount, null);
    assert.equal(price.lookup_key, null);
    assert.equal(price.active, true);
    assert.equal(price.livemode, false);
    assert.equal(price.product, product.id);
    assert.deepEqual(price.metadata, { plan: 'pro' });
    const again = await stripe.prices.retrieve(price.id);
    assert.equal(again.id, price.id);
    assert.equal(again.unit_amount, 1500);
    const expanded = await stripe.prices.retrieve(price.id, { expand: ['product'] });
    assert.equal((expanded.product as Stripe.Product).name, 'Pro');
    const created = await stripe.events.list({ type: 'price.created', limit: 1 });
    assert.equal((created.data[0]!.data.object as Stripe.Price).id, price.id);
  });

  test('one-time prices, sub-minor-unit decimals and zero-decimal currencies', async () => {
    const oneTime = await stripe.prices.create({ product: product.id, currency: 'jpy', unit_amount: 1200 });
    assert.equal(oneTime.type, 'one_time');
    assert.equal(oneTime.recurring, null);
    const decimal = await stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount_decimal: '0.50' as unknown as Stripe.Decimal,
    });
    assert.equal(decimal.unit_amount, null, 'no whole minor unit amount');
    assert.equal(text(decimal.unit_amount_decimal), '0.5');
    const whole = await stripe.prices.create({
      product: product.id,
      currency: 'kwd',
      unit_amount_decimal: '1250.000' as unknown as Stripe.Decimal,
    });
    assert.equal(whole.unit_amount, 1250, 'a whole decimal also fills unit_amount');
  });

  test('currencies: unsupported codes are refused; every case is folded to lower case', async () => {
    await refused({ product: product.id, currency: 'xyz', unit_amount: 100 }, 'currency');
    await refused({ product: product.id, currency: 'usdd', unit_amount: 100 }, 'currency');
    const upper = await stripe.prices.create({ product: product.id, currency: 'BHD', unit_amount: 1000 });
    assert.equal(upper.currency, 'bhd');
  });

  test('tiered prices: graduated and volume, tiers shown with up_to null for the last', async () => {
    const graduated = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      recurring: { interval: 'month' },
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 5, unit_amount: 1000, flat_amount: 500 },
        { up_to: 10, unit_amount_decimal: '750.5' as unknown as Stripe.Decimal },
        { up_to: 'inf', unit_amount: 500 },
      ],
    });
    assert.equal(graduated.billing_scheme, 'tiered');
    assert.equal(graduated.tiers_mode, 'graduated');
    assert.equal(graduated.unit_amount, null);
    assert.equal(graduated.unit_amount_decimal, null);
    const tiers = graduated.tiers!.map((t) => ({
      ...t,
      unit_amount_decimal: text(t.unit_amount_decimal),
      flat_amount_decimal: text(t.flat_amount_decimal),
    }));
    assert.deepEqual(tiers, [
      {
        up_to: 5,
        unit_amount: 1000,
        unit_amount_decimal: '1000',
        flat_amount: 500,
        flat_amount_decimal: '500',
      },
      {
        up_to: 10,
        unit_amount: null,
        unit_amount_decimal: '750.5',
        flat_amount: null,
        flat_amount_decimal: null,
      },
      {
        up_to: null,
        unit_amount: 500,
        unit_amount_decimal: '500',
        flat_amount: null,
        flat_amount_decimal: null,
      },
    ]);
    const retrieved = await stripe.prices.retrieve(graduated.id, { expand: ['tiers'] });
    assert.equal(retrieved.tiers!.length, 3);
    const volume = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      recurring: { interval: 'year' },
      billing_scheme: 'tiered',
      tiers_mode: 'volume',
      tiers: [{ up_to: 'inf', flat_amount: 9900 }],
    });
    assert.equal(volume.tiers_mode, 'volume');
  });

  test('tier rules, each refusal naming its param', async () => {
    const base = {
      product: product.id,
      currency: 'usd',
      billing_scheme: 'tiered' as const,
      tiers_mode: 'graduated' as const,
    };
    await refused({ ...base, tiers: [{ up_to: 5 }, { up_to: 'inf', unit_amount: 1 }] }, 'tiers[0]');
    await refused(
      {
        ...base,
        tiers: [
          { up_to: 5, unit_amount: 1 },
          { up_to: 10, unit_amount: 1 },
        ],
      },
      'tiers[1][up_to]',
    );
    await refused(
      {
        ...base,
        tiers: [
          { up_to: 'inf', unit_amount: 1 },
          { up_to: 10, unit_amount: 1 },
        ],
      },
      'tiers[0][up_to]',
    );
    await refused(
      {
        ...base,
        tiers: [
          { up_to: 10, unit_amount: 1 },
          { up_to: 10, unit_amount: 1 },
          { up_to: 'inf', unit_amount: 1 },
        ],
      },
      'tiers[1][up_to]',
    );
    await refused(
      {
        ...base,
        tiers: [{ up_to: 'inf', unit_amount: 1, unit_amount_decimal: '1' as unknown as Stripe.Decimal }],
      },
      'tiers[0][unit_amount]',
    );
    await refused(
      {
        product: product.id,
        currency: 'usd',
        billing_scheme: 'tiered',
        tiers: [{ up_to: 'inf', unit_amount: 1 }],
      },
      'tiers_mode',
    );
    await refused({ ...base }, 'tiers');
    await refused({ ...base, unit_amount: 100, tiers: [{ up_to: 'inf', unit_amount: 1 }] }, 'unit_amount');
    await refused(
      { product: product.id, currency: 'usd', unit_amount: 100, tiers: [{ up_to: 'inf', unit_amount: 1 }] },
      'tiers',
    );
    await refused(
      {
        ...base,
        tiers: [{ up_to: 'inf', unit_amount: 1 }],
        transform_quantity: { divide_by: 10, round: 'up' },
      },
      'transform_quantity',
    );
  });

  test('per-unit rules: one amount, exclusive fields, custom amounts for one-time prices only', async () => {
    await refused({ product: product.id, currency: 'usd' }, 'unit_amount');
    await refused(
      {
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        unit_amount_decimal: '1' as unknown as Stripe.Decimal,
      },
      'unit_amount',
    );
    await refused({ product: product.id, currency: 'usd', unit_amount: -1 }, 'unit_amount');
    await refused({ product: product.id, currency: 'usd', unit_amount: 1.5 as number }, 'unit_amount');
    await refused(
      {
        product: product.id,
        currency: 'usd',
        recurring: { interval: 'month' },
        custom_unit_amount: { enabled: true },
      },
      'custom_unit_amount',
    );
    await refused(
      {
        product: product.id,
        currency: 'usd',
        custom_unit_amount: { enabled: true, minimum: 500, maximum: 100 },
      },
      'custom_unit_amount[minimum]',
    );
    const custom = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      custom_unit_amount: { enabled: true, minimum: 100, preset: 500 },
    });
    assert.deepEqual(custom.custom_unit_amount, { maximum: null, minimum: 100, preset: 500 });
    assert.equal(custom.unit_amount, null);
  });

  test('recurring rules: at most three years; metered prices need a billing meter', async () => {
    await refused(
      {
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        recurring: { interval: 'month', interval_count: 37 },
      },
      'recurring[interval_count]',
    );
    await refused(
      {
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        recurring: { interval: 'year', interval_count: 4 },
      },
      'recurring[interval_count]',
    );
    await refused(
      {
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        recurring: { interval: 'fortnight' as 'week' },
      },
      'recurring[interval]',
    );
    await refused(
      {
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        recurring: { interval: 'month', usage_type: 'metered' },
      },
      'recurring[usage_type]',
    );
    const meter = await refused(
      {
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        recurring: { interval: 'month', usage_type: 'metered', meter: 'mtr_123' },
      },
      'recurring[meter]',
    );
    assert.equal(meter.code, 'resource_missing');
    const weekly = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1,
      recurring: { interval: 'week', interval_count: 156 },
    });
    assert.equal(weekly.recurring!.interval_count, 156);
  });

  test('transform_quantity is stored as given', async () => {
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      transform_quantity: { divide_by: 10, round: 'up' },
    });
    assert.deepEqual(price.transform_quantity, { divide_by: 10, round: 'up' });
    await refused(
      {
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        transform_quantity: { divide_by: 0, round: 'up' },
      },
      'transform_quantity[divide_by]',
    );
  });

  test('product or product_data: one of them, and product_data makes the product', async () => {
    await refused({ currency: 'usd', unit_amount: 1 }, 'product');
    const missing = await refused(
      { product: 'prod_nope', currency: 'usd', unit_amount: 1 },
      'product',
      'resource_missing',
    );
    assert.match(missing.message, /No such product: 'prod_nope'/);
    const both = await stripeError(
      stripe.prices.create({
        product: product.id,
        product_data: { name: 'X' },
        currency: 'usd',
        unit_amount: 1,
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(both.message, /product/);
    const before = (await stripe.products.list({ limit: 100 })).data.length;
    await refused({ product_data: { name: 'Never' }, currency: 'usd' }, 'unit_amount');
    assert.equal(
      (await stripe.products.list({ limit: 100 })).data.length,
      before,
      'a refused price leaves no product',
    );
    const price = await stripe.prices.create({
      product_data: { name: 'Add-on', unit_label: 'seat', metadata: { kind: 'addon' } },
      currency: 'usd',
      unit_amount: 300,
    });
    const made = await stripe.products.retrieve(price.product as string);
    assert.equal(made.name, 'Add-on');
    assert.equal(made.unit_label, 'seat');
    assert.deepEqual(made.metadata, { kind: 'addon' });
  });

  test('lookup keys: unique, transferable, cleared with an empty string, listed', async () => {
    const first = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 100,
      lookup_key: 'standard_monthly',
    });
    assert.equal(first.lookup_key, 'standard_monthly');
    const taken = await refused(
      { product: product.id, currency: 'usd', unit_amount: 200, lookup_key: 'standard_monthly' },
      'lookup_key',
    );
    assert.match(taken.message, new RegExp(first.id));
    const second = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 200,
      lookup_key: 'standard_monthly',
      transfer_lookup_key: true,
    });
    assert.equal((await stripe.prices.retrieve(first.id)).lookup_key, null, 'moved away from the first');
    const listed = await stripe.prices.list({ lookup_keys: ['standard_monthly'] });
    assert.deepEqual(
      listed.data.map((p) => p.id),
      [second.id],
    );
    const updated = await stripe.prices.update(first.id, { lookup_key: 'legacy' });
    assert.equal(updated.lookup_key, 'legacy');
    const moved = await stripe.prices.update(first.id, {
      lookup_key: 'standard_monthly',
      transfer_lookup_key: true,
    });
    assert.equal(moved.lookup_key, 'standard_monthly');
    assert.equal((await stripe.prices.retrieve(second.id)).lookup_key, null);
    const transferEvent = await stripe.events.list({ type: 'price.updated', limit: 2 });
    assert.deepEqual(
      transferEvent.data.map((e) => (e.data.object as Stripe.Price).id).sort(),
      [first.id, second.id].sort(),
    );
    const cleared = await stripe.prices.update(first.id, { lookup_key: '' as string });
    assert.equal(cleared.lookup_key, null);
  });

  test('update: active, nickname, metadata, tax_behavior set once; events carry previous_attributes', async () => {
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 100,
      nickname: 'A',
      metadata: { a: '1' },
    });
    const updated = await stripe.prices.update(price.id, {
      active: false,
      nickname: 'B',
      metadata: { a: '', b: '2' },
      tax_behavior: 'exclusive',
    });
    assert.equal(updated.active, false);
    assert.equal(updated.nickname, 'B');
    assert.deepEqual(updated.metadata, { b: '2' });
    assert.equal(updated.tax_behavior, 'exclusive');
    const event = (await stripe.events.list({ type: 'price.updated', limit: 1 })).data[0]!;
    assert.deepEqual(event.data.previous_attributes, {
      active: true,
      nickname: 'A',
      metadata: { a: '1', b: null },
      tax_behavior: 'unspecified',
    });
    const locked = await stripeError(
      stripe.prices.update(price.id, { tax_behavior: 'inclusive' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(locked.param, 'tax_behavior');
    const unknown = await stripeError(
      stripe.prices.update(price.id, { unit_amount: 5 } as Stripe.PriceUpdateParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(unknown.param, 'unit_amount');
    assert.equal(unknown.code, 'parameter_unknown');
  });

  test('currency_options: other currencies, the price own currency included, replaced on update', async () => {
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      currency_options: { eur: { unit_amount: 900 }, JPY: { unit_amount: 1500, tax_behavior: 'inclusive' } },
    });
    const options = price.currency_options!;
    assert.deepEqual(Object.keys(options).sort(), ['eur', 'jpy', 'usd']);
    assert.equal(options.usd!.unit_amount, 1000);
    assert.equal(options.eur!.unit_amount, 900);
    assert.equal(options.jpy!.tax_behavior, 'inclusive');
    await refused(
      { product: product.id, currency: 'usd', unit_amount: 1, currency_options: { usd: { unit_amount: 2 } } },
      'currency_options[usd]',
    );
    await refused(
      { product: product.id, currency: 'usd', unit_amount: 1, currency_options: { abc: { unit_amount: 2 } } },
      'currency_options[abc]',
    );
    await refused(
      {
        product: product.id,
        currency: 'usd',
        unit_amount: 1,
        currency_options: { eur: { tax_behavior: 'exclusive' } },
      },
      'currency_options[eur][unit_amount]',
    );
    const updated = await stripe.prices.update(price.id, { currency_options: { gbp: { unit_amount: 800 } } });
    assert.deepEqual(Object.keys(updated.currency_options!).sort(), ['gbp', 'usd']);
    const tiered = await refused(
      {
        product: product.id,
        currency: 'usd',
        billing_scheme: 'tiered',
        tiers_mode: 'volume',
        tiers: [
          { up_to: 10, unit_amount: 1 },
          { up_to: 'inf', unit_amount: 1 },
        ],
        currency_options: { eur: { tiers: [{ up_to: 'inf', unit_amount: 1 }] } },
      },
      'currency_options[eur][tiers]',
    );
    assert.match(tiered.message, /tiers/);
  });

  test('list filters: active, product, type, currency, recurring interval; pagination', async () => {
    const other = await stripe.products.create({ name: 'Other' });
    const monthly = await stripe.prices.create({
      product: other.id,
      currency: 'gbp',
      unit_amount: 1,
      recurring: { interval: 'month' },
    });
    const yearly = await stripe.prices.create({
      product: other.id,
      currency: 'gbp',
      unit_amount: 10,
      recurring: { interval: 'year' },
    });
    const once = await stripe.prices.create({
      product: other.id,
      currency: 'chf',
      unit_amount: 5,
      active: false,
    });
    const ids = async (params: Stripe.PriceListParams) =>
      (await stripe.prices.list({ product: other.id, ...params })).data.map((p) => p.id);
    assert.deepEqual(await ids({}), [once.id, yearly.id, monthly.id]);
    assert.deepEqual(await ids({ active: true }), [yearly.id, monthly.id]);
    assert.deepEqual(await ids({ type: 'one_time' }), [once.id]);
    assert.deepEqual(await ids({ currency: 'GBP' }), [yearly.id, monthly.id]);
    assert.deepEqual(await ids({ recurring: { interval: 'year' } }), [yearly.id]);
    assert.deepEqual(await ids({ recurring: { usage_type: 'licensed' } }), [yearly.id, monthly.id]);
    const all: string[] = [];
    for await (const price of stripe.prices.list({ product: other.id, limit: 1 })) all.push(price.id);
    assert.deepEqual(all, [once.id, yearly.id, monthly.id]);
    const found = await stripe.prices.search({ query: `product:"${other.id}" AND currency:"gbp"` });
    assert.deepEqual(found.data.map((p) => p.id).sort(), [monthly.id, yearly.id].sort());
  });

  test('products: default_price_data, default_price, archiving the default, and delete refused while prices exist', async () => {
    const withDefault = await stripe.products.create({
      name: 'Team',
      default_price_data: { currency: 'usd', unit_amount: 4900, recurring: { interval: 'month' } },
    });
    assert.match(String(withDefault.default_price), /^price_/);
    const price = await stripe.prices.retrieve(withDefault.default_price as string);
    assert.equal(price.product, withDefault.id);
    assert.equal(price.unit_amount, 4900);
    assert.equal(price.recurring!.interval, 'month');
    const expanded = await stripe.products.retrieve(withDefault.id, { expand: ['default_price'] });
    assert.equal((expanded.default_price as Stripe.Price).unit_amount, 4900);

    const bad = await stripeError(
      stripe.products.create({ name: 'Bad', default_price_data: { currency: 'usd' } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(bad.param, 'default_price_data[unit_amount]');

    const archive = await stripeError(
      stripe.prices.update(price.id, { active: false }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(archive.param, 'active');
    const yearly = await stripe.prices.create({
      product: withDefault.id,
      currency: 'usd',
      unit_amount: 49000,
      recurring: { interval: 'year' },
    });
    const switched = await stripe.products.update(withDefault.id, { default_price: yearly.id });
    assert.equal(switched.default_price, yearly.id);
    assert.equal((await stripe.prices.update(price.id, { active: false })).active, false);
    const foreign = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 1 });
    const notOwn = await stripeError(
      stripe.products.update(withDefault.id, { default_price: foreign.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(notOwn.param, 'default_price');
    const missing = await stripeError(
      stripe.products.update(withDefault.id, { default_price: 'price_nope' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.code, 'resource_missing');

    const refusedDelete = await stripeError(
      stripe.products.del(withDefault.id),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(refusedDelete.message, /cannot be deleted because it has one or more user-created prices/);
    const bare = await stripe.products.create({ name: 'Bare' });
    assert.equal((await stripe.products.del(bare.id)).deleted, true);
  });
});
