import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey, createSecretKey } from '../../src/accounts/keys.ts';
import { createPlatformAccount } from '../../src/accounts/service.ts';
import { clockCustomer } from '../scenarios/support.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('legacy plans through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let product: Stripe.Product;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    product = await stripe.products.create({ name: 'Gold' });
  });
  after(() => server.close());

  const eventTypesFor = async (id: string) =>
    (await stripe.events.list({ limit: 100 })).data
      .filter((e) => (e.data.object as { id: string }).id === id)
      .map((e) => e.type)
      .reverse();

  test('a plan with a chosen id is the recurring price of the same id', async () => {
    const plan = await stripe.plans.create({
      id: 'gold-monthly',
      amount: 2000,
      currency: 'usd',
      interval: 'month',
      interval_count: 1,
      product: product.id,
      nickname: 'Gold monthly',
      trial_period_days: 14,
      metadata: { tier: 'gold' },
    });
    assert.equal(plan.id, 'gold-monthly');
    assert.equal(plan.object, 'plan');
    assert.equal(plan.amount, 2000);
    assert.equal(String(plan.amount_decimal), '2000');
    assert.equal(plan.interval, 'month');
    assert.equal(plan.usage_type, 'licensed');
    assert.equal(plan.billing_scheme, 'per_unit');
    assert.equal(plan.trial_period_days, 14);
    assert.equal(plan.product, product.id);
    assert.deepEqual(plan.metadata, { tier: 'gold' });

    const price = await stripe.prices.retrieve('gold-monthly');
    assert.equal(price.object, 'price');
    assert.equal(price.type, 'recurring');
    assert.equal(price.unit_amount, 2000);
    assert.equal(price.nickname, 'Gold monthly');
    assert.deepEqual(price.recurring?.trial_period_days, 14);
    assert.deepEqual(await eventTypesFor('gold-monthly'), ['price.created', 'plan.created']);

    const taken = await stripeError(
      stripe.plans.create({
        id: 'gold-monthly',
        amount: 1,
        currency: 'usd',
        interval: 'month',
        product: product.id,
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(taken.code, 'resource_already_exists');
    assert.equal(taken.message, 'Plan already exists.');
  });

  test('a recurring price is retrievable as a plan; a one-time price is not', async () => {
    const price = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 900,
      recurring: { interval: 'year' },
    });
    const plan = await stripe.plans.retrieve(price.id);
    assert.equal(plan.object, 'plan');
    assert.equal(plan.amount, 900);
    assert.equal(plan.interval, 'year');
    const once = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 100 });
    const error = await stripeError(stripe.plans.retrieve(once.id), E.StripeInvalidRequestError, 404);
    assert.equal(error.code, 'resource_missing');
    assert.match(error.message, /No such plan/);
  });

  test('an inline product, tiers and generated plan_ ids', async () => {
    const plan = await stripe.plans.create({
      currency: 'eur',
      interval: 'week',
      product: { name: 'Seats', unit_label: 'seat' },
      billing_scheme: 'tiered',
      tiers_mode: 'graduated',
      tiers: [
        { up_to: 5, unit_amount: 500 },
        { up_to: 'inf', unit_amount: 300 },
      ],
      expand: ['product'],
    });
    assert.match(plan.id, /^plan_[A-Za-z0-9]+$/);
    assert.equal((plan.product as Stripe.Product).name, 'Seats');
    assert.equal(plan.tiers?.length, 2);
    assert.equal(plan.amount, null);
  });

  test('bad plans are refused on the plan’s own param names, leaving nothing behind', async () => {
    const before = (await stripe.products.list({ limit: 100 })).data.length;
    const both = await stripeError(
      stripe.plans.create({
        amount: 1,
        amount_decimal: '1.5' as unknown as Stripe.Decimal,
        currency: 'usd',
        interval: 'month',
        product: { name: 'Never made' },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(String(both.param), /^amount(_decimal)?$/);
    assert.equal((await stripe.products.list({ limit: 100 })).data.length, before, 'no product left behind');
    const count = await stripeError(
      stripe.plans.create({
        amount: 1,
        currency: 'usd',
        interval: 'year',
        interval_count: 4,
        product: product.id,
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(count.param, 'interval_count');
    const noProduct = await stripeError(
      stripe.plans.create({ amount: 1, currency: 'usd', interval: 'month' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(noProduct.code, 'parameter_missing');
    assert.equal(noProduct.param, 'product');
    const badInterval = await stripeError(
      stripe.plans.create({ amount: 1, currency: 'usd', interval: 'fortnight', product: product.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(badInterval.param, 'interval');
  });

  test('update, list filters and delete', async () => {
    const other = await stripe.products.create({ name: 'Silver' });
    const plan = await stripe.plans.create({
      amount: 500,
      currency: 'usd',
      interval: 'month',
      product: other.id,
    });
    const updated = await stripe.plans.update(plan.id, {
      nickname: 'Silver',
      active: false,
      trial_period_days: 7,
      metadata: { k: 'v' },
    });
    assert.equal(updated.nickname, 'Silver');
    assert.equal(updated.active, false);
    assert.equal(updated.trial_period_days, 7);
    assert.equal((await stripe.prices.retrieve(plan.id)).active, false);

    const listed = await stripe.plans.list({ product: other.id });
    assert.deepEqual(
      listed.data.map((p) => p.id),
      [plan.id],
    );
    assert.ok(listed.data.every((p) => p.object === 'plan'));
    const active = await stripe.plans.list({ product: other.id, active: true });
    assert.equal(active.data.length, 0);

    const deleted = await stripe.plans.del(plan.id);
    assert.deepEqual(deleted, { id: plan.id, object: 'plan', deleted: true });
    await stripeError(stripe.plans.retrieve(plan.id), E.StripeInvalidRequestError, 404);
    await stripeError(stripe.prices.retrieve(plan.id), E.StripeInvalidRequestError, 404);
    const types = await eventTypesFor(plan.id);
    assert.deepEqual(types, [
      'price.created',
      'plan.created',
      'price.updated',
      'plan.updated',
      'price.deleted',
      'plan.deleted',
    ]);
  });

  test('items[][plan] subscribes with a plan, on subscriptions and schedules', async () => {
    const plan = await stripe.plans.create({
      id: 'basic',
      amount: 1500,
      currency: 'usd',
      interval: 'month',
      product: product.id,
    });
    const { customer } = await clockCustomer(stripe, Math.floor(Date.now() / 1000));
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ plan: plan.id, quantity: 2 }],
    });
    assert.equal(sub.status, 'active');
    assert.equal(sub.items.data[0]!.price.id, 'basic');
    assert.equal(sub.items.data[0]!.plan.id, 'basic');
    const invoice = await stripe.invoices.retrieve(String(sub.latest_invoice));
    assert.equal(invoice.amount_due, 3000);
    assert.deepEqual(
      (await stripe.subscriptions.list({ plan: 'basic' } as Stripe.SubscriptionListParams)).data.map(
        (s) => s.id,
      ),
      [sub.id],
    );

    const both = await stripeError(
      stripe.subscriptions.create({ customer: customer.id, items: [{ plan: plan.id, price: plan.id }] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(String(both.param), /^items\[0\]\[(plan|price)\]$/);
    const missing = await stripeError(
      stripe.subscriptions.create({ customer: customer.id, items: [{ plan: 'no-such-plan' }] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.param, 'items[0][plan]');
    assert.equal(missing.code, 'resource_missing');

    const yearly = await stripe.plans.create({
      amount: 100,
      currency: 'usd',
      interval: 'month',
      product: product.id,
    });
    const updated = await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, plan: yearly.id }],
      proration_behavior: 'none',
    });
    assert.equal(updated.items.data[0]!.price.id, yearly.id);

    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: 'now',
      phases: [{ items: [{ plan: 'basic' }], duration: { interval: 'month', interval_count: 1 } }],
    });
    assert.equal(schedule.phases[0]!.items[0]!.price, 'basic');
  });

  test('plan on /v1/subscription_items and in createPreview subscription_details[items]', async () => {
    const planOf = (id: string, amount: number) =>
      stripe.plans.create({ id, amount, currency: 'usd', interval: 'month', product: product.id });
    const base = await planOf('team-base', 1000);
    const seats = await planOf('team-seats', 300);
    const support = await planOf('team-support', 700);
    const { customer } = await clockCustomer(stripe, Math.floor(Date.now() / 1000));
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ plan: base.id }] });

    const added = await stripe.subscriptionItems.create({
      subscription: sub.id,
      plan: seats.id,
      quantity: 3,
      proration_behavior: 'none',
    });
    assert.deepEqual([added.price.id, added.plan.id, added.quantity], [seats.id, seats.id, 3]);
    const changed = await stripe.subscriptionItems.update(added.id, {
      plan: support.id,
      quantity: 1,
      proration_behavior: 'none',
    });
    assert.deepEqual([changed.price.id, changed.plan.id], [support.id, support.id]);
    const held = await stripe.subscriptions.retrieve(sub.id);
    assert.deepEqual(
      held.items.data.map((i) => i.price.id),
      [base.id, support.id],
    );

    // Refusals name the item endpoint's own params.
    const both = await stripeError(
      stripe.subscriptionItems.update(added.id, { plan: seats.id, price: seats.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(String(both.param), /^(plan|price)$/);
    const unknown = await stripeError(
      stripe.subscriptionItems.create({ subscription: sub.id, plan: 'no-such-plan' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([unknown.code, unknown.param], ['resource_missing', 'plan']);
    assert.deepEqual(
      (await stripe.subscriptions.retrieve(sub.id)).items.data.map((i) => i.price.id),
      [base.id, support.id],
    );

    // A preview naming a plan is the preview naming the same price.
    const preview = (item: Stripe.InvoiceCreatePreviewParams.SubscriptionDetails.Item) =>
      stripe.invoices.createPreview({
        subscription: sub.id,
        subscription_details: { items: [item], proration_behavior: 'none' },
      });
    const byPlan = await preview({ id: added.id, plan: seats.id, quantity: 4 });
    const byPrice = await preview({ id: added.id, price: seats.id, quantity: 4 });
    const pricesOf = (invoice: Stripe.Invoice) =>
      invoice.lines.data.map((l) => [l.pricing?.price_details?.price, l.quantity, l.amount]);
    assert.deepEqual(pricesOf(byPlan), [
      [base.id, 1, 1000],
      [seats.id, 4, 1200],
    ]);
    assert.deepEqual(pricesOf(byPlan), pricesOf(byPrice));
    assert.equal(byPlan.total, 2200);
    const added2 = await preview({ plan: seats.id });
    assert.equal(added2.total, 1000 + 700 + 300);
    const missing = await stripeError(
      preview({ id: added.id, plan: 'no-such-plan' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual(
      [missing.code, missing.param],
      ['resource_missing', 'subscription_details[items][0][plan]'],
    );
    const clash = await stripeError(
      preview({
        plan: seats.id,
        price_data: {
          currency: 'usd',
          product: product.id,
          unit_amount: 5,
          recurring: { interval: 'month' },
        },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(String(clash.param), /^subscription_details\[items\]\[0\]\[(plan|price_data)\]$/);
  });

  test('plans belong to their account and mode; restricted keys need the price permission', async () => {
    const db = server.app.store.db;
    const now = Math.floor(Date.now() / 1000);
    const account = await createPlatformAccount(db, now, 'Other');
    const other = server.stripe(await createSecretKey(db, { accountId: account.id, livemode: false }, now));
    await stripeError(other.plans.retrieve('gold-monthly'), E.StripeInvalidRequestError, 404);
    // A chosen id is the account's own: another account may choose it too, and learns nothing.
    const theirs = await other.plans.create({
      id: 'gold-monthly',
      amount: 999,
      currency: 'eur',
      interval: 'month',
      product: { name: 'Their gold' },
    });
    assert.deepEqual([theirs.id, theirs.amount, theirs.currency], ['gold-monthly', 999, 'eur']);
    assert.equal((await other.prices.retrieve('gold-monthly')).unit_amount, 999);
    assert.notEqual((await stripe.plans.retrieve('gold-monthly')).amount, 999, 'ours is unchanged');

    const scope = { accountId: server.app.boot.accountId, livemode: false };
    const reader = server.stripe(await createRestrictedKey(db, scope, now, { prices: 'read' }));
    assert.equal((await reader.plans.retrieve('gold-monthly')).id, 'gold-monthly');
    const denied = await stripeError(
      reader.plans.create({ amount: 1, currency: 'usd', interval: 'month', product: product.id }),
      E.StripePermissionError,
      403,
    );
    assert.match(denied.message, /rak_price_write/);
  });
});
