import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { fixedClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { assertConforms } from '../support/openapi.ts';
import { startServer, type TestServer } from '../support/server.ts';

type FlowData = Stripe.BillingPortal.SessionCreateParams.FlowData;

const FD = 'flow_data';
const CONFIRM = `${FD}[subscription_update_confirm]`;

describe('billing portal session flows', () => {
  let server: TestServer;
  let stripe: Stripe;
  const clock = fixedClock(1_800_000_000);
  let customer: Stripe.Customer;
  /** Every feature on. */
  let full: Stripe.BillingPortal.Configuration;
  /** Every feature off. */
  let bare: Stripe.BillingPortal.Configuration;
  let product: Stripe.Product;
  let monthly: Stripe.Price;
  let yearly: Stripe.Price;
  let unlisted: Stripe.Price;

  const create = (flow_data: FlowData, configuration = full.id) =>
    stripe.billingPortal.sessions.create({ customer: customer.id, configuration, flow_data });

  async function refused(flow_data: FlowData, param: string, code?: string, configuration = full.id) {
    const error = await stripeError(create(flow_data, configuration), E.StripeInvalidRequestError, 400);
    assert.equal(error.param, param, error.message);
    if (code) assert.equal(error.code, code, error.message);
    return error;
  }

  before(async () => {
    server = await startServer({ clock });
    stripe = server.stripe();
    customer = await stripe.customers.create({ email: 'flow@example.com' });
    product = await stripe.products.create({ name: 'Pro' });
    const price = (interval: 'month' | 'year', amount: number) =>
      stripe.prices.create({
        product: product.id,
        currency: 'usd',
        unit_amount: amount,
        recurring: { interval },
      });
    monthly = await price('month', 1000);
    yearly = await price('year', 10000);
    unlisted = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 300,
      recurring: { interval: 'week' },
    });
    bare = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
    });
    full = await stripe.billingPortal.configurations.create({
      features: {
        customer_update: { enabled: true, allowed_updates: ['email'] },
        invoice_history: { enabled: true },
        payment_method_update: { enabled: true },
        subscription_cancel: { enabled: true },
        subscription_pause: { enabled: true },
        subscription_update: {
          enabled: true,
          default_allowed_updates: ['price', 'quantity'],
          products: [
            {
              product: product.id,
              prices: [monthly.id, yearly.id],
              adjustable_quantity: { enabled: true, minimum: 1, maximum: 5 },
            },
          ],
        },
      },
    });
  });
  after(() => server.close());

  test('payment_method_update and customer_update flows, with each after_completion', async () => {
    const plain = await create({ type: 'payment_method_update' });
    assertConforms('billing_portal.session', plain);
    assert.deepEqual(plain.flow, {
      after_completion: {
        hosted_confirmation: { custom_message: null },
        redirect: null,
        type: 'hosted_confirmation',
      },
      customer_update: null,
      subscription_cancel: null,
      subscription_pause: null,
      subscription_update: null,
      subscription_update_confirm: null,
      type: 'payment_method_update',
    });
    const message = await create({
      type: 'payment_method_update',
      after_completion: {
        type: 'hosted_confirmation',
        hosted_confirmation: { custom_message: 'x'.repeat(500) },
      },
    });
    assert.deepEqual(message.flow?.after_completion, {
      hosted_confirmation: { custom_message: 'x'.repeat(500) },
      redirect: null,
      type: 'hosted_confirmation',
    });
    const home = await create({ type: 'customer_update', after_completion: { type: 'portal_homepage' } });
    assertConforms('billing_portal.session', home);
    assert.deepEqual(home.flow?.customer_update, {});
    assert.deepEqual(home.flow?.after_completion, {
      hosted_confirmation: null,
      redirect: null,
      type: 'portal_homepage',
    });
    const away = await create({
      type: 'customer_update',
      after_completion: { type: 'redirect', redirect: { return_url: 'https://example.com/done' } },
    });
    assertConforms('billing_portal.session', away);
    assert.deepEqual(away.flow?.after_completion, {
      hosted_confirmation: null,
      redirect: { return_url: 'https://example.com/done' },
      type: 'redirect',
    });
  });

  test('the flow type is required and one of six', async () => {
    await refused(
      { after_completion: { type: 'portal_homepage' } } as FlowData,
      `${FD}[type]`,
      'parameter_missing',
    );
    await refused({ type: 'invoice_pay' as never }, `${FD}[type]`);
  });

  test('after_completion: its sub-object matches its type; redirects need an absolute URL', async () => {
    const ac = `${FD}[after_completion]`;
    await refused(
      { type: 'payment_method_update', after_completion: { type: 'redirect' } },
      `${ac}[redirect]`,
      'parameter_missing',
    );
    await refused(
      {
        type: 'payment_method_update',
        after_completion: { type: 'redirect', redirect: { return_url: 'done' } },
      },
      `${ac}[redirect][return_url]`,
      'url_invalid',
    );
    await refused(
      {
        type: 'payment_method_update',
        after_completion: { type: 'portal_homepage', hosted_confirmation: { custom_message: 'Thanks' } },
      },
      `${ac}[hosted_confirmation]`,
    );
    await refused(
      {
        type: 'payment_method_update',
        after_completion: { type: 'hosted_confirmation', redirect: { return_url: 'https://example.com' } },
      },
      `${ac}[redirect]`,
    );
    await refused(
      {
        type: 'payment_method_update',
        after_completion: {
          type: 'hosted_confirmation',
          hosted_confirmation: { custom_message: 'x'.repeat(501) },
        },
      },
      `${ac}[hosted_confirmation][custom_message]`,
      'parameter_invalid_string_too_long',
    );
    await refused(
      {
        type: 'payment_method_update',
        after_completion: { redirect: { return_url: 'https://example.com' } } as never,
      },
      `${ac}[type]`,
      'parameter_missing',
    );
  });

  test('the sub-object of the type is required, and one of another type is refused', async () => {
    for (const type of [
      'subscription_cancel',
      'subscription_pause',
      'subscription_update',
      'subscription_update_confirm',
    ] as const) {
      await refused({ type }, `${FD}[${type}]`, 'parameter_missing');
    }
    const error = await refused(
      { type: 'payment_method_update', subscription_cancel: { subscription: 'sub_123' } },
      `${FD}[subscription_cancel]`,
    );
    assert.match(error.message, /does not apply to a `payment_method_update` flow/);
    await refused(
      {
        type: 'subscription_update',
        subscription_update: { subscription: 'sub_1' },
        subscription_pause: { subscription: 'sub_1' },
      },
      `${FD}[subscription_pause]`,
    );
  });

  test('each flow needs its feature enabled in the configuration', async () => {
    const flows: [FlowData, string][] = [
      [{ type: 'payment_method_update' }, 'payment_method_update'],
      [{ type: 'customer_update' }, 'customer_update'],
      [
        { type: 'subscription_cancel', subscription_cancel: { subscription: 'sub_1' } },
        'subscription_cancel',
      ],
      [
        { type: 'subscription_pause', subscription_pause: { subscription: 'sub_1' } } as FlowData,
        'subscription_pause',
      ],
      [
        { type: 'subscription_update', subscription_update: { subscription: 'sub_1' } },
        'subscription_update',
      ],
      [
        {
          type: 'subscription_update_confirm',
          subscription_update_confirm: { subscription: 'sub_1', items: [{ id: 'si_1', price: monthly.id }] },
        },
        'subscription_update',
      ],
    ];
    for (const [flow, feature] of flows) {
      const error = await refused(flow, `${FD}[type]`, undefined, bare.id);
      assert.match(error.message, new RegExp(`does not enable \`features\\[${feature}\\]\``));
    }
  });

  test('subscriptions must exist', async () => {
    for (const type of ['subscription_cancel', 'subscription_pause', 'subscription_update'] as const) {
      const error = await refused(
        { type, [type]: { subscription: 'sub_nope' } } as FlowData,
        `${FD}[${type}][subscription]`,
        'resource_missing',
      );
      assert.equal(error.message, "No such subscription: 'sub_nope'");
    }
    await refused(
      {
        type: 'subscription_update_confirm',
        subscription_update_confirm: { subscription: 'sub_nope', items: [{ id: 'si_1', price: yearly.id }] },
      },
      `${CONFIRM}[subscription]`,
      'resource_missing',
    );
  });

  test('the retention coupon exists and is still valid', async () => {
    const retention = (coupon: string): FlowData => ({
      type: 'subscription_cancel',
      subscription_cancel: {
        subscription: 'sub_1',
        retention: { type: 'coupon_offer', coupon_offer: { coupon } },
      },
    });
    const param = `${FD}[subscription_cancel][retention][coupon_offer][coupon]`;
    await refused(retention('NOPE'), param, 'resource_missing');
    const lapsing = await stripe.coupons.create({ percent_off: 20, redeem_by: clock.now() + 60 });
    clock.advance(120);
    const error = await refused(retention(lapsing.id), param, 'coupon_expired');
    assert.match(error.message, /no longer valid/);
    await refused(
      {
        type: 'subscription_cancel',
        subscription_cancel: { subscription: 'sub_1', retention: { type: 'coupon_offer' } as never },
      },
      `${FD}[subscription_cancel][retention][coupon_offer]`,
      'parameter_missing',
    );
  });

  test('subscription_update_confirm: one item, something to change, a price the configuration offers', async () => {
    const confirm = (
      update: Partial<Stripe.BillingPortal.SessionCreateParams.FlowData.SubscriptionUpdateConfirm>,
    ): FlowData => ({
      type: 'subscription_update_confirm',
      subscription_update_confirm: {
        subscription: 'sub_1',
        items: [{ id: 'si_1', price: yearly.id }],
        ...update,
      },
    });
    await refused(
      confirm({
        items: [
          { id: 'si_1', price: yearly.id },
          { id: 'si_2', price: monthly.id },
        ],
      }),
      `${CONFIRM}[items]`,
    );
    await refused(
      confirm({ items: [{ price: yearly.id } as never] }),
      `${CONFIRM}[items][0][id]`,
      'parameter_missing',
    );
    await refused(confirm({ items: [{ id: 'si_1' }] }), `${CONFIRM}[items][0][price]`);
    const unoffered = await refused(
      confirm({ items: [{ id: 'si_1', price: unlisted.id }] }),
      `${CONFIRM}[items][0][price]`,
    );
    assert.match(unoffered.message, /not offered by the configuration/);
    await refused(
      confirm({ items: [{ id: 'si_1', price: yearly.id, quantity: 6 }] }),
      `${CONFIRM}[items][0][quantity]`,
    );
    await refused(
      confirm({ items: [{ id: 'si_1', price: yearly.id, quantity: 0 }] }),
      `${CONFIRM}[items][0][quantity]`,
    );
    await refused(
      confirm({ items: [{ id: 'si_1', price: yearly.id, quantity: -1 }] }),
      `${CONFIRM}[items][0][quantity]`,
    );
  });

  test('subscription_update_confirm discounts: at most one, one kind each, valid', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 10 });
    const other = await stripe.customers.create({});
    const theirs = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      customer: other.id,
    });
    const off = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      active: false,
    });
    const confirm = (
      discounts: Stripe.BillingPortal.SessionCreateParams.FlowData.SubscriptionUpdateConfirm.Discount[],
    ): FlowData => ({
      type: 'subscription_update_confirm',
      subscription_update_confirm: {
        subscription: 'sub_1',
        items: [{ id: 'si_1', price: yearly.id }],
        discounts,
      },
    });
    await refused(confirm([{ coupon: coupon.id }, { coupon: coupon.id }]), `${CONFIRM}[discounts]`);
    await refused(
      confirm([{ coupon: coupon.id, promotion_code: theirs.id }]),
      `${CONFIRM}[discounts][0][promotion_code]`,
    );
    await refused(confirm([{ coupon: 'NOPE' }]), `${CONFIRM}[discounts][0][coupon]`, 'resource_missing');
    await refused(
      confirm([{ promotion_code: 'promo_nope' }]),
      `${CONFIRM}[discounts][0][promotion_code]`,
      'resource_missing',
    );
    const inactive = await refused(
      confirm([{ promotion_code: off.id }]),
      `${CONFIRM}[discounts][0][promotion_code]`,
    );
    assert.match(inactive.message, /inactive/);
    const restricted = await refused(
      confirm([{ promotion_code: theirs.id }]),
      `${CONFIRM}[discounts][0][promotion_code]`,
    );
    assert.match(restricted.message, /restricted to another customer/);
    // Valid discounts pass these checks and reach the subscription.
    await refused(confirm([{ coupon: coupon.id }]), `${CONFIRM}[subscription]`, 'resource_missing');
  });
});
