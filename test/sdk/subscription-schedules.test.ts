import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey } from '../../src/accounts/keys.ts';
import { advance, clockCustomer, invoicesOf, utc } from '../scenarios/support.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

const START = utc(2027, 3, 10);

describe('subscription schedules through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let pro: Stripe.Price;
  let basic: Stripe.Price;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    const monthly = (name: string, amount: number) =>
      stripe.prices.create({
        product_data: { name },
        currency: 'usd',
        unit_amount: amount,
        recurring: { interval: 'month' },
      });
    pro = await monthly('Pro', 3000);
    basic = await monthly('Basic', 1000);
  });
  after(() => server.close());

  test('create for a customer starting now: every field, and the subscription it starts', async () => {
    const { clock, customer } = await clockCustomer(stripe, START);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: 'now',
      metadata: { source: 'test' },
      phases: [{ items: [{ price: pro.id, quantity: 2, metadata: { seat: 'a' } }] }],
    });
    assert.match(schedule.id, /^sub_sched_[A-Za-z0-9]{29}$/);
    const sub = await stripe.subscriptions.retrieve(String(schedule.subscription));
    assert.deepEqual(schedule, {
      id: schedule.id,
      object: 'subscription_schedule',
      application: null,
      billing_mode: { flexible: null, type: 'classic' },
      canceled_at: null,
      completed_at: null,
      created: START,
      current_phase: { start_date: START, end_date: utc(2027, 4, 10) },
      customer: customer.id,
      customer_account: null,
      default_settings: {
        application_fee_percent: null,
        automatic_tax: { disabled_reason: null, enabled: false, liability: null },
        billing_cycle_anchor: 'automatic',
        billing_thresholds: null,
        collection_method: 'charge_automatically',
        default_payment_method: null,
        description: null,
        invoice_settings: {
          account_tax_ids: null,
          custom_fields: null,
          days_until_due: null,
          description: null,
          footer: null,
          issuer: { type: 'self' },
        },
        on_behalf_of: null,
        transfer_data: null,
      },
      end_behavior: 'release',
      livemode: false,
      metadata: { source: 'test' },
      pause_schedules: [],
      phases: [
        {
          add_invoice_items: [],
          application_fee_percent: null,
          automatic_tax: { disabled_reason: null, enabled: false, liability: null },
          billing_cycle_anchor: null,
          billing_thresholds: null,
          collection_method: null,
          currency: 'usd',
          default_payment_method: null,
          default_tax_rates: [],
          description: null,
          discounts: [],
          end_date: utc(2027, 4, 10),
          invoice_settings: null,
          items: [
            {
              billing_thresholds: null,
              discounts: [],
              metadata: { seat: 'a' },
              plan: pro.id,
              price: pro.id,
              quantity: 2,
              tax_rates: [],
            },
          ],
          metadata: {},
          on_behalf_of: null,
          proration_behavior: 'create_prorations',
          start_date: START,
          transfer_data: null,
          trial_end: null,
        },
      ],
      released_at: null,
      released_subscription: null,
      status: 'active',
      subscription: sub.id,
      test_clock: clock.id,
    });
    assert.deepEqual(await stripe.subscriptionSchedules.retrieve(schedule.id), schedule);
    assert.equal(sub.schedule, schedule.id);
    assert.equal(sub.status, 'active');
    assert.deepEqual(sub.items.data[0]!.metadata, { seat: 'a' });
    const [invoice] = await invoicesOf(stripe, customer.id);
    assert.equal(invoice!.amount_paid, 6000);

    const expanded = await stripe.subscriptionSchedules.retrieve(schedule.id, {
      expand: ['customer', 'subscription'],
    });
    assert.equal((expanded.customer as Stripe.Customer).id, customer.id);
    assert.equal((expanded.subscription as Stripe.Subscription).id, sub.id);
    const back = await stripe.subscriptions.retrieve(sub.id, { expand: ['schedule'] });
    assert.equal((back.schedule as Stripe.SubscriptionSchedule).id, schedule.id);
    const created = (await stripe.events.list({ type: 'subscription_schedule.created', limit: 1 })).data[0]!;
    assert.equal((created.data.object as Stripe.SubscriptionSchedule).id, schedule.id);
    await stripeError(
      stripe.subscriptionSchedules.retrieve('sub_sched_missing'),
      E.StripeInvalidRequestError,
      404,
    );
  });

  test('update: metadata, end_behavior and default settings, with previous_attributes', async () => {
    const { customer } = await clockCustomer(stripe, START);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      phases: [{ items: [{ price: pro.id }], end_date: utc(2027, 5, 10) }],
    });
    const cancelling = await stripe.subscriptionSchedules.update(schedule.id, {
      end_behavior: 'cancel',
      metadata: { a: '1' },
      default_settings: { description: 'Team plan' },
    });
    assert.equal(cancelling.end_behavior, 'cancel');
    assert.deepEqual(cancelling.metadata, { a: '1' });
    assert.equal(cancelling.default_settings.description, 'Team plan');
    const sub = await stripe.subscriptions.retrieve(String(schedule.subscription));
    assert.equal(sub.cancel_at, utc(2027, 5, 10), 'cancel: the subscription ends with the schedule');
    const event = (await stripe.events.list({ type: 'subscription_schedule.updated', limit: 1 })).data[0]!;
    assert.deepEqual(event.data.previous_attributes, {
      default_settings: { description: null },
      end_behavior: 'release',
      metadata: { a: null },
    });

    await stripe.subscriptionSchedules.update(schedule.id, { end_behavior: 'release', metadata: { a: '' } });
    const released = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(released.cancel_at, null, 'release: the cancellation the schedule set is gone');
    assert.deepEqual((await stripe.subscriptionSchedules.retrieve(schedule.id)).metadata, {});
  });

  test('release: the subscription carries on, without or with the cancel date the schedule set', async () => {
    const { customer } = await clockCustomer(stripe, START);
    const make = () =>
      stripe.subscriptionSchedules.create({
        customer: customer.id,
        end_behavior: 'cancel',
        phases: [{ items: [{ price: basic.id }], end_date: utc(2027, 6, 10) }],
      });
    const first = await make();
    const released = await stripe.subscriptionSchedules.release(first.id);
    assert.equal(released.status, 'released');
    assert.equal(released.released_at, START);
    assert.equal(released.released_subscription, first.subscription);
    assert.equal(released.subscription, null);
    assert.equal(released.current_phase, null);
    const freed = await stripe.subscriptions.retrieve(String(first.subscription));
    assert.equal(freed.schedule, null);
    assert.equal(freed.cancel_at, null);
    assert.equal(freed.status, 'active');

    const second = await make();
    await stripe.subscriptionSchedules.release(second.id, { preserve_cancel_date: true });
    const kept = await stripe.subscriptions.retrieve(String(second.subscription));
    assert.equal(kept.schedule, null);
    assert.equal(kept.cancel_at, utc(2027, 6, 10));

    const again = await stripeError(
      stripe.subscriptionSchedules.release(first.id),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(again.message, /`released` status/);
    await stripeError(
      stripe.subscriptionSchedules.update(first.id, { metadata: { a: 'b' } }),
      E.StripeInvalidRequestError,
      400,
    );
    const types = (await stripe.events.list({ type: 'subscription_schedule.released' })).data.length;
    assert.equal(types, 2);
  });

  test('cancel: the subscription ends too, its unused time credited and invoiced by default', async () => {
    const { clock, customer } = await clockCustomer(stripe, START);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      phases: [{ items: [{ price: pro.id }] }],
    });
    await advance(stripe, clock.id, utc(2027, 3, 20));
    const canceled = await stripe.subscriptionSchedules.cancel(schedule.id);
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.canceled_at, utc(2027, 3, 20));
    assert.equal(canceled.current_phase, null);
    assert.equal(canceled.subscription, schedule.subscription);
    const sub = await stripe.subscriptions.retrieve(String(schedule.subscription));
    assert.equal(sub.status, 'canceled');
    assert.equal(sub.ended_at, utc(2027, 3, 20));
    const invoices = await invoicesOf(stripe, customer.id);
    assert.equal(invoices.length, 2);
    const left = (utc(2027, 4, 10) - utc(2027, 3, 20)) / (utc(2027, 4, 10) - START);
    assert.equal(invoices[1]!.total, -Math.round(3000 * left), 'the unused 21 of 31 days are credited');

    const { customer: other } = await clockCustomer(stripe, START);
    const plain = await stripe.subscriptionSchedules.create({
      customer: other.id,
      phases: [{ items: [{ price: pro.id }] }],
    });
    await stripe.subscriptionSchedules.cancel(plain.id, { prorate: false, invoice_now: false });
    assert.equal((await invoicesOf(stripe, other.id)).length, 1, 'no final invoice');
    await stripeError(stripe.subscriptionSchedules.cancel(plain.id), E.StripeInvalidRequestError, 400);
  });

  test('a subscription canceled directly cancels its schedule', async () => {
    const { customer } = await clockCustomer(stripe, START);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      phases: [{ items: [{ price: pro.id }] }, { items: [{ price: basic.id }] }],
    });
    await stripe.subscriptions.cancel(String(schedule.subscription));
    const after = await stripe.subscriptionSchedules.retrieve(schedule.id);
    assert.equal(after.status, 'canceled');
    assert.equal(after.canceled_at, START);
    const events = await stripe.events.list({ type: 'subscription_schedule.canceled' });
    const mine = events.data.filter((e) => (e.data.object as Stripe.SubscriptionSchedule).id === schedule.id);
    assert.equal(mine.length, 1);
    assert.equal(mine[0]!.created, START);
  });

  test('a schedule that has not started: updated, started with start_date=now, or released with nothing to let go', async () => {
    const { customer } = await clockCustomer(stripe, START);
    const later = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: utc(2027, 4, 1),
      phases: [{ items: [{ price: pro.id }] }],
    });
    const moved = await stripe.subscriptionSchedules.update(later.id, {
      phases: [{ items: [{ price: basic.id }], start_date: utc(2027, 5, 1), end_date: utc(2027, 7, 1) }],
    });
    assert.equal(moved.status, 'not_started');
    assert.deepEqual(
      moved.phases.map((p) => [p.start_date, p.end_date, p.items[0]!.price]),
      [[utc(2027, 5, 1), utc(2027, 7, 1), basic.id]],
    );
    const started = await stripe.subscriptionSchedules.update(later.id, {
      phases: [{ items: [{ price: basic.id }], start_date: 'now', end_date: utc(2027, 7, 1) }],
    });
    assert.equal(started.status, 'active');
    const sub = await stripe.subscriptions.retrieve(String(started.subscription));
    assert.equal(sub.start_date, START);
    assert.equal(sub.items.data[0]!.price.id, basic.id);

    const waiting = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: utc(2027, 4, 1),
      phases: [{ items: [{ price: pro.id }] }],
    });
    const released = await stripe.subscriptionSchedules.release(waiting.id);
    assert.equal(released.status, 'released');
    assert.equal(released.released_subscription, null);
    const unstarted = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: utc(2027, 4, 1),
      phases: [{ items: [{ price: pro.id }] }],
    });
    assert.equal((await stripe.subscriptionSchedules.cancel(unstarted.id)).status, 'canceled');
    assert.equal((await stripe.subscriptions.list({ customer: customer.id })).data.length, 1);
  });

  test('list: by customer, scheduled, the dates they ended, and pages', async () => {
    const { customer } = await clockCustomer(stripe, START);
    const make = (start: number | 'now') =>
      stripe.subscriptionSchedules.create({
        customer: customer.id,
        start_date: start,
        phases: [{ items: [{ price: basic.id }] }],
      });
    const a = await make('now');
    const b = await make(utc(2027, 4, 1));
    const c = await make(utc(2027, 5, 1));
    await stripe.subscriptionSchedules.release(c.id);
    const ids = async (params: Stripe.SubscriptionScheduleListParams) =>
      (await stripe.subscriptionSchedules.list({ customer: customer.id, ...params })).data.map((s) => s.id);
    assert.deepEqual(await ids({}), [c.id, b.id, a.id]);
    assert.deepEqual(await ids({ scheduled: true }), [b.id]);
    assert.deepEqual(await ids({ scheduled: false }), [c.id, a.id]);
    assert.deepEqual(await ids({ released_at: { gte: START } }), [c.id]);
    assert.deepEqual(await ids({ canceled_at: { gte: 0 } }), []);
    assert.deepEqual(await ids({ completed_at: { gte: 0 } }), []);
    assert.deepEqual(await ids({ limit: 2 }), [c.id, b.id]);
    assert.deepEqual(await ids({ starting_after: b.id }), [a.id]);
    const page = await stripe.subscriptionSchedules.list({ customer: customer.id, limit: 1 });
    assert.equal(page.has_more, true);
    assert.equal(page.url, '/v1/subscription_schedules');
  });

  test('restricted keys need rak_subscription_schedule', async () => {
    const key = await createRestrictedKey(
      server.app.store.db,
      { accountId: server.app.boot.accountId, livemode: false },
      Math.floor(Date.now() / 1000),
      { subscription_schedules: 'read' },
    );
    const reader = server.stripe(key);
    assert.equal((await reader.subscriptionSchedules.list({ limit: 1 })).object, 'list');
    const error = await stripeError(
      reader.subscriptionSchedules.create({ from_subscription: 'sub_x' }),
      E.StripePermissionError,
      403,
    );
    assert.match(error.message, /'rak_subscription_schedule_write'/);
  });
});
