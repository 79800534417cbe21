import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { advance, clockCustomer, DAY, invoicesOf, monthlyPrice, utc } from '../scenarios/support.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('subscriptions through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let monthly: Stripe.Price;
  let seats: Stripe.Price;
  const jan1 = utc(2027, 1, 1);
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    monthly = await monthlyPrice(stripe, 'Basic', 3000);
    seats = await monthlyPrice(stripe, 'Seats', 500);
  });
  after(() => server.close());

  test('the created object: every field Stripe returns, items with their periods and plan', async () => {
    const { customer, paymentMethod } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [
        { price: monthly.id, metadata: { role: 'base' } },
        { price: seats.id, quantity: 4 },
      ],
      default_payment_method: paymentMethod.id,
      description: 'Team plan',
      metadata: { team: 'core' },
      expand: ['latest_invoice', 'customer'],
    });
    assert.match(sub.id, /^sub_/);
    assert.equal(sub.object, 'subscription');
    assert.equal((sub.customer as Stripe.Customer).id, customer.id);
    assert.equal(sub.currency, 'usd');
    assert.equal(sub.collection_method, 'charge_automatically');
    assert.equal(sub.default_payment_method, paymentMethod.id);
    assert.equal(sub.description, 'Team plan');
    assert.deepEqual(sub.metadata, { team: 'core' });
    assert.equal(sub.test_clock, customer.test_clock);
    assert.equal(sub.billing_mode.type, 'classic');
    assert.equal(sub.items.object, 'list');
    assert.equal(sub.items.data.length, 2);
    const [base, team] = sub.items.data;
    assert.match(base!.id, /^si_/);
    assert.equal(base!.subscription, sub.id);
    assert.deepEqual(base!.metadata, { role: 'base' });
    assert.equal(base!.plan.id, monthly.id);
    assert.equal(base!.plan.amount, 3000);
    assert.equal(base!.plan.interval, 'month');
    assert.equal(team!.quantity, 4);
    assert.equal(team!.current_period_start, jan1);
    assert.equal(team!.current_period_end, utc(2027, 2, 1));
    const invoice = sub.latest_invoice as Stripe.Invoice;
    assert.equal(invoice.amount_paid, 5000);
    assert.equal(invoice.parent?.subscription_details?.subscription, sub.id);
    assert.deepEqual(
      invoice.lines.data.map((l) => [
        l.description,
        l.amount,
        l.parent?.subscription_item_details?.subscription_item,
      ]),
      [
        ['1 × Basic', 3000, base!.id],
        ['4 × Seats', 2000, team!.id],
      ],
    );
    const created = (await stripe.events.list({ type: 'customer.subscription.created', limit: 1 })).data[0]!;
    assert.equal((created.data.object as Stripe.Subscription).id, sub.id);
  });

  test('create refuses bad input, naming the param, and writes nothing', async () => {
    const { customer } = await clockCustomer(stripe, jan1);
    const oneTime = await stripe.prices.create({
      product: String(monthly.product),
      currency: 'usd',
      unit_amount: 100,
    });
    const euro = await stripe.prices.create({
      product: String(monthly.product),
      currency: 'eur',
      unit_amount: 100,
      recurring: { interval: 'month' },
    });
    const yearly = await stripe.prices.create({
      product: String(monthly.product),
      currency: 'usd',
      unit_amount: 100,
      recurring: { interval: 'year' },
    });
    const archived = await stripe.prices.create({
      product: String(monthly.product),
      currency: 'usd',
      unit_amount: 100,
      recurring: { interval: 'month' },
      active: false,
    });
    const other = await stripe.customers.create({});
    const foreignCard = await stripe.paymentMethods.attach('pm_card_visa', { customer: other.id });
    const cases: [Stripe.SubscriptionCreateParams, string, string?][] = [
      [{ items: [{ price: monthly.id }] }, 'customer', 'parameter_missing'],
      [{ customer: 'cus_missing', items: [{ price: monthly.id }] }, 'customer', 'resource_missing'],
      [{ customer: customer.id }, 'items', 'parameter_missing'],
      [{ customer: customer.id, items: [{ price: 'price_missing' }] }, 'items[0][price]', 'resource_missing'],
      [{ customer: customer.id, items: [{ price: oneTime.id }] }, 'items[0][price]'],
      [{ customer: customer.id, items: [{ price: archived.id }] }, 'items[0][price]'],
      [{ customer: customer.id, items: [{ price: monthly.id }, { price: euro.id }] }, 'items'],
      [{ customer: customer.id, items: [{ price: monthly.id }, { price: yearly.id }] }, 'items'],
      [{ customer: customer.id, items: [{ price: monthly.id }, { price: monthly.id }] }, 'items[1][price]'],
      [{ customer: customer.id, items: [{ price: monthly.id }], trial_end: jan1 - 10 }, 'trial_end'],
      [
        {
          customer: customer.id,
          items: [{ price: monthly.id }],
          trial_end: jan1 + DAY,
          trial_period_days: 3,
        },
        'trial_end',
      ],
      [{ customer: customer.id, items: [{ price: monthly.id }], days_until_due: 3 }, 'days_until_due'],
      [
        { customer: customer.id, items: [{ price: monthly.id }], default_payment_method: foreignCard.id },
        'default_payment_method',
      ],
      [
        { customer: customer.id, items: [{ price: monthly.id }], payment_behavior: 'pending_if_incomplete' },
        'payment_behavior',
      ],
      [{ customer: customer.id, items: [{ price: monthly.id, quantity: -1 }] }, 'items[0][quantity]'],
      [{ customer: customer.id, items: [{ price: monthly.id }], cancel_at: jan1 - 5 }, 'cancel_at'],
      [
        { customer: customer.id, items: [{ price: monthly.id }], billing_cycle_anchor: utc(2027, 3, 1) },
        'billing_cycle_anchor',
      ],
    ];
    for (const [params, param, code] of cases) {
      const error = await stripeError(stripe.subscriptions.create(params), E.StripeInvalidRequestError, 400);
      assert.equal(error.param, param, `${JSON.stringify(params)}: ${error.message}`);
      if (code) assert.equal(error.code, code, JSON.stringify(params));
    }
    assert.equal((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data.length, 0);
  });

  test('price_data makes an inline price; a later anchor bills a prorated stub', async () => {
    const { customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [
        {
          price_data: {
            currency: 'usd',
            product: String(monthly.product),
            unit_amount: 3100,
            recurring: { interval: 'month' },
          },
        },
      ],
      billing_cycle_anchor: utc(2027, 1, 11),
    });
    const price = sub.items.data[0]!.price;
    assert.equal(price.active, false, 'inline prices are not offered elsewhere');
    assert.equal(sub.billing_cycle_anchor, utc(2027, 1, 11));
    assert.equal(sub.items.data[0]!.current_period_end, utc(2027, 1, 11));
    const invoice = await stripe.invoices.retrieve(String(sub.latest_invoice));
    // 10 days of the 31-day period ending on 11 Jan (11 Dec – 11 Jan): round(3100 × 10/31) = 1000.
    assert.equal(invoice.amount_due, 1000);
  });

  test('list filters: customer, price, status (default hides ended ones), test_clock; search', async () => {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const a = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: monthly.id }],
      metadata: { tier: 'gold' },
    });
    const b = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: seats.id }] });
    await stripe.subscriptions.cancel(b.id);
    const ids = async (params: Stripe.SubscriptionListParams) =>
      (await stripe.subscriptions.list({ customer: customer.id, ...params })).data.map((s) => s.id);
    assert.deepEqual(await ids({}), [a.id]);
    assert.deepEqual(await ids({ status: 'all' }), [b.id, a.id]);
    assert.deepEqual(await ids({ status: 'canceled' }), [b.id]);
    assert.deepEqual(await ids({ status: 'ended' }), [b.id]);
    assert.deepEqual(await ids({ price: seats.id, status: 'all' }), [b.id]);
    assert.deepEqual(await ids({ test_clock: clock.id, status: 'all' }), [b.id, a.id]);
    assert.deepEqual(await ids({ current_period_end: { gte: utc(2027, 2, 1) } }), [a.id]);
    assert.deepEqual(await ids({ current_period_end: { lt: utc(2027, 2, 1) } }), []);
    const found = await stripe.subscriptions.search({ query: 'metadata["tier"]:"gold" AND status:"active"' });
    assert.deepEqual(
      found.data.map((s) => s.id),
      [a.id],
    );
  });

  test('subscription items: list, retrieve, add, change and remove through their own endpoints', async () => {
    const { customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] });
    const listed = await stripe.subscriptionItems.list({ subscription: sub.id });
    assert.deepEqual(
      listed.data.map((i) => i.id),
      [sub.items.data[0]!.id],
    );
    const added = await stripe.subscriptionItems.create({
      subscription: sub.id,
      price: seats.id,
      quantity: 2,
      proration_behavior: 'none',
    });
    assert.equal(added.quantity, 2);
    assert.equal(added.subscription, sub.id);
    const changed = await stripe.subscriptionItems.update(added.id, {
      quantity: 5,
      proration_behavior: 'none',
    });
    assert.equal(changed.quantity, 5);
    assert.equal((await stripe.subscriptionItems.retrieve(added.id)).quantity, 5);
    assert.deepEqual(await stripe.subscriptionItems.del(added.id, { proration_behavior: 'none' }), {
      id: added.id,
      object: 'subscription_item',
      deleted: true,
    });
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).items.data.length, 1);
    const last = await stripeError(
      stripe.subscriptionItems.del(sub.items.data[0]!.id),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(last.param, 'items');
    await stripeError(stripe.subscriptionItems.retrieve(added.id), E.StripeInvalidRequestError, 404);
  });

  test('pause and resume: no invoices while paused; resuming starts a new period now', async () => {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] });
    await advance(stripe, clock.id, utc(2027, 1, 16));
    const paused = await stripe.subscriptions.pause(sub.id, {
      bill_for: { unused_time_from: { type: 'none' } },
    });
    assert.equal(paused.status, 'paused');
    assert.equal(paused.status_details?.paused.subscription.type, 'pause_requested');
    assert.equal(paused.status_details?.paused.transitioned_at, utc(2027, 1, 16));
    await advance(stripe, clock.id, utc(2027, 3, 10));
    assert.equal((await invoicesOf(stripe, customer.id)).length, 1, 'nothing billed while paused');
    const resumed = await stripe.subscriptions.resume(sub.id);
    assert.equal(resumed.status, 'active');
    assert.equal(resumed.billing_cycle_anchor, utc(2027, 3, 10));
    assert.equal(resumed.items.data[0]!.current_period_end, utc(2027, 4, 10));
    const invoices = await invoicesOf(stripe, customer.id);
    assert.deepEqual(
      invoices.map((i) => i.amount_paid),
      [3000, 3000],
    );
    const types = (await stripe.events.list({ limit: 100 })).data.map((e) => e.type);
    assert.ok(
      types.includes('customer.subscription.paused') && types.includes('customer.subscription.resumed'),
    );
    await stripeError(stripe.subscriptions.resume(sub.id), E.StripeInvalidRequestError, 400);
  });

  test('another account cannot see a subscription', async () => {
    const { customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] });
    const account = await stripe.accounts.create({ type: 'custom' } as Stripe.AccountCreateParams);
    const missing = await stripeError(
      stripe.subscriptions.retrieve(sub.id, {}, { stripeAccount: account.id }),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(missing.code, 'resource_missing');
  });

  test('discounts expand to discount objects, and through them to their coupon', async () => {
    const { customer } = await clockCustomer(stripe, jan1);
    const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'forever', name: 'Ten' });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: monthly.id }],
      discounts: [{ coupon: coupon.id }],
    });
    const expanded = await stripe.subscriptions.retrieve(sub.id, { expand: ['discounts.source.coupon'] });
    const discount = expanded.discounts[0] as Stripe.Discount;
    assert.match(discount.id, /^di_/);
    assert.equal(discount.subscription, sub.id);
    assert.equal(discount.start, jan1);
    assert.equal(discount.end, null);
    assert.equal((discount.source.coupon as Stripe.Coupon).name, 'Ten');
    const invoice = await stripe.invoices.retrieve(String(sub.latest_invoice));
    assert.equal(invoice.amount_due, 2700);
  });

  test('on_behalf_of names a connected account; its invoices carry it; a portal flow for it works', async () => {
    const { customer } = await clockCustomer(stripe, jan1);
    const connected = await stripe.accounts.create({ type: 'custom' } as Stripe.AccountCreateParams);
    const missing = await stripeError(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: monthly.id }],
        on_behalf_of: 'acct_nope',
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.param, 'on_behalf_of');
    assert.equal(missing.code, 'resource_missing');
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: monthly.id }],
      on_behalf_of: connected.id,
    });
    assert.equal(sub.on_behalf_of, connected.id);
    assert.equal((await stripe.invoices.retrieve(String(sub.latest_invoice))).on_behalf_of, connected.id);
    await stripe.billingPortal.configurations.create({
      features: { subscription_cancel: { enabled: true } },
      business_profile: { headline: 'Acme' },
    });
    const session = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      on_behalf_of: connected.id,
      return_url: 'https://example.com/account',
      flow_data: { type: 'subscription_cancel', subscription_cancel: { subscription: sub.id } },
    });
    assert.equal(session.flow?.subscription_cancel?.subscription, sub.id);
    const cleared = await stripe.subscriptions.update(sub.id, { on_behalf_of: '' });
    assert.equal(cleared.on_behalf_of, null);
  });

  test('deleteDiscount removes the subscription’s discounts; later invoices are full price', async () => {
    const { customer } = await clockCustomer(stripe, jan1);
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: 'forever' });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: monthly.id }],
      discounts: [{ coupon: coupon.id }],
    });
    const deleted = await stripe.subscriptions.deleteDiscount(sub.id);
    assert.equal(deleted.object, 'discount');
    assert.equal(deleted.deleted, true);
    assert.equal(deleted.id, sub.discounts[0]);
    assert.deepEqual((await stripe.subscriptions.retrieve(sub.id)).discounts, []);
    const none = await stripeError(
      stripe.subscriptions.deleteDiscount(sub.id),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(none.code, 'resource_missing');
  });

  test('deleting the customer ends its subscriptions at once; nothing more is billed', async () => {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] });
    const paused = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: seats.id }] });
    await stripe.subscriptions.pause(paused.id);
    await stripe.customers.del(customer.id);
    for (const id of [sub.id, paused.id]) {
      const ended = await stripe.subscriptions.retrieve(id);
      assert.equal(ended.status, 'canceled');
      assert.equal(ended.ended_at, jan1);
    }
    await advance(stripe, clock.id, utc(2027, 3, 1));
    const invoices = await stripe.invoices.list({ customer: customer.id });
    assert.equal(invoices.data.length, 2, 'only the two first invoices');
  });
});
