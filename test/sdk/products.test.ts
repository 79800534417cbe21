import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { fixedClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('products through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  // A clock the tests move, so `updated` does not depend on when a second happens to tick.
  const clock = fixedClock(1_800_000_000);
  before(async () => {
    server = await startServer({ clock });
    stripe = server.stripe();
  });
  after(() => server.close());

  test('create with every field, retrieve, update, delete', async () => {
    const product = await stripe.products.create({
      name: 'Pro plan',
      description: 'Everything',
      images: ['https://example.com/pro.png'],
      marketing_features: [{ name: 'Unlimited seats' }],
      metadata: { tier: 'pro' },
      package_dimensions: { height: 1.5, length: 2, weight: 0.25, width: 3 },
      shippable: false,
      statement_descriptor: 'PORTICO PRO',
      tax_details: { performance_location: 'US' },
      type: 'service',
      unit_label: 'seat',
      url: 'https://example.com/pro',
    });
    assert.match(product.id, /^prod_/);
    assert.equal(product.object, 'product');
    assert.equal(product.active, true);
    assert.equal(product.default_price, null);
    assert.deepEqual(product.package_dimensions, { height: 1.5, length: 2, weight: 0.25, width: 3 });
    assert.deepEqual(product.marketing_features, [{ name: 'Unlimited seats' }]);
    assert.deepEqual(product.tax_details, { performance_location: 'US', tax_code: null });
    assert.equal(product.updated, product.created);
    assert.deepEqual(await stripe.products.retrieve(product.id), product);

    clock.advance(60);
    const updated = await stripe.products.update(product.id, {
      active: false,
      description: '',
      metadata: { tier: '', seats: '10' },
      unit_label: '',
      images: '',
    });
    assert.equal(updated.active, false);
    assert.equal(updated.description, null);
    assert.equal(updated.unit_label, null);
    assert.deepEqual(updated.images, []);
    assert.deepEqual(updated.metadata, { seats: '10' });
    assert.equal(updated.updated, product.created + 60);
    const events = await stripe.events.list({ type: 'product.updated', limit: 1 });
    assert.deepEqual(events.data[0]!.data.previous_attributes, {
      active: true,
      description: 'Everything',
      images: ['https://example.com/pro.png'],
      metadata: { seats: null, tier: 'pro' },
      unit_label: 'seat',
      updated: product.created,
    });

    assert.deepEqual(await stripe.products.del(product.id), {
      id: product.id,
      object: 'product',
      deleted: true,
    });
    const gone = await stripeError(stripe.products.retrieve(product.id), E.StripeInvalidRequestError, 404);
    assert.equal(gone.code, 'resource_missing');
    const types = (await stripe.events.list({ type: 'product.*', limit: 3 })).data.map((e) => e.type);
    assert.deepEqual(types, ['product.deleted', 'product.updated', 'product.created']);
  });

  test('custom ids are unique per account and mode', async () => {
    const product = await stripe.products.create({ id: 'basic', name: 'Basic' });
    assert.equal(product.id, 'basic');
    const again = await stripeError(
      stripe.products.create({ id: 'basic', name: 'Again' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(again.code, 'resource_already_exists');
    assert.equal(again.param, 'id');
    assert.equal((await stripe.products.retrieve('basic')).name, 'Basic', 'the first one is untouched');
  });

  test('list filters: active, shippable, type, url, ids', async () => {
    const good = await stripe.products.create({
      name: 'Mug',
      type: 'good',
      shippable: true,
      url: 'https://x.test/mug',
    });
    const off = await stripe.products.create({ name: 'Old', active: false });
    const byActive = await stripe.products.list({ active: false });
    assert.deepEqual(
      byActive.data.map((p) => p.id),
      [off.id],
    );
    assert.deepEqual(
      (await stripe.products.list({ shippable: true })).data.map((p) => p.id),
      [good.id],
    );
    assert.deepEqual(
      (await stripe.products.list({ type: 'good' })).data.map((p) => p.id),
      [good.id],
    );
    assert.deepEqual(
      (await stripe.products.list({ url: 'https://x.test/mug' })).data.map((p) => p.id),
      [good.id],
    );
    const both = await stripe.products.list({ ids: [good.id, off.id] });
    assert.deepEqual(both.data.map((p) => p.id).sort(), [good.id, off.id].sort());
  });

  test('search by name, active and metadata', async () => {
    const gold = await stripe.products.create({ name: 'Gold support', metadata: { family: 'support' } });
    await stripe.products.create({ name: 'Silver support', active: false, metadata: { family: 'support' } });
    const found = await stripe.products.search({ query: 'active:"true" AND metadata["family"]:"support"' });
    assert.deepEqual(
      found.data.map((p) => p.id),
      [gold.id],
    );
    assert.equal(found.url, '/v1/products/search');
    const byName = await stripe.products.search({ query: 'name~"support"' });
    assert.equal(byName.data.length, 2);
  });

  test('bad input is refused with the param named, and nothing is written', async () => {
    const before = (await stripe.products.list({ limit: 100 })).data.length;
    const missing = await stripeError(
      stripe.products.create({} as Stripe.ProductCreateParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.code, 'parameter_missing');
    assert.equal(missing.param, 'name');
    const type = await stripeError(
      stripe.products.create({ name: 'X', type: 'gadget' as 'good' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(type.param, 'type');
    const dims = await stripeError(
      stripe.products.create({ name: 'X', package_dimensions: { height: 1, length: 1, weight: 1 } as never }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(dims.param, 'package_dimensions[width]');
    const descriptor = await stripeError(
      stripe.products.create({ name: 'X', statement_descriptor: '12345' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(descriptor.param, 'statement_descriptor');
    const price = await stripeError(
      stripe.products.update((await stripe.products.list({ limit: 1 })).data[0]!.id, {
        default_price: 'price_x',
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(price.param, 'default_price');
    assert.equal((await stripe.products.list({ limit: 100 })).data.length, before);
  });
});
