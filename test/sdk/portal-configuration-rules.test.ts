import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

type CreateParams = Stripe.BillingPortal.ConfigurationCreateParams;
type Features = CreateParams['features'];

const PRODUCTS = 'features[subscription_update][products]';
const PAUSE = 'features[subscription_pause][duration][interval_options]';

describe('billing portal configuration rules', () => {
  let server: TestServer;
  let stripe: Stripe;
  let product: Stripe.Product;
  let monthly: Stripe.Price;
  let yearly: Stripe.Price;

  /** A create that must fail with a 400 naming `param`; returns the error. */
  async function refused(params: Partial<CreateParams>, param: string, code?: string) {
    const error = await stripeError(
      stripe.billingPortal.configurations.create({
        features: { invoice_history: { enabled: true } },
        ...params,
      } as CreateParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.type, 'StripeInvalidRequestError');
    assert.equal(error.param, param, error.message);
    if (code) assert.equal(error.code, code);
    return error;
  }

  const price = (
    productId: string,
    recurring: Stripe.PriceCreateParams.Recurring | undefined,
    amount = 1000,
  ) => stripe.prices.create({ product: productId, currency: 'usd', unit_amount: amount, recurring });

  /** Subscription updates on, with whatever products are given. */
  const updates = (
    products: Stripe.BillingPortal.ConfigurationCreateParams.Features.SubscriptionUpdate.Product[],
  ): Features => ({
    payment_method_update: { enabled: true },
    subscription_update: { enabled: true, default_allowed_updates: ['price'], products },
  });

  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    product = await stripe.products.create({ name: 'Team' });
    monthly = await price(product.id, { interval: 'month' });
    yearly = await price(product.id, { interval: 'year' }, 10000);
  });
  after(() => server.close());

  test('business profile and names: lengths and absolute http(s) URLs', async () => {
    await refused(
      { business_profile: { headline: 'x'.repeat(61) } },
      'business_profile[headline]',
      'parameter_invalid_string_too_long',
    );
    await refused({ name: 'x'.repeat(257) }, 'name', 'parameter_invalid_string_too_long');
    await refused(
      { business_profile: { privacy_policy_url: '/privacy' } },
      'business_profile[privacy_policy_url]',
      'url_invalid',
    );
    await refused(
      { business_profile: { terms_of_service_url: 'javascript:alert(1)' } },
      'business_profile[terms_of_service_url]',
      'url_invalid',
    );
    await refused({ default_return_url: 'example.com' }, 'default_return_url', 'url_invalid');
    const ok = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
      business_profile: { headline: 'x'.repeat(60) },
      name: 'y'.repeat(256),
      default_return_url: 'http://localhost:3000/back',
    });
    assert.equal(ok.business_profile.headline?.length, 60);
    // An update checks URLs too.
    const error = await stripeError(
      stripe.billingPortal.configurations.update(ok.id, { default_return_url: 'ftp://example.com' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.code, 'url_invalid');
  });

  test('required fields inside blocks and enum values', async () => {
    await refused(
      {
        features: { subscription_cancel: { enabled: true, cancellation_reason: { enabled: true } as never } },
      },
      'features[subscription_cancel][cancellation_reason][options]',
      'parameter_missing',
    );
    await refused(
      { features: { subscription_update: { default_allowed_updates: ['price'] } as never } },
      'features[subscription_update][enabled]',
      'parameter_missing',
    );
    await refused(
      { features: { subscription_cancel: { enabled: true, mode: 'later' as never } } },
      'features[subscription_cancel][mode]',
    );
    await refused(
      { features: { customer_update: { enabled: true, allowed_updates: ['password' as never] } } },
      'features[customer_update][allowed_updates][0]',
    );
    await refused(
      { features: { invoice_history: { enabled: true }, bogus: true } as never },
      'features[bogus]',
      'parameter_unknown',
    );
  });

  test('cancellations never invoice, and prorate only when immediate', async () => {
    await refused(
      {
        features: {
          subscription_cancel: { enabled: true, mode: 'immediately', proration_behavior: 'always_invoice' },
        },
      },
      'features[subscription_cancel][proration_behavior]',
    );
    const error = await refused(
      { features: { subscription_cancel: { enabled: true, proration_behavior: 'create_prorations' } } },
      'features[subscription_cancel][proration_behavior]',
    );
    assert.match(error.message, /mode=immediately/);
    // Moving an immediate, prorating configuration to period end names `mode`.
    const config = await stripe.billingPortal.configurations.create({
      features: {
        subscription_cancel: { enabled: true, mode: 'immediately', proration_behavior: 'create_prorations' },
      },
    });
    const moved = await stripeError(
      stripe.billingPortal.configurations.update(config.id, {
        features: { subscription_cancel: { mode: 'at_period_end' } },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(moved.param, 'features[subscription_cancel][mode]');
  });

  test('subscription updates need allowed updates, products and payment method updates', async () => {
    await refused(
      {
        features: {
          payment_method_update: { enabled: true },
          subscription_update: { enabled: true, products: [{ product: product.id, prices: [monthly.id] }] },
        },
      },
      'features[subscription_update][default_allowed_updates]',
    );
    await refused(
      {
        features: {
          payment_method_update: { enabled: true },
          subscription_update: { enabled: true, default_allowed_updates: ['quantity'] },
        },
      },
      PRODUCTS,
    );
    const error = await refused(
      {
        features: {
          subscription_update: {
            enabled: true,
            default_allowed_updates: ['price'],
            products: [{ product: product.id, prices: [monthly.id] }],
          },
        },
      },
      'features[subscription_update][enabled]',
    );
    assert.equal(
      error.message,
      'Cannot enable subscription updates while payment method update is disabled.',
    );
    // Turning payment method updates off later names that param.
    const config = await stripe.billingPortal.configurations.create({
      features: updates([{ product: product.id, prices: [monthly.id] }]),
    });
    const off = await stripeError(
      stripe.billingPortal.configurations.update(config.id, {
        features: { payment_method_update: { enabled: false } },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(off.param, 'features[payment_method_update][enabled]');
    // Disabled, neither is needed.
    const disabled = await stripe.billingPortal.configurations.create({
      features: { subscription_update: { enabled: false } },
    });
    assert.equal(disabled.features.subscription_update.products, null);
  });

  test('at most 10 products, each listed once, existing and active', async () => {
    const many = [];
    for (let i = 0; i < 11; i++) {
      const p = await stripe.products.create({ name: `P${i}` });
      many.push({ product: p.id, prices: [(await price(p.id, { interval: 'month' })).id] });
    }
    await refused({ features: updates(many) }, PRODUCTS);
    assert.equal(
      (await stripe.billingPortal.configurations.create({ features: updates(many.slice(0, 10)) })).features
        .subscription_update.products?.length,
      10,
    );
    await refused(
      {
        features: updates([
          { product: product.id, prices: [monthly.id] },
          { product: product.id, prices: [yearly.id] },
        ]),
      },
      `${PRODUCTS}[1][product]`,
    );
    await refused(
      { features: updates([{ product: 'prod_nope', prices: [monthly.id] }]) },
      `${PRODUCTS}[0][product]`,
      'resource_missing',
    );
    const archived = await stripe.products.create({ name: 'Old', active: false });
    const archivedPrice = await price(archived.id, { interval: 'month' });
    const error = await refused(
      { features: updates([{ product: archived.id, prices: [archivedPrice.id] }]) },
      `${PRODUCTS}[0][product]`,
    );
    assert.match(error.message, /archived/);
  });

  test('prices exist, belong to their product, are active and recurring, one per interval', async () => {
    const other = await stripe.products.create({ name: 'Other' });
    const otherPrice = await price(other.id, { interval: 'month' });
    const oneTime = await price(product.id, undefined);
    const retired = await price(product.id, { interval: 'week' });
    await stripe.prices.update(retired.id, { active: false });
    const monthlyAgain = await price(product.id, { interval: 'month' }, 1200);
    const quarterly = await price(product.id, { interval: 'month', interval_count: 3 }, 2700);
    const entry = (prices: string[]) => updates([{ product: product.id, prices }]);
    await refused(
      { features: entry([monthly.id, 'price_nope']) },
      `${PRODUCTS}[0][prices][1]`,
      'resource_missing',
    );
    const foreign = await refused(
      { features: entry([monthly.id, otherPrice.id]) },
      `${PRODUCTS}[0][prices][1]`,
    );
    assert.match(foreign.message, new RegExp(`belongs to the product ${other.id}`));
    await refused({ features: entry([retired.id]) }, `${PRODUCTS}[0][prices][0]`);
    const once = await refused({ features: entry([yearly.id, oneTime.id]) }, `${PRODUCTS}[0][prices][1]`);
    assert.match(once.message, /one-time/);
    const twice = await refused(
      { features: entry([monthly.id, yearly.id, monthlyAgain.id]) },
      `${PRODUCTS}[0][prices][2]`,
    );
    assert.match(twice.message, /one price per recurring interval/);
    // Every three months is another interval than every month; a price listed twice is kept once.
    const ok = await stripe.billingPortal.configurations.create({
      features: entry([monthly.id, quarterly.id, monthly.id]),
    });
    assert.deepEqual(ok.features.subscription_update.products?.[0]?.prices, [monthly.id, quarterly.id]);
    // A price archived after the fact does not stop unrelated updates of the configuration.
    await stripe.prices.update(quarterly.id, { active: false });
    assert.equal((await stripe.billingPortal.configurations.update(ok.id, { name: 'Later' })).name, 'Later');
  });

  test('adjustable quantities: 0 ≤ minimum ≤ maximum', async () => {
    const quantity = (adjustable_quantity: { enabled: boolean; minimum?: number; maximum?: number }) =>
      updates([{ product: product.id, prices: [monthly.id], adjustable_quantity }]);
    await refused(
      { features: quantity({ enabled: true, minimum: 5, maximum: 4 }) },
      `${PRODUCTS}[0][adjustable_quantity][maximum]`,
    );
    await refused(
      { features: quantity({ enabled: true, minimum: -1 }) },
      `${PRODUCTS}[0][adjustable_quantity][minimum]`,
    );
    // The default minimum is 1, so a maximum of 0 needs a minimum of 0.
    await refused(
      { features: quantity({ enabled: true, maximum: 0 }) },
      `${PRODUCTS}[0][adjustable_quantity][maximum]`,
    );
    const ok = await stripe.billingPortal.configurations.create({
      features: quantity({ enabled: true, minimum: 0, maximum: 0 }),
    });
    assert.deepEqual(ok.features.subscription_update.products?.[0]?.adjustable_quantity, {
      enabled: true,
      maximum: 0,
      minimum: 0,
    });
  });

  test('pause durations: options for preset pauses, none for indefinite, up to three years, ten, distinct', async () => {
    const pause = (duration: object): Features => ({
      subscription_pause: { enabled: true, duration } as never,
    });
    await refused({ features: pause({ type: 'interval_options' }) }, PAUSE);
    await refused({ features: pause({ type: 'interval_options', interval_options: '' }) }, PAUSE);
    await refused(
      { features: pause({ type: 'indefinite', interval_options: [{ interval: 'day' }] }) },
      PAUSE,
    );
    await refused(
      {
        features: pause({
          type: 'interval_options',
          interval_options: [{ interval: 'month', interval_count: 37 }],
        }),
      },
      `${PAUSE}[0][interval_count]`,
    );
    await refused(
      {
        features: pause({
          type: 'interval_options',
          interval_options: [{ interval: 'day', interval_count: 1096 }],
        }),
      },
      `${PAUSE}[0][interval_count]`,
    );
    await refused(
      {
        features: pause({
          type: 'interval_options',
          interval_options: [{ interval: 'week', interval_count: 0 }],
        }),
      },
      `${PAUSE}[0][interval_count]`,
    );
    await refused(
      {
        features: pause({
          type: 'interval_options',
          interval_options: [{ interval: 'week' }, { interval: 'week', interval_count: 1 }],
        }),
      },
      `${PAUSE}[1]`,
    );
    const eleven = Array.from({ length: 11 }, (_, i) => ({ interval: 'day', interval_count: i + 1 }));
    await refused({ features: pause({ type: 'interval_options', interval_options: eleven }) }, PAUSE);
    const longest = await stripe.billingPortal.configurations.create({
      features: pause({
        type: 'interval_options',
        interval_options: [
          { interval: 'year', interval_count: 3 },
          { interval: 'week', interval_count: 156 },
          { interval: 'day', interval_count: 1095 },
          { interval: 'month', interval_count: 36 },
        ],
      }),
    });
    assert.equal(longest.features.subscription_pause.duration.interval_options.length, 4);
    const indefinite = await stripe.billingPortal.configurations.update(longest.id, {
      features: { subscription_pause: { duration: { type: 'indefinite' } } },
    });
    assert.deepEqual(indefinite.features.subscription_pause, {
      duration: { interval_options: [], type: 'indefinite' },
      enabled: true,
    });
  });

  test('feedback options must be active ones of this account and mode', async () => {
    const active = await stripe.billing.feedbackOptions.create({ description: 'Active reason' });
    const retired = await stripe.billing.feedbackOptions.create({ description: 'Retired reason' });
    await stripe.billing.feedbackOptions.deactivate(retired.id);
    const reason = (feedback_options: string[]) => ({
      features: {
        subscription_cancel: {
          enabled: true,
          cancellation_reason: { enabled: true, options: ['other'], feedback_options },
        },
      } as Features,
    });
    const path = 'features[subscription_cancel][cancellation_reason][feedback_options]';
    await refused(reason([active.id, 'bfo_nope']), `${path}[1]`, 'resource_missing');
    const error = await refused(reason([active.id, retired.id]), `${path}[1]`);
    assert.match(error.message, /inactive/);
    const ok = await stripe.billingPortal.configurations.create(reason([active.id]) as CreateParams);
    // Deactivating an option later does not take it out of configurations that use it.
    await stripe.billing.feedbackOptions.deactivate(active.id);
    const kept = await stripe.billingPortal.configurations.retrieve(ok.id);
    assert.deepEqual(kept.features.subscription_cancel.cancellation_reason.feedback_options, [active.id]);
    // But it cannot be added again.
    await stripeError(
      stripe.billingPortal.configurations.update(ok.id, {
        features: {
          subscription_cancel: { cancellation_reason: { enabled: true, feedback_options: [active.id] } },
        },
      }),
      E.StripeInvalidRequestError,
      400,
    );
  });

  test('payment method configurations must exist (Portico has none yet)', async () => {
    const error = await refused(
      { features: { payment_method_update: { enabled: true, payment_method_configuration: 'pmc_123' } } },
      'features[payment_method_update][payment_method_configuration]',
      'resource_missing',
    );
    assert.equal(error.message, "No such payment_method_configuration: 'pmc_123'");
  });

  test('metadata limits', async () => {
    const many = Object.fromEntries(Array.from({ length: 51 }, (_, i) => [`k${i}`, 'v']));
    await refused({ features: { invoice_history: { enabled: true } }, metadata: many }, 'metadata');
    await refused(
      { features: { invoice_history: { enabled: true } }, metadata: { k: 'v'.repeat(501) } },
      'metadata[k]',
    );
  });
});
