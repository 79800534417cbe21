import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, invoicesOf, utc } from './support.ts';

const HOUR = 3600;

describe('subscription schedules on a test clock', () => {
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

  test('a future start creates the subscription when the clock reaches it; end_behavior=cancel ends it', async () => {
    const { clock, customer } = await clockCustomer(stripe, utc(2027, 1, 15));
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: utc(2027, 2, 1),
      end_behavior: 'cancel',
      phases: [
        { items: [{ price: pro.id, quantity: 2 }], duration: { interval: 'month', interval_count: 2 } },
      ],
      metadata: { plan: 'launch' },
    });
    assert.equal(schedule.status, 'not_started');
    assert.equal(schedule.subscription, null);
    assert.equal(schedule.current_phase, null);
    assert.equal(schedule.created, utc(2027, 1, 15));
    assert.deepEqual(
      schedule.phases.map((p) => [p.start_date, p.end_date]),
      [[utc(2027, 2, 1), utc(2027, 4, 1)]],
    );
    assert.deepEqual(schedule.metadata, { plan: 'launch' });
    const scheduled = await stripe.subscriptionSchedules.list({ customer: customer.id, scheduled: true });
    assert.deepEqual(
      scheduled.data.map((s) => s.id),
      [schedule.id],
    );
    assert.equal((await stripe.subscriptions.list({ customer: customer.id })).data.length, 0);

    await advance(stripe, clock.id, utc(2027, 1, 31));
    assert.equal((await stripe.subscriptionSchedules.retrieve(schedule.id)).status, 'not_started');

    await advance(stripe, clock.id, utc(2027, 2, 1) + 2 * HOUR);
    const started = await stripe.subscriptionSchedules.retrieve(schedule.id, { expand: ['subscription'] });
    assert.equal(started.status, 'active');
    assert.deepEqual(started.current_phase, { start_date: utc(2027, 2, 1), end_date: utc(2027, 4, 1) });
    const sub = started.subscription as Stripe.Subscription;
    assert.equal(sub.status, 'active');
    assert.equal(sub.schedule, schedule.id);
    assert.equal(sub.start_date, utc(2027, 2, 1));
    assert.equal(sub.cancel_at, utc(2027, 4, 1), 'the schedule’s end is the subscription’s cancel_at');
    assert.equal(sub.items.data[0]!.quantity, 2);
    const createdEvent = (await stripe.events.list({ type: 'customer.subscription.created' })).data[0]!;
    assert.equal((createdEvent.data.object as Stripe.Subscription).schedule, schedule.id);
    assert.equal(createdEvent.created, utc(2027, 2, 1));

    await advance(stripe, clock.id, utc(2027, 4, 1) + 2 * HOUR);
    const completed = await stripe.subscriptionSchedules.retrieve(schedule.id);
    assert.equal(completed.status, 'completed');
    assert.equal(completed.completed_at, utc(2027, 4, 1));
    assert.equal(completed.current_phase, null);
    const ended = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(ended.status, 'canceled');
    assert.equal(ended.ended_at, utc(2027, 4, 1));
    const invoices = await invoicesOf(stripe, customer.id);
    assert.deepEqual(
      invoices.map((i) => [i.billing_reason, i.amount_paid, i.period_start]),
      [
        ['subscription_create', 6000, utc(2027, 2, 1)],
        ['subscription_cycle', 6000, utc(2027, 3, 1)],
      ],
    );
    const types = (await stripe.events.list({ type: 'subscription_schedule.*' })).data.map((e) => e.type);
    assert.deepEqual(types, [
      'subscription_schedule.completed',
      'subscription_schedule.expiring',
      'subscription_schedule.updated',
      'subscription_schedule.created',
    ]);
  });

  test('three phases: a trial, Pro, then Basic; released at the end, the subscription carries on', async () => {
    const start = utc(2027, 1, 15);
    const { clock, customer } = await clockCustomer(stripe, start);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: 'now',
      phases: [
        { items: [{ price: pro.id }], trial: true, end_date: utc(2027, 2, 1) },
        { items: [{ price: pro.id }], end_date: utc(2027, 3, 1), metadata: { tier: 'pro' } },
        { items: [{ price: basic.id }], metadata: { tier: 'basic' } },
      ],
    });
    assert.equal(schedule.status, 'active');
    assert.deepEqual(
      schedule.phases.map((p) => [p.start_date, p.end_date, p.trial ?? false]),
      [
        [start, utc(2027, 2, 1), true],
        [utc(2027, 2, 1), utc(2027, 3, 1), false],
        [utc(2027, 3, 1), utc(2027, 4, 1), false],
      ],
    );
    const sub = await stripe.subscriptions.retrieve(String(schedule.subscription));
    assert.equal(sub.status, 'trialing');
    assert.equal(sub.trial_end, utc(2027, 2, 1));

    // A clock goes at most two billing intervals per advance.
    await advance(stripe, clock.id, utc(2027, 3, 1) + 2 * HOUR);
    await advance(stripe, clock.id, utc(2027, 4, 1) + 2 * HOUR);
    const invoices = await invoicesOf(stripe, customer.id);
    assert.deepEqual(
      invoices.map((i) => [i.amount_paid, i.period_start, i.period_end]),
      [
        [0, start, utc(2027, 2, 1)],
        [3000, utc(2027, 2, 1), utc(2027, 3, 1)],
        [1000, utc(2027, 3, 1), utc(2027, 4, 1)],
        [1000, utc(2027, 4, 1), utc(2027, 5, 1)],
      ],
    );
    const after = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(after.status, 'active');
    assert.equal(after.schedule, null);
    assert.deepEqual(after.metadata, { tier: 'basic' }, 'each phase’s metadata is set as it begins');
    const released = await stripe.subscriptionSchedules.retrieve(schedule.id);
    assert.equal(released.status, 'released');
    assert.equal(released.released_subscription, sub.id);
  });

  test('a mid-period change of the current phase is prorated as the update asks', async () => {
    const start = utc(2027, 1, 1);
    const { clock, customer } = await clockCustomer(stripe, start);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: sub.id });
    await advance(stripe, clock.id, utc(2027, 1, 11));
    // 10 of 31 days used: 21 days left of January.
    await stripe.subscriptionSchedules.update(schedule.id, {
      proration_behavior: 'always_invoice',
      phases: [
        {
          items: [{ price: pro.id }],
          start_date: schedule.phases[0]!.start_date,
          end_date: schedule.phases[0]!.end_date,
        },
      ],
    });
    const invoices = await invoicesOf(stripe, customer.id);
    const proration = invoices[1]!;
    assert.equal(proration.billing_reason, 'subscription_update');
    const left = (utc(2027, 2, 1) - utc(2027, 1, 11)) / (utc(2027, 2, 1) - start);
    assert.deepEqual(
      proration.lines.data.map((l) => l.amount).sort((a, b) => a - b),
      [-Math.round(1000 * left), Math.round(3000 * left)],
    );
    assert.equal(proration.amount_paid, Math.round(3000 * left) - Math.round(1000 * left));
    const moved = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(moved.items.data[0]!.price.id, pro.id);
  });

  test('billing_cycle_anchor=phase_start restarts the cycle when the phase begins, crediting the unused time', async () => {
    const start = utc(2027, 1, 15);
    const { clock, customer } = await clockCustomer(stripe, start);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      phases: [
        { items: [{ price: pro.id }], end_date: utc(2027, 2, 1) },
        { items: [{ price: basic.id }], billing_cycle_anchor: 'phase_start', end_date: utc(2027, 5, 1) },
      ],
    });
    await advance(stripe, clock.id, utc(2027, 3, 1) + 2 * HOUR);
    const sub = await stripe.subscriptions.retrieve(String(schedule.subscription));
    assert.equal(sub.billing_cycle_anchor, utc(2027, 2, 1));
    const invoices = await invoicesOf(stripe, customer.id);
    // 14 of January's 31 days on Pro were not used when Basic began on 1 February.
    const credit = Math.round((3000 * 14) / 31);
    assert.deepEqual(
      invoices.map((i) => [i.billing_reason, i.total, i.amount_paid, i.period_start]),
      [
        ['subscription_create', 3000, 3000, start],
        ['subscription_update', 1000 - credit, 0, utc(2027, 2, 1)],
        ['subscription_cycle', 1000, 1000 - (credit - 1000), utc(2027, 3, 1)],
      ],
    );
  });
});
