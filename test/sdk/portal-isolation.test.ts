import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createSecretKey } from '../../src/accounts/keys.ts';
import { createPlatformAccount } from '../../src/accounts/service.ts';
import { openSession } from '../../src/billing/portal/sessions/lifetime.ts';
import { systemClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** What account A owns, in its test mode. */
interface Owned {
  customer: Stripe.Customer;
  config: Stripe.BillingPortal.Configuration;
  product: Stripe.Product;
  price: Stripe.Price;
  coupon: Stripe.Coupon;
  option: Stripe.Billing.FeedbackOption;
  connected: Stripe.Account;
}

async function populate(stripe: Stripe): Promise<Owned> {
  const product = await stripe.products.create({ name: 'Owned' });
  const price = await stripe.prices.create({
    product: product.id,
    currency: 'usd',
    unit_amount: 500,
    recurring: { interval: 'month' },
  });
  const option = await stripe.billing.feedbackOptions.create({ description: 'Owned reason' });
  return {
    customer: await stripe.customers.create({ email: 'owned@example.com' }),
    config: await stripe.billingPortal.configurations.create({
      features: {
        invoice_history: { enabled: true },
        subscription_cancel: {
          enabled: true,
          cancellation_reason: { enabled: true, options: ['other'], feedback_options: [option.id] },
        },
      },
    }),
    product,
    price,
    coupon: await stripe.coupons.create({ percent_off: 50 }),
    option,
    connected: await stripe.accounts.create({ type: 'custom' }),
  };
}

describe('the billing portal keeps accounts and modes apart', () => {
  let server: TestServer;
  let a: Stripe;
  let live: Stripe;
  let b: Stripe;
  let owned: Owned;
  let bCustomer: Stripe.Customer;

  before(async () => {
    server = await startServer();
    const db = server.app.store.db;
    const now = systemClock.now();
    a = server.stripe();
    live = server.stripe(
      await createSecretKey(db, { accountId: server.app.boot.accountId, livemode: true }, now),
    );
    const other = await createPlatformAccount(db, now, 'Other platform');
    b = server.stripe(await createSecretKey(db, { accountId: other.id, livemode: false }, now));
    owned = await populate(a);
    bCustomer = await b.customers.create({ email: 'b@example.com' });
  });
  after(() => server.close());

  for (const [name, client] of [
    ['another account', () => b],
    ['the live mode of the same account', () => live],
  ] as const) {
    describe(`from ${name}`, () => {
      test('configurations and feedback options are invisible', async () => {
        const stripe = client();
        assert.deepEqual((await stripe.billingPortal.configurations.list()).data, []);
        assert.deepEqual((await stripe.billing.feedbackOptions.list()).data, []);
        await stripeError(
          stripe.billingPortal.configurations.retrieve(owned.config.id),
          E.StripeInvalidRequestError,
          404,
        );
        await stripeError(
          stripe.billingPortal.configurations.update(owned.config.id, { name: 'taken' }),
          E.StripeInvalidRequestError,
          404,
        );
        await stripeError(
          stripe.billing.feedbackOptions.retrieve(owned.option.id),
          E.StripeInvalidRequestError,
          404,
        );
        await stripeError(
          stripe.billing.feedbackOptions.deactivate(owned.option.id),
          E.StripeInvalidRequestError,
          404,
        );
        assert.equal((await a.billing.feedbackOptions.retrieve(owned.option.id)).status, 'active');
      });

      test("a configuration cannot name the other scope's products, prices or feedback options", async () => {
        const stripe = client();
        const refused = async (
          features: Stripe.BillingPortal.ConfigurationCreateParams.Features,
          param: string,
        ) => {
          const error = await stripeError(
            stripe.billingPortal.configurations.create({ features }),
            E.StripeInvalidRequestError,
            400,
          );
          assert.equal(error.code, 'resource_missing');
          assert.equal(error.param, param);
        };
        await refused(
          {
            payment_method_update: { enabled: true },
            subscription_update: {
              enabled: true,
              default_allowed_updates: ['price'],
              products: [{ product: owned.product.id, prices: [owned.price.id] }],
            },
          },
          'features[subscription_update][products][0][product]',
        );
        const own = await stripe.products.create({ name: 'Own' });
        await refused(
          {
            payment_method_update: { enabled: true },
            subscription_update: {
              enabled: true,
              default_allowed_updates: ['price'],
              products: [{ product: own.id, prices: [owned.price.id] }],
            },
          },
          'features[subscription_update][products][0][prices][0]',
        );
        await refused(
          {
            subscription_cancel: {
              enabled: true,
              cancellation_reason: { enabled: true, options: ['other'], feedback_options: [owned.option.id] },
            },
          },
          'features[subscription_cancel][cancellation_reason][feedback_options][0]',
        );
      });

      test("a session cannot name the other scope's customer, configuration, coupon or connected account", async () => {
        const stripe = client();
        const customer = await stripe.customers.create({});
        const config = await stripe.billingPortal.configurations.create({
          features: { invoice_history: { enabled: true }, subscription_cancel: { enabled: true } },
        });
        // The first configuration of this scope is its default, whatever the other scope has.
        assert.equal(config.is_default, true);
        const refused = async (params: Stripe.BillingPortal.SessionCreateParams, param: string) => {
          const error = await stripeError(
            stripe.billingPortal.sessions.create(params),
            E.StripeInvalidRequestError,
            400,
          );
          assert.equal(error.code, 'resource_missing', error.message);
          assert.equal(error.param, param);
        };
        await refused({ customer: owned.customer.id }, 'customer');
        await refused({ customer: customer.id, configuration: owned.config.id }, 'configuration');
        await refused(
          {
            customer: customer.id,
            flow_data: {
              type: 'subscription_cancel',
              subscription_cancel: {
                subscription: 'sub_1',
                retention: { type: 'coupon_offer', coupon_offer: { coupon: owned.coupon.id } },
              },
            },
          },
          'flow_data[subscription_cancel][retention][coupon_offer][coupon]',
        );
        await refused({ customer: customer.id, on_behalf_of: owned.connected.id }, 'on_behalf_of');
        const session = await stripe.billingPortal.sessions.create({ customer: customer.id });
        assert.equal(session.configuration, config.id);
      });
    });
  }

  test("a session opens in its own account and mode, and only names that scope's objects", async () => {
    const session = await b.billingPortal.sessions.create({ customer: bCustomer.id });
    const visit = await openSession(server.app.operations, session.url.split('/').pop()!);
    assert.equal(visit.status, 'open');
    if (visit.status !== 'open') return;
    assert.notEqual(visit.scope.accountId, server.app.boot.accountId);
    assert.equal(visit.scope.livemode, false);
    assert.equal(visit.session.customer, bCustomer.id);
    const liveCustomer = await live.customers.create({});
    const liveSession = await live.billingPortal.sessions.create({ customer: liveCustomer.id });
    assert.match(liveSession.url, /\/p\/session\/live_[A-Za-z0-9]{32}$/);
    assert.equal(liveSession.livemode, true);
    const liveVisit = await openSession(server.app.operations, liveSession.url.split('/').pop()!);
    assert.deepEqual(liveVisit.status === 'open' && liveVisit.scope, {
      accountId: server.app.boot.accountId,
      livemode: true,
    });
  });
});
