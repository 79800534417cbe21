import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, DAY, invoicesOf, monthlyPrice, utc } from './support.ts';

const jan1 = utc(2027, 1, 1);

describe('trials, coupons and sent invoices over time', () => {
  let server: TestServer;
  let stripe: Stripe;
  let price: Stripe.Price;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    price = await monthlyPrice(stripe, 'Basic', 3000);
  });
  after(() => server.close());

  test('a 14-day trial: a free first invoice, the notice 3 days before, then a year of renewals', async () => {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const trialEnd = jan1 + 14 * DAY;
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 14,
    });
    assert.equal(sub.status, 'trialing');
    assert.equal(sub.trial_start, jan1);
    assert.equal(sub.trial_end, trialEnd);
    assert.equal(sub.items.data[0]!.current_period_end, trialEnd);
    const first = await stripe.invoices.retrieve(String(sub.latest_invoice));
    assert.equal(first.amount_due, 0);
    assert.equal(first.status, 'paid');
    assert.equal(first.lines.data[0]!.description, 'Trial period for Basic');

    await advance(stripe, clock.id, trialEnd - 3 * DAY + 60);
    const notices = await stripe.events.list({ type: 'customer.subscription.trial_will_end' });
    const notice = notices.data.find((e) => (e.data.object as Stripe.Subscription).id === sub.id);
    assert.ok(notice, 'trial_will_end is sent three days before the trial ends');
    assert.equal(notice.created, trialEnd - 3 * DAY, 'dated on the clock');
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'trialing');

    // A clock goes at most two billing intervals per advance: a month at a time.
    for (let month = 2; month <= 13; month++)
      await advance(stripe, clock.id, utc(2027, month, 15) + 2 * 3600);
    const active = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(active.status, 'active');
    assert.equal(active.billing_cycle_anchor, trialEnd);
    const invoices = await invoicesOf(stripe, customer.id);
    assert.equal(invoices.length, 14, 'the trial invoice and 13 monthly ones (15 Jan 2027 to 15 Jan 2028)');
    assert.ok(invoices.slice(1).every((i) => i.status === 'paid' && i.amount_paid === 3000));
    assert.equal(invoices[1]!.period_start, trialEnd);
    assert.equal(invoices[13]!.period_start, utc(2028, 1, 15));
  });

  test('trial end without a payment method and end_behavior cancel: it is canceled', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: jan1 });
    const customer = await stripe.customers.create({ test_clock: clock.id });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 7,
      trial_settings: { end_behavior: { missing_payment_method: 'cancel' } },
    });
    await advance(stripe, clock.id, jan1 + 8 * DAY);
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'canceled');
  });

  test('trial_end=now ends the trial and bills the first period at once', async () => {
    const { customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 30,
    });
    const now = await stripe.subscriptions.update(sub.id, { trial_end: 'now' });
    assert.equal(now.status, 'active');
    assert.equal(now.trial_end, jan1);
    assert.equal(now.items.data[0]!.current_period_end, utc(2027, 2, 1));
    assert.deepEqual(
      (await invoicesOf(stripe, customer.id)).map((i) => i.amount_paid),
      [0, 3000],
    );
  });

  test('a 20% coupon repeating for 3 months discounts three invoices, then stops', async () => {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const coupon = await stripe.coupons.create({
      percent_off: 20,
      duration: 'repeating',
      duration_in_months: 3,
    });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      discounts: [{ coupon: coupon.id }],
    });
    assert.equal(sub.discounts.length, 1);
    // A clock goes at most two billing intervals per advance.
    await advance(stripe, clock.id, utc(2027, 2, 1) + 7200);
    await advance(stripe, clock.id, utc(2027, 4, 1) + 7200);
    await advance(stripe, clock.id, utc(2027, 5, 1) + 7200);
    const invoices = await invoicesOf(stripe, customer.id);
    assert.deepEqual(
      invoices.map((i) => i.amount_paid),
      [2400, 2400, 2400, 3000, 3000],
    );
    assert.deepEqual(
      invoices[0]!.total_discount_amounts!.map((d) => d.amount),
      [600],
    );
    assert.equal((await stripe.coupons.retrieve(coupon.id)).times_redeemed, 1);
    assert.deepEqual((await stripe.subscriptions.retrieve(sub.id)).discounts, []);
  });

  test('a once coupon through a promotion code: the first invoice only; restrictions are checked', async () => {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const coupon = await stripe.coupons.create({ amount_off: 1000, currency: 'usd', duration: 'once' });
    const code = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'WELCOME',
      restrictions: { first_time_transaction: true },
    });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      discounts: [{ promotion_code: code.id }],
    });
    await advance(stripe, clock.id, utc(2027, 2, 1) + 7200);
    assert.deepEqual(
      (await invoicesOf(stripe, customer.id)).map((i) => i.amount_paid),
      [2000, 3000],
    );
    assert.equal((await stripe.promotionCodes.retrieve(code.id)).times_redeemed, 1);
    const again = await stripeError(
      stripe.subscriptions.update(sub.id, { discounts: [{ promotion_code: code.id }] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(again.param, 'discounts[0][promotion_code]');
    assert.match(again.message, /cannot be redeemed/);
  });

  test('send_invoice: invoices are open with a due date, nothing is charged, paid out of band', async () => {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      collection_method: 'send_invoice',
      days_until_due: 30,
    });
    assert.equal(sub.status, 'active');
    const first = await stripe.invoices.retrieve(String(sub.latest_invoice));
    assert.equal(first.status, 'open');
    assert.equal(first.collection_method, 'send_invoice');
    assert.equal(first.due_date, jan1 + 30 * DAY);
    assert.equal(first.amount_paid, 0);
    await advance(stripe, clock.id, utc(2027, 2, 1) + 7200);
    const renewal = (await invoicesOf(stripe, customer.id))[1]!;
    assert.equal(renewal.status, 'open');
    assert.equal(renewal.due_date, utc(2027, 2, 1) + 30 * DAY);
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'active');
    const paid = await stripe.invoices.pay(first.id, { paid_out_of_band: true });
    assert.equal(paid.status, 'paid');
    const refused = await stripeError(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.id }],
        collection_method: 'send_invoice',
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(refused.param, 'days_until_due');
  });

  test('an item’s own discount applies to its lines only, for its months, before the subscription’s', async () => {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const seats = await monthlyPrice(stripe, 'Seats', 500);
    const half = await stripe.coupons.create({
      percent_off: 50,
      duration: 'repeating',
      duration_in_months: 2,
    });
    const tenth = await stripe.coupons.create({ percent_off: 10, duration: 'forever' });
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }, { price: seats.id, quantity: 4, discounts: [{ coupon: half.id }] }],
      discounts: [{ coupon: tenth.id }],
    });
    const seatItem = sub.items.data[1]!;
    assert.equal(seatItem.discounts.length, 1);
    const first = await stripe.invoices.retrieve(String(sub.latest_invoice));
    // Basic 3000 − 10% = 2700; seats 2000 − 50% = 1000, then − 10% = 900.
    assert.deepEqual(
      first.lines.data.map((l) => l.discount_amounts!.map((d) => d.amount)),
      [[300], [1000, 100]],
    );
    assert.equal(first.amount_due, 3600);
    // A clock goes at most two billing intervals per advance.
    await advance(stripe, clock.id, utc(2027, 2, 1) + 7200);
    await advance(stripe, clock.id, utc(2027, 3, 1) + 7200);
    const invoices = await invoicesOf(stripe, customer.id);
    assert.deepEqual(
      invoices.map((i) => i.amount_paid),
      [3600, 3600, 4500],
    );
    assert.deepEqual(
      (await stripe.subscriptions.retrieve(sub.id)).items.data[1]!.discounts,
      [],
      'the item’s discount ran out',
    );
    const removed = await stripe.subscriptions.update(sub.id, {
      items: [{ id: seatItem.id, discounts: [{ coupon: half.id }] }],
      proration_behavior: 'none',
    });
    assert.equal(removed.items.data[1]!.discounts.length, 1);
    const cleared = await stripe.subscriptions.update(sub.id, {
      items: [{ id: seatItem.id, discounts: '' as unknown as [] }],
      proration_behavior: 'none',
    });
    assert.deepEqual(cleared.items.data[1]!.discounts, []);
  });
});
