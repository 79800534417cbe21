import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, DAY, invoicesOf, monthlyPrice, utc } from './support.ts';

const HOUR = 3600;

describe('schedules when things go wrong', () => {
  let server: TestServer;
  let stripe: Stripe;
  let price: Stripe.Price;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    price = await monthlyPrice(stripe, 'Pro', 3000);
  });
  after(() => server.close());

  const scheduleEvents = async (id: string) =>
    (await stripe.events.list({ type: 'subscription_schedule.*', limit: 100 })).data
      .filter((e) => (e.data.object as Stripe.SubscriptionSchedule).id === id)
      .map((e) => e.type);

  test('a subscription canceled by dunning aborts its schedule', async () => {
    const { clock, customer } = await clockCustomer(stripe, utc(2027, 1, 1));
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      phases: [{ items: [{ price: price.id }], duration: { interval: 'month', interval_count: 6 } }],
    });
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customer.id,
    });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
    await advance(stripe, clock.id, utc(2027, 2, 1) + HOUR + 21 * DAY + 60);
    const sub = await stripe.subscriptions.retrieve(String(schedule.subscription));
    assert.equal(sub.status, 'canceled');
    const aborted = await stripe.subscriptionSchedules.retrieve(schedule.id);
    assert.equal(aborted.status, 'canceled');
    assert.equal(aborted.canceled_at, sub.ended_at);
    assert.equal((await scheduleEvents(schedule.id))[0], 'subscription_schedule.aborted');
  });

  test('a future start for a customer who cannot pay: the subscription waits unpaid, expires, and the schedule ends with it', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: utc(2027, 1, 15) });
    const customer = await stripe.customers.create({ test_clock: clock.id });
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: utc(2027, 2, 1),
      phases: [{ items: [{ price: price.id }] }, { items: [{ price: price.id }] }],
    });
    await advance(stripe, clock.id, utc(2027, 2, 1) + HOUR);
    const started = await stripe.subscriptionSchedules.retrieve(schedule.id);
    assert.equal(started.status, 'active');
    const sub = await stripe.subscriptions.retrieve(String(started.subscription));
    assert.equal(sub.status, 'incomplete');
    assert.equal((await invoicesOf(stripe, customer.id))[0]!.status, 'open');

    await advance(stripe, clock.id, utc(2027, 3, 1) + HOUR);
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'incomplete_expired');
    const ended = await stripe.subscriptionSchedules.retrieve(schedule.id);
    assert.equal(ended.status, 'canceled');
    assert.equal(ended.canceled_at, utc(2027, 3, 1), 'noticed at its next phase boundary');
    assert.equal((await scheduleEvents(schedule.id))[0], 'subscription_schedule.aborted');
  });

  test('phase coupons are redeemed as the phase begins; one that expired meanwhile is left out', async () => {
    const start = utc(2027, 1, 15);
    const run = async (coupon: Stripe.Coupon) => {
      const { clock, customer } = await clockCustomer(stripe, start);
      await stripe.subscriptionSchedules.create({
        customer: customer.id,
        phases: [
          { items: [{ price: price.id }], end_date: utc(2027, 2, 15) },
          { items: [{ price: price.id }], discounts: [{ coupon: coupon.id }] },
        ],
      });
      assert.equal((await stripe.coupons.retrieve(coupon.id)).times_redeemed, 0, 'not redeemed before');
      await advance(stripe, clock.id, utc(2027, 2, 15) + 2 * HOUR);
      return (await invoicesOf(stripe, customer.id)).map((i) => i.amount_paid);
    };
    const lasting = await stripe.coupons.create({ percent_off: 50, duration: 'forever' });
    assert.deepEqual(await run(lasting), [3000, 1500]);
    assert.equal((await stripe.coupons.retrieve(lasting.id)).times_redeemed, 1);
    const expiring = await stripe.coupons.create({ percent_off: 50, redeem_by: utc(2027, 2, 1) });
    assert.deepEqual(await run(expiring), [3000, 3000]);
    assert.equal((await stripe.coupons.retrieve(expiring.id)).times_redeemed, 0);
  });
});
