import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, invoicesOf, utc } from './support.ts';

const HOUR = 3600;

describe('a downgrade scheduled at the period end (the portal’s use of schedules)', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  async function monthly(name: string, amount: number): Promise<Stripe.Price> {
    return stripe.prices.create({
      product_data: { name },
      currency: 'usd',
      unit_amount: amount,
      recurring: { interval: 'month' },
    });
  }

  test('Pro until the period ends, then Basic: the renewal bills Basic, then the schedule lets go', async () => {
    const start = utc(2027, 1, 15);
    const { clock, customer } = await clockCustomer(stripe, start);
    const pro = await monthly('Pro', 3000);
    const basic = await monthly('Basic', 1000);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });

    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: sub.id });
    assert.equal(schedule.status, 'active');
    assert.equal(schedule.subscription, sub.id);
    assert.equal(schedule.end_behavior, 'release');
    assert.equal(schedule.test_clock, clock.id);
    assert.deepEqual(schedule.current_phase, { start_date: start, end_date: utc(2027, 2, 15) });
    assert.equal(schedule.phases.length, 1);
    assert.deepEqual(
      schedule.phases[0]!.items.map((i) => [i.price, i.quantity]),
      [[pro.id, 1]],
    );
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).schedule, schedule.id);

    const phase = schedule.phases[0]!;
    const updated = await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        {
          items: [{ price: pro.id, quantity: 1 }],
          start_date: phase.start_date,
          end_date: phase.end_date,
        },
        { items: [{ price: basic.id, quantity: 1 }] },
      ],
    });
    assert.deepEqual(
      updated.phases.map((p) => [p.start_date, p.end_date, p.items[0]!.price]),
      [
        [start, utc(2027, 2, 15), pro.id],
        [utc(2027, 2, 15), utc(2027, 3, 15), basic.id],
      ],
    );
    assert.deepEqual(updated.current_phase, { start_date: start, end_date: utc(2027, 2, 15) });
    const unchanged = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(unchanged.items.data[0]!.price.id, pro.id, 'nothing changes before the period ends');
    assert.equal((await invoicesOf(stripe, customer.id)).length, 1);

    await advance(stripe, clock.id, utc(2027, 2, 15) + 2 * HOUR);
    const moved = await stripe.subscriptions.retrieve(sub.id);
    assert.deepEqual(
      moved.items.data.map((i) => [i.price.id, i.quantity]),
      [[basic.id, 1]],
    );
    assert.equal(moved.items.data[0]!.current_period_start, utc(2027, 2, 15));
    assert.equal(moved.items.data[0]!.current_period_end, utc(2027, 3, 15));
    const inPhase2 = await stripe.subscriptionSchedules.retrieve(schedule.id);
    assert.equal(inPhase2.status, 'active');
    assert.deepEqual(inPhase2.current_phase, { start_date: utc(2027, 2, 15), end_date: utc(2027, 3, 15) });

    await advance(stripe, clock.id, utc(2027, 3, 15) + 2 * HOUR);
    const invoices = await invoicesOf(stripe, customer.id);
    assert.deepEqual(
      invoices.map((i) => [i.billing_reason, i.status, i.amount_paid, i.period_start, i.period_end]),
      [
        ['subscription_create', 'paid', 3000, start, utc(2027, 2, 15)],
        ['subscription_cycle', 'paid', 1000, utc(2027, 2, 15), utc(2027, 3, 15)],
        ['subscription_cycle', 'paid', 1000, utc(2027, 3, 15), utc(2027, 4, 15)],
      ],
    );
    assert.deepEqual(
      invoices[1]!.lines.data.map((l) => [l.description, l.amount]),
      [['1 × Basic', 1000]],
      'the renewal at the boundary bills the new price alone, with no proration',
    );

    const released = await stripe.subscriptionSchedules.retrieve(schedule.id);
    assert.equal(released.status, 'released');
    assert.equal(released.released_at, utc(2027, 3, 15));
    assert.equal(released.released_subscription, sub.id);
    assert.equal(released.subscription, null);
    assert.equal(released.current_phase, null);
    const free = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(free.schedule, null);
    assert.equal(free.status, 'active');
    assert.equal(free.cancel_at, null);

    const events = await stripe.events.list({ type: 'subscription_schedule.*' });
    assert.deepEqual(
      events.data.map((e) => [e.type, e.created]),
      [
        ['subscription_schedule.released', utc(2027, 3, 15)],
        ['subscription_schedule.expiring', utc(2027, 3, 8)],
        ['subscription_schedule.updated', utc(2027, 2, 15)],
        ['subscription_schedule.updated', start],
        ['subscription_schedule.created', start],
      ],
    );
  });

  test('a price archived after it was scheduled still applies when its phase starts', async () => {
    const start = utc(2027, 1, 15);
    const { clock, customer } = await clockCustomer(stripe, start);
    const pro = await monthly('Pro', 3000);
    const legacy = await monthly('Legacy', 500);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: sub.id });
    const phase = schedule.phases[0]!;
    await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        { items: [{ price: pro.id }], start_date: phase.start_date, end_date: phase.end_date },
        { items: [{ price: legacy.id }] },
      ],
    });
    await stripe.prices.update(legacy.id, { active: false });
    await advance(stripe, clock.id, utc(2027, 2, 15) + 2 * HOUR);
    const moved = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(moved.items.data[0]!.price.id, legacy.id);
    assert.deepEqual(
      (await invoicesOf(stripe, customer.id)).map((i) => i.amount_paid),
      [3000, 500],
    );
  });
});
