import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey, createSecretKey } from '../../src/accounts/keys.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { assertConforms } from '../support/openapi.ts';
import { call, startServer, type TestServer } from '../support/server.ts';

type Configuration = Stripe.BillingPortal.Configuration;

const FEEDBACK = 'features.subscription_cancel.cancellation_reason.feedback_options';
const ids = (list: { data: { id: string }[] }) => list.data.map((o) => o.id);

describe('billing portal configurations through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  const clock = fixedClock(1_800_000_000);
  let monthly: Stripe.Price;
  let yearly: Stripe.Price;
  let product: Stripe.Product;

  before(async () => {
    server = await startServer({ clock });
    stripe = server.stripe();
    product = await stripe.products.create({ name: 'Pro' });
    monthly = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1000,
      recurring: { interval: 'month' },
    });
    yearly = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 10000,
      recurring: { interval: 'year' },
    });
  });
  after(() => server.close());

  test('the smallest create: every feature off, documented defaults, first one is the default', async () => {
    const config = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: false } },
    });
    assertConforms('billing_portal.configuration', config);
    assert.match(config.id, /^bpc_[A-Za-z0-9]{29}$/);
    assert.deepEqual(config, {
      id: config.id,
      object: 'billing_portal.configuration',
      active: true,
      application: null,
      business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
      created: clock.now(),
      default_return_url: null,
      features: {
        customer_update: { allowed_updates: [], enabled: false },
        invoice_history: { enabled: false },
        payment_method_update: { enabled: false, payment_method_configuration: null },
        subscription_cancel: {
          cancellation_reason: { enabled: false, feedback_options: null, options: [] },
          enabled: false,
          mode: 'at_period_end',
          proration_behavior: 'none',
        },
        subscription_pause: {
          duration: {
            interval_options: [{ interval: 'month', interval_count: 1 }],
            type: 'interval_options',
          },
          enabled: false,
        },
        subscription_update: {
          billing_cycle_anchor: null,
          default_allowed_updates: [],
          enabled: false,
          products: null,
          proration_behavior: 'none',
          schedule_at_period_end: { conditions: [] },
          trial_update_behavior: 'end_trial',
        },
      },
      is_default: true,
      livemode: false,
      login_page: { enabled: false, url: null },
      metadata: {},
      name: null,
      updated: clock.now(),
    });
    assert.deepEqual(await stripe.billingPortal.configurations.retrieve(config.id), config);
    // An empty hash is sent as nothing by the SDK, so a block with a field is the least to send.
    const second = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
    });
    assert.equal(second.is_default, false);
    const missing = await stripeError(
      stripe.billingPortal.configurations.create({} as Stripe.BillingPortal.ConfigurationCreateParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.code, 'parameter_missing');
    assert.equal(missing.param, 'features');
  });

  test('every field round-trips', async () => {
    const option = await stripe.billing.feedbackOptions.create({ description: 'Moving to a competitor' });
    const config = await stripe.billingPortal.configurations.create({
      business_profile: {
        headline: 'Manage your plan',
        privacy_policy_url: 'https://example.com/privacy',
        terms_of_service_url: 'https://example.com/terms',
      },
      default_return_url: 'https://example.com/account',
      features: {
        customer_update: { enabled: true, allowed_updates: ['email', 'address', 'tax_id', 'email'] },
        invoice_history: { enabled: true },
        payment_method_update: { enabled: true },
        subscription_cancel: {
          enabled: true,
          mode: 'immediately',
          proration_behavior: 'create_prorations',
          cancellation_reason: {
            enabled: true,
            options: ['too_expensive', 'other'],
            feedback_options: [option.id],
          },
        },
        subscription_pause: {
          enabled: true,
          duration: {
            type: 'interval_options',
            interval_options: [{ interval: 'week', interval_count: 2 }, { interval: 'month' }],
          },
        },
        subscription_update: {
          enabled: true,
          default_allowed_updates: ['price', 'quantity', 'promotion_code'],
          products: [
            {
              product: product.id,
              prices: [monthly.id, yearly.id],
              adjustable_quantity: { enabled: true, minimum: 2, maximum: 20 },
            },
          ],
          proration_behavior: 'always_invoice',
          billing_cycle_anchor: 'now',
          schedule_at_period_end: {
            conditions: [{ type: 'decreasing_item_amount' }, { type: 'shortening_interval' }],
          },
          trial_update_behavior: 'continue_trial',
        },
      },
      login_page: { enabled: true },
      metadata: { team: 'growth' },
      name: 'Self-serve',
    });
    assertConforms('billing_portal.configuration', config);
    assert.deepEqual(config.business_profile, {
      headline: 'Manage your plan',
      privacy_policy_url: 'https://example.com/privacy',
      terms_of_service_url: 'https://example.com/terms',
    });
    assert.equal(config.default_return_url, 'https://example.com/account');
    // Lists of choices keep each choice once.
    assert.deepEqual(config.features.customer_update, {
      allowed_updates: ['email', 'address', 'tax_id'],
      enabled: true,
    });
    assert.deepEqual(config.features.invoice_history, { enabled: true });
    assert.deepEqual(config.features.payment_method_update, {
      enabled: true,
      payment_method_configuration: null,
    });
    assert.deepEqual(config.features.subscription_cancel, {
      cancellation_reason: {
        enabled: true,
        feedback_options: [option.id],
        options: ['too_expensive', 'other'],
      },
      enabled: true,
      mode: 'immediately',
      proration_behavior: 'create_prorations',
    });
    assert.deepEqual(config.features.subscription_pause, {
      duration: {
        interval_options: [
          { interval: 'week', interval_count: 2 },
          { interval: 'month', interval_count: 1 },
        ],
        type: 'interval_options',
      },
      enabled: true,
    });
    assert.deepEqual(config.features.subscription_update, {
      billing_cycle_anchor: 'now',
      default_allowed_updates: ['price', 'quantity', 'promotion_code'],
      enabled: true,
      products: [
        {
          adjustable_quantity: { enabled: true, maximum: 20, minimum: 2 },
          prices: [monthly.id, yearly.id],
          product: product.id,
        },
      ],
      proration_behavior: 'always_invoice',
      schedule_at_period_end: {
        conditions: [{ type: 'decreasing_item_amount' }, { type: 'shortening_interval' }],
      },
      trial_update_behavior: 'continue_trial',
    });
    assert.equal(config.login_page.enabled, true);
    assert.match(config.login_page.url!, /^http:\/\/localhost:4242\/p\/login\/test_[A-Za-z0-9]{24}$/);
    assert.deepEqual(config.metadata, { team: 'growth' });
    assert.equal(config.name, 'Self-serve');
    assert.deepEqual(await stripe.billingPortal.configurations.retrieve(config.id), config);

    // The feedback options expand, on retrieve, create and update alike.
    const expanded = await stripe.billingPortal.configurations.retrieve(config.id, { expand: [FEEDBACK] });
    assertConforms('billing_portal.configuration', expanded);
    assert.deepEqual(expanded.features.subscription_cancel.cancellation_reason.feedback_options, [option]);
    const updated = await stripe.billingPortal.configurations.update(config.id, {
      expand: [FEEDBACK, 'application'],
    });
    assert.deepEqual(updated.features.subscription_cancel.cancellation_reason.feedback_options, [option]);
    assert.equal(updated.application, null);
    // In a list the path is five levels deep, one more than expansion allows.
    const tooDeep = await stripeError(
      stripe.billingPortal.configurations.list({ expand: [`data.${FEEDBACK}`] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(tooDeep.message, /more than 4 levels/);
    const notExpandable = await stripeError(
      stripe.billingPortal.configurations.retrieve(config.id, { expand: ['features.invoice_history'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(notExpandable.message, /cannot be expanded/);
  });

  test('updates merge: unsent fields keep their values, sent lists replace, empty strings clear', async () => {
    const option = await stripe.billing.feedbackOptions.create({ description: 'Budget cuts' });
    const config = await stripe.billingPortal.configurations.create({
      business_profile: {
        headline: 'Hello',
        privacy_policy_url: 'https://example.com/p',
        terms_of_service_url: 'https://example.com/t',
      },
      default_return_url: 'https://example.com',
      features: {
        customer_update: { enabled: true, allowed_updates: ['email', 'name'] },
        invoice_history: { enabled: true },
        payment_method_update: { enabled: true },
        subscription_cancel: {
          enabled: true,
          cancellation_reason: { enabled: true, options: ['unused', 'other'], feedback_options: [option.id] },
        },
        subscription_update: {
          enabled: true,
          default_allowed_updates: ['price'],
          products: [{ product: product.id, prices: [monthly.id] }],
          schedule_at_period_end: { conditions: [{ type: 'shortening_interval' }] },
        },
      },
      metadata: { a: '1', b: '2' },
      name: 'Before',
    });
    clock.advance(10);
    const updated = await stripe.billingPortal.configurations.update(config.id, {
      business_profile: { headline: '', privacy_policy_url: '' },
      features: {
        customer_update: { allowed_updates: ['phone'] },
        subscription_cancel: { cancellation_reason: { enabled: false, feedback_options: '' } },
        subscription_update: {
          products: [{ product: product.id, prices: [yearly.id] }],
          schedule_at_period_end: { conditions: '' },
          billing_cycle_anchor: 'unchanged',
        },
      },
      metadata: { a: '', c: '3' },
      name: '',
    });
    assertConforms('billing_portal.configuration', updated);
    assert.deepEqual(updated.business_profile, {
      headline: null,
      privacy_policy_url: null,
      terms_of_service_url: 'https://example.com/t',
    });
    assert.equal(updated.default_return_url, 'https://example.com');
    assert.deepEqual(updated.features.customer_update, { allowed_updates: ['phone'], enabled: true });
    assert.deepEqual(updated.features.subscription_cancel.cancellation_reason, {
      enabled: false,
      feedback_options: null,
      options: ['unused', 'other'],
    });
    assert.deepEqual(updated.features.subscription_update.products, [
      {
        adjustable_quantity: { enabled: false, maximum: null, minimum: 1 },
        prices: [yearly.id],
        product: product.id,
      },
    ]);
    assert.deepEqual(updated.features.subscription_update.schedule_at_period_end, { conditions: [] });
    assert.equal(updated.features.subscription_update.billing_cycle_anchor, 'unchanged');
    assert.deepEqual(updated.features.subscription_update.default_allowed_updates, ['price']);
    assert.deepEqual(updated.metadata, { b: '2', c: '3' });
    assert.equal(updated.name, null);
    assert.equal(updated.created, config.created);
    assert.equal(updated.updated, config.updated + 10);

    const cleared = await stripe.billingPortal.configurations.update(config.id, {
      default_return_url: '',
      metadata: '',
      business_profile: { terms_of_service_url: '' },
      features: {
        customer_update: { allowed_updates: '' },
        subscription_cancel: { cancellation_reason: { enabled: true, options: '' } },
        subscription_update: { enabled: false, products: '', default_allowed_updates: '' },
      },
    });
    assert.equal(cleared.default_return_url, null);
    assert.deepEqual(cleared.metadata, {});
    assert.equal(cleared.business_profile.terms_of_service_url, null);
    assert.deepEqual(cleared.features.customer_update.allowed_updates, []);
    assert.deepEqual(cleared.features.subscription_cancel.cancellation_reason.options, []);
    assert.equal(cleared.features.subscription_update.products, null);
    assert.deepEqual(cleared.features.subscription_update.default_allowed_updates, []);
    assert.deepEqual(await stripe.billingPortal.configurations.retrieve(config.id), cleared);

    // Some blocks keep a required field on update.
    const required = await stripeError(
      stripe.billingPortal.configurations.update(config.id, {
        features: { payment_method_update: { payment_method_configuration: '' } as never },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(required.code, 'parameter_missing');
    assert.equal(required.param, 'features[payment_method_update][enabled]');
    const notEmpty = await stripeError(
      stripe.billingPortal.configurations.update(config.id, { active: '' as never }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(notEmpty.code, 'parameter_invalid_empty');
    const unknown = await stripeError(
      stripe.billingPortal.configurations.update(config.id, { is_default: true } as never),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(unknown.code, 'parameter_unknown');
    assert.equal(unknown.param, 'is_default');
  });

  test('events: created, then updated with previous_attributes', async () => {
    const config = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
      name: 'Eventful',
    });
    clock.advance(5);
    await stripe.billingPortal.configurations.update(config.id, {
      name: 'Renamed',
      features: { invoice_history: { enabled: false } },
    });
    const events = await stripe.events.list({ type: 'billing_portal.configuration.*', limit: 2 });
    assert.deepEqual(
      events.data.map((e) => e.type),
      ['billing_portal.configuration.updated', 'billing_portal.configuration.created'],
    );
    const [updated, created] = events.data as [
      Stripe.BillingPortalConfigurationUpdatedEvent,
      Stripe.BillingPortalConfigurationCreatedEvent,
    ];
    assert.deepEqual(created.data.object, config);
    assert.equal(updated.data.object.name, 'Renamed');
    const previous = updated.data.previous_attributes as Partial<Configuration>;
    assert.equal(previous.name, 'Eventful');
    assert.equal(previous.features?.invoice_history.enabled, true);
    assert.equal(previous.updated, config.updated);
  });

  test('the login page: enabling issues a URL, disabling revokes it, enabling again issues a new one', async () => {
    const config = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
      login_page: { enabled: true },
    });
    const first = config.login_page.url!;
    const kept = await stripe.billingPortal.configurations.update(config.id, {
      login_page: { enabled: true },
    });
    assert.equal(kept.login_page.url, first);
    const off = await stripe.billingPortal.configurations.update(config.id, {
      login_page: { enabled: false },
    });
    assert.deepEqual(off.login_page, { enabled: false, url: null });
    const on = await stripe.billingPortal.configurations.update(config.id, { login_page: { enabled: true } });
    assert.equal(on.login_page.enabled, true);
    assert.match(on.login_page.url!, /\/p\/login\/test_/);
    assert.notEqual(on.login_page.url, first);
  });

  test('unknown configurations are 404s; the object of another mode is not visible', async () => {
    const missing = await stripeError(
      stripe.billingPortal.configurations.retrieve('bpc_nope'),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(missing.code, 'resource_missing');
    assert.equal(missing.param, 'id');
    assert.equal(missing.message, "No such configuration: 'bpc_nope'");
    await stripeError(
      stripe.billingPortal.configurations.update('bpc_nope', { name: 'x' }),
      E.StripeInvalidRequestError,
      404,
    );
  });

  test('restricted keys need the billing portal permission', async () => {
    const key = await createRestrictedKey(
      server.app.store.db,
      { accountId: server.app.boot.accountId, livemode: false },
      clock.now(),
      { billing_portal: 'read' },
    );
    const reader = server.stripe(key);
    assert.ok((await reader.billingPortal.configurations.list()).data.length > 0);
    const denied = await stripeError(
      reader.billingPortal.configurations.create({ features: { invoice_history: { enabled: true } } }),
      E.StripePermissionError,
      403,
    );
    assert.match(denied.message, /'rak_billing_portal_write'/);
  });
});

describe('default configurations, lists and filters', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test('one default per mode; the default cannot be deactivated; make_default moves it', async () => {
    const first = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
      name: 'first',
    });
    const second = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
      name: 'second',
    });
    const third = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
      name: 'third',
    });
    assert.deepEqual([first.is_default, second.is_default, third.is_default], [true, false, false]);
    const refused = await stripeError(
      stripe.billingPortal.configurations.update(first.id, { active: false }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(refused.param, 'active');
    assert.match(refused.message, /default configuration cannot be deactivated/);

    // Live mode has its own first, default, configuration.
    const live = server.stripe(
      await createSecretKey(
        server.app.store.db,
        { accountId: server.app.boot.accountId, livemode: true },
        Math.floor(Date.now() / 1000),
      ),
    );
    const liveFirst = await live.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
    });
    assert.equal(liveFirst.is_default, true);
    assert.equal(liveFirst.livemode, true);
    assert.deepEqual(ids(await live.billingPortal.configurations.list()), [liveFirst.id]);

    // Portico's own action moves the default; an inactive configuration cannot take it.
    const inactive = await stripe.billingPortal.configurations.update(third.id, { active: false });
    assert.equal(inactive.active, false);
    const notActive = await call(
      server,
      'POST',
      `/v1/portico/billing_portal/configurations/${third.id}/make_default`,
    );
    assert.equal(notActive.status, 400);
    assert.match(String(notActive.json.error?.message), /inactive/);
    const moved = await call(
      server,
      'POST',
      `/v1/portico/billing_portal/configurations/${second.id}/make_default`,
    );
    assert.equal(moved.status, 200);
    assert.equal(moved.json.is_default, true);
    assertConforms('billing_portal.configuration', moved.json);
    assert.equal((await stripe.billingPortal.configurations.retrieve(first.id)).is_default, false);
    const events = await stripe.events.list({ type: 'billing_portal.configuration.updated', limit: 2 });
    assert.deepEqual(
      events.data.map((e) => [
        (e.data.object as Configuration).id,
        (e.data.object as Configuration).is_default,
      ]),
      [
        [second.id, true],
        [first.id, false],
      ],
    );
    // The old default can now be deactivated, the new one cannot.
    assert.equal(
      (await stripe.billingPortal.configurations.update(first.id, { active: false })).active,
      false,
    );
    await stripeError(
      stripe.billingPortal.configurations.update(second.id, { active: false }),
      E.StripeInvalidRequestError,
      400,
    );
    const unknown = await call(
      server,
      'POST',
      '/v1/portico/billing_portal/configurations/bpc_nope/make_default',
    );
    assert.equal(unknown.status, 404);
  });

  test('lists filter by active and is_default and page both ways', async () => {
    const all = await stripe.billingPortal.configurations.list({ limit: 100 });
    assert.equal(all.url, '/v1/billing_portal/configurations');
    assert.equal(all.data.length, 3);
    for (const config of all.data) assertConforms('billing_portal.configuration', config);
    const [third, second, first] = all.data as [Configuration, Configuration, Configuration];
    assert.deepEqual([first.name, second.name, third.name], ['first', 'second', 'third']);
    assert.deepEqual(ids(await stripe.billingPortal.configurations.list({ active: true })), [second.id]);
    assert.deepEqual(ids(await stripe.billingPortal.configurations.list({ active: false })), [
      third.id,
      first.id,
    ]);
    assert.deepEqual(ids(await stripe.billingPortal.configurations.list({ is_default: true })), [second.id]);
    assert.deepEqual(ids(await stripe.billingPortal.configurations.list({ is_default: false })), [
      third.id,
      first.id,
    ]);
    const page = await stripe.billingPortal.configurations.list({ limit: 1, starting_after: third.id });
    assert.deepEqual(ids(page), [second.id]);
    assert.equal(page.has_more, true);
    const back = await stripe.billingPortal.configurations.list({ limit: 2, ending_before: first.id });
    assert.deepEqual(ids(back), [third.id, second.id]);
    const auto = await stripe.billingPortal.configurations
      .list({ limit: 1 })
      .autoPagingToArray({ limit: 10 });
    assert.deepEqual(
      auto.map((c) => c.id),
      [third.id, second.id, first.id],
    );
    const badCursor = await stripeError(
      stripe.billingPortal.configurations.list({ starting_after: 'bpc_nope' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(badCursor.param, 'starting_after');
    const badFilter = await stripeError(
      stripe.billingPortal.configurations.list({ active: 'yes' as never }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(badFilter.param, 'active');
  });
});
