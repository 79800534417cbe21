import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createSecretKey } from '../../src/accounts/keys.ts';
import { createPlatformAccount } from '../../src/accounts/service.ts';
import { systemClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { assertConforms } from '../support/openapi.ts';
import { startServer, type TestServer } from '../support/server.ts';

type FlowData = Stripe.BillingPortal.SessionCreateParams.FlowData;
type Confirm = Stripe.BillingPortal.SessionCreateParams.FlowData.SubscriptionUpdateConfirm;

const FD = 'flow_data';
const CONFIRM = `${FD}[subscription_update_confirm]`;

describe('billing portal flows on real subscriptions', () => {
  let server: TestServer;
  let stripe: Stripe;
  let customer: Stripe.Customer;
  let config: Stripe.BillingPortal.Configuration;
  let product: Stripe.Product;
  let monthly: Stripe.Price;
  let yearly: Stripe.Price;
  let subscription: Stripe.Subscription;

  /** A customer with a card as its default payment method, so subscriptions start active. */
  async function payingCustomer(): Promise<Stripe.Customer> {
    const made = await stripe.customers.create({ email: 'payer@example.com' });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: made.id });
    return stripe.customers.update(made.id, { invoice_settings: { default_payment_method: card.id } });
  }

  const subscribe = (params: Partial<Stripe.SubscriptionCreateParams> = {}, who = customer) =>
    stripe.subscriptions.create({ customer: who.id, items: [{ price: monthly.id }], ...params });

  const create = (flow_data: FlowData, extra: Partial<Stripe.BillingPortal.SessionCreateParams> = {}) =>
    stripe.billingPortal.sessions.create({
      customer: customer.id,
      configuration: config.id,
      flow_data,
      ...extra,
    });

  async function refused(
    flow_data: FlowData,
    param: string,
    pattern: RegExp,
    extra: Partial<Stripe.BillingPortal.SessionCreateParams> = {},
  ) {
    const error = await stripeError(create(flow_data, extra), E.StripeInvalidRequestError, 400);
    assert.equal(error.param, param, error.message);
    assert.match(error.message, pattern);
    return error;
  }

  const confirm = (update: Partial<Confirm>, sub = subscription): FlowData => ({
    type: 'subscription_update_confirm',
    subscription_update_confirm: {
      subscription: sub.id,
      items: [{ id: sub.items.data[0]!.id, price: yearly.id }],
      ...update,
    },
  });

  const configure = (update: Stripe.BillingPortal.ConfigurationCreateParams.Features.SubscriptionUpdate) =>
    stripe.billingPortal.configurations.create({
      features: {
        payment_method_update: { enabled: true },
        subscription_cancel: { enabled: true },
        subscription_pause: { enabled: true },
        subscription_update: update,
      },
    });

  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    product = await stripe.products.create({ name: 'Pro' });
    const price = (
      interval: 'month' | 'year',
      amount: number,
      extra: Partial<Stripe.PriceCreateParams> = {},
    ) =>
      stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: amount,
        recurring: { interval },
        ...extra,
      });
    monthly = await price('month', 1000);
    yearly = await price('year', 10000);
    config = await configure({
      enabled: true,
      default_allowed_updates: ['price', 'quantity'],
      products: [
        {
          product: product.id,
          prices: [monthly.id, yearly.id],
          adjustable_quantity: { enabled: true, minimum: 1, maximum: 5 },
        },
      ],
    });
    customer = await payingCustomer();
    subscription = await subscribe();
    assert.equal(subscription.status, 'active');
  });
  after(() => server.close());

  test('each subscription flow is created with its sub-object, and nothing else set', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 30, duration: 'once' });
    const cancel = await create({
      type: 'subscription_cancel',
      subscription_cancel: {
        subscription: subscription.id,
        retention: { type: 'coupon_offer', coupon_offer: { coupon: coupon.id } },
      },
      after_completion: { type: 'redirect', redirect: { return_url: 'https://example.com/bye' } },
    });
    assertConforms('billing_portal.session', cancel);
    assert.deepEqual(cancel.flow, {
      after_completion: {
        hosted_confirmation: null,
        redirect: { return_url: 'https://example.com/bye' },
        type: 'redirect',
      },
      customer_update: null,
      subscription_cancel: {
        retention: { coupon_offer: { coupon: coupon.id }, type: 'coupon_offer' },
        subscription: subscription.id,
      },
      subscription_pause: null,
      subscription_update: null,
      subscription_update_confirm: null,
      type: 'subscription_cancel',
    });
    const plainCancel = await create({
      type: 'subscription_cancel',
      subscription_cancel: { subscription: subscription.id },
    });
    assert.deepEqual(plainCancel.flow?.subscription_cancel, {
      retention: null,
      subscription: subscription.id,
    });

    const pause = await create({
      type: 'subscription_pause',
      subscription_pause: { subscription: subscription.id },
    } as FlowData);
    assertConforms('billing_portal.session', pause);
    assert.deepEqual(pause.flow?.subscription_pause, { subscription: subscription.id });
    assert.equal(pause.flow?.subscription_cancel, null);

    const update = await create({
      type: 'subscription_update',
      subscription_update: { subscription: subscription.id },
    });
    assertConforms('billing_portal.session', update);
    assert.deepEqual(update.flow?.subscription_update, { subscription: subscription.id });

    const item = subscription.items.data[0]!.id;
    const confirmed = await create(
      confirm({ items: [{ id: item, price: yearly.id, quantity: 3 }], discounts: [{ coupon: coupon.id }] }),
    );
    assertConforms('billing_portal.session', confirmed);
    assert.deepEqual(confirmed.flow?.subscription_update_confirm, {
      discounts: [{ coupon: coupon.id, promotion_code: null }],
      items: [{ id: item, price: yearly.id, quantity: 3 }],
      subscription: subscription.id,
    });
    // A quantity change alone: `price` null, and `quantity` present because it was sent.
    const promo = await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id } });
    const quantity = await create(
      confirm({ items: [{ id: item, quantity: 2 }], discounts: [{ promotion_code: promo.id }] }),
    );
    assertConforms('billing_portal.session', quantity);
    assert.deepEqual(quantity.flow?.subscription_update_confirm, {
      discounts: [{ coupon: null, promotion_code: promo.id }],
      items: [{ id: item, price: null, quantity: 2 }],
      subscription: subscription.id,
    });
    // Without `quantity`, the item has none.
    const priceOnly = await create(confirm({}));
    assert.deepEqual(priceOnly.flow?.subscription_update_confirm?.items, [{ id: item, price: yearly.id }]);
    assert.equal(priceOnly.flow?.subscription_update_confirm?.discounts, null);
  });

  test("the subscription must be the customer's, and on behalf of the session's account", async () => {
    const stranger = await payingCustomer();
    const theirs = await subscribe({}, stranger);
    for (const type of ['subscription_cancel', 'subscription_pause', 'subscription_update'] as const) {
      await refused(
        { type, [type]: { subscription: theirs.id } } as FlowData,
        `${FD}[${type}][subscription]`,
        /does not belong to the customer/,
      );
    }
    await refused(confirm({}, theirs), `${CONFIRM}[subscription]`, /does not belong to the customer/);
    const connected = await stripe.accounts.create({ type: 'custom' });
    await refused(
      { type: 'subscription_cancel', subscription_cancel: { subscription: subscription.id } },
      `${FD}[subscription_cancel][subscription]`,
      new RegExp(`not on behalf of ${connected.id}`),
      { on_behalf_of: connected.id },
    );
  });

  test('canceled subscriptions and those already set to cancel', async () => {
    const ending = await subscribe({ cancel_at_period_end: true });
    await refused(
      { type: 'subscription_cancel', subscription_cancel: { subscription: ending.id } },
      `${FD}[subscription_cancel][subscription]`,
      /already set to cancel/,
    );
    // Still updatable while it runs.
    assert.ok(
      (await create({ type: 'subscription_update', subscription_update: { subscription: ending.id } })).flow,
    );
    const gone = await subscribe();
    await stripe.subscriptions.cancel(gone.id);
    for (const type of ['subscription_cancel', 'subscription_pause', 'subscription_update'] as const) {
      await refused(
        { type, [type]: { subscription: gone.id } } as FlowData,
        `${FD}[${type}][subscription]`,
        /is canceled/,
      );
    }
  });

  test('pauses: only active subscriptions charged automatically', async () => {
    const trial = await subscribe({ trial_period_days: 7 });
    assert.equal(trial.status, 'trialing');
    await refused(
      { type: 'subscription_pause', subscription_pause: { subscription: trial.id } } as FlowData,
      `${FD}[subscription_pause][subscription]`,
      /trialing: only active subscriptions can be paused/,
    );
    const invoiced = await subscribe({ collection_method: 'send_invoice', days_until_due: 30 });
    await refused(
      { type: 'subscription_pause', subscription_pause: { subscription: invoiced.id } } as FlowData,
      `${FD}[subscription_pause][subscription]`,
      /charged automatically/,
    );
    const paused = await subscribe();
    await stripe.subscriptions.pause(paused.id);
    await refused(
      { type: 'subscription_pause', subscription_pause: { subscription: paused.id } } as FlowData,
      `${FD}[subscription_pause][subscription]`,
      /paused: only active subscriptions can be paused/,
    );
    await refused(
      { type: 'subscription_update', subscription_update: { subscription: paused.id } },
      `${FD}[subscription_update][subscription]`,
      /paused: only active or trialing subscriptions can be updated/,
    );
    // A paused subscription can still be canceled.
    assert.ok(
      (await create({ type: 'subscription_cancel', subscription_cancel: { subscription: paused.id } })).flow,
    );
  });

  test('updates: cancel-only subscriptions, unlisted products; trials may be updated', async () => {
    const invoiced = await subscribe({ collection_method: 'send_invoice', days_until_due: 30 });
    await refused(
      { type: 'subscription_update', subscription_update: { subscription: invoiced.id } },
      `${FD}[subscription_update][subscription]`,
      /send_invoice.*can only be canceled/,
    );
    const otherProduct = await stripe.products.create({ name: 'Add-on' });
    const addOn = await stripe.prices.create({
      product: otherProduct.id,
      currency: 'usd',
      unit_amount: 200,
      recurring: { interval: 'month' },
    });
    const bundle = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: monthly.id }, { price: addOn.id }],
    });
    await refused(
      { type: 'subscription_update', subscription_update: { subscription: bundle.id } },
      `${FD}[subscription_update][subscription]`,
      /several products/,
    );
    // Cancel-only still allows the cancel flow.
    assert.ok(
      (await create({ type: 'subscription_cancel', subscription_cancel: { subscription: bundle.id } })).flow,
    );
    const addOnOnly = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: addOn.id }],
    });
    await refused(
      { type: 'subscription_update', subscription_update: { subscription: addOnOnly.id } },
      `${FD}[subscription_update][subscription]`,
      /is not among the configuration's/,
    );
    const trial = await subscribe({ trial_period_days: 7 });
    assert.ok(
      (await create({ type: 'subscription_update', subscription_update: { subscription: trial.id } })).flow,
    );
  });

  test('confirmed updates: the item, the allowed changes, currency, tax behaviour and quantity range', async () => {
    await refused(
      confirm({ items: [{ id: 'si_nope', price: yearly.id }] }),
      `${CONFIRM}[items][0][id]`,
      /not an item of/,
    );
    await refused(
      confirm({ items: [{ id: subscription.items.data[0]!.id, quantity: 9 }] }),
      `${CONFIRM}[items][0][quantity]`,
      /between 1 and 5/,
    );
    // Two items of one product: updatable in general, but not through a confirmation.
    const second = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 1500,
      recurring: { interval: 'month' },
    });
    const twoItems = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: monthly.id }, { price: second.id }],
    });
    await refused(confirm({}, twoItems), `${CONFIRM}[subscription]`, /has 2 items/);

    const euro = await stripe.prices.create({
      product: product.id,
      currency: 'eur',
      unit_amount: 9000,
      recurring: { interval: 'year' },
    });
    const taxed = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 900,
      recurring: { interval: 'week' },
      tax_behavior: 'exclusive',
    });
    const strict = await configure({
      enabled: true,
      default_allowed_updates: ['price'],
      products: [{ product: product.id, prices: [monthly.id, euro.id, taxed.id] }],
    });
    const item = subscription.items.data[0]!.id;
    const onStrict = { configuration: strict.id };
    await refused(
      confirm({ items: [{ id: item, price: euro.id }] }),
      `${CONFIRM}[items][0][price]`,
      /same currency/,
      onStrict,
    );
    await refused(
      confirm({ items: [{ id: item, price: taxed.id }] }),
      `${CONFIRM}[items][0][price]`,
      /same tax behavior/,
      onStrict,
    );
    await refused(
      confirm({ items: [{ id: item, quantity: 2 }] }),
      `${CONFIRM}[items][0][quantity]`,
      /does not allow quantity changes/,
      onStrict,
    );
    // Confirming the current price and quantity needs no permission to change them.
    assert.ok(
      (await create(confirm({ items: [{ id: item, price: monthly.id, quantity: 1 }] }), onStrict)).flow,
    );
    const quantities = await configure({
      enabled: true,
      default_allowed_updates: ['quantity'],
      products: [
        { product: product.id, prices: [monthly.id, yearly.id], adjustable_quantity: { enabled: true } },
      ],
    });
    await refused(
      confirm({ items: [{ id: item, price: yearly.id }] }),
      `${CONFIRM}[items][0][price]`,
      /does not allow price changes/,
      { configuration: quantities.id },
    );
  });

  test("another account cannot name this account's subscriptions", async () => {
    const now = systemClock.now();
    const other = await createPlatformAccount(server.app.store.db, now, 'Elsewhere');
    const b = server.stripe(
      await createSecretKey(server.app.store.db, { accountId: other.id, livemode: false }, now),
    );
    await b.billingPortal.configurations.create({ features: { subscription_cancel: { enabled: true } } });
    const bCustomer = await b.customers.create({});
    const error = await stripeError(
      b.billingPortal.sessions.create({
        customer: bCustomer.id,
        flow_data: { type: 'subscription_cancel', subscription_cancel: { subscription: subscription.id } },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.code, 'resource_missing');
    assert.equal(error.param, `${FD}[subscription_cancel][subscription]`);
  });
});
