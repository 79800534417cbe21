import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { DAY, monthlyPrice, utc } from '../scenarios/support.ts';
import { Racer } from '../support/racers.ts';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { freshStore, type TestStore, testStoreKind } from '../support/store.ts';
import { countById, settledDeliveries, verifiedEvents, waitForEvents } from '../support/webhooks.ts';

const POSTGRES = testStoreKind() === 'postgres';
/** Two processes on one PostgreSQL schema; SQLite has one writer, so there one process runs alone. */
const SETUP = POSTGRES
  ? 'two Portico processes on one PostgreSQL schema'
  : 'one Portico process (SQLite: single-process variant)';

async function until(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

async function all<T>(list: Stripe.ApiListPromise<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const item of list) out.push(item);
  return out;
}

/** A customer on the real clock (no test clock) with a default card. */
async function customerWithCard(stripe: Stripe, card = 'pm_card_visa'): Promise<Stripe.Customer> {
  const customer = await stripe.customers.create({ email: 'race@example.com' });
  const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
  return stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
}

const JAN1 = utc(2027, 1, 1);

/**
 * Time-driven work raced by every process at once: each process's clock is moved to the same
 * moment together, so their workers find the same rows due and compete for them. What must hold
 * is exactly-once: one invoice per period, one charge per attempt, one delivery per event and
 * endpoint, each schedule phase applied once.
 */
describe(`time-driven work raced by ${SETUP}`, () => {
  let store: TestStore;
  let racers: Racer[];
  let stripe: Stripe;
  let receiver: Receiver;
  before(async () => {
    store = freshStore();
    const first = await Racer.start(store.url, JAN1);
    racers = POSTGRES ? [first, await Racer.start(store.url, JAN1)] : [first];
    stripe = first.stripe();
    receiver = await startReceiver();
  });
  after(async () => {
    for (const r of racers ?? []) await r.stop();
    await receiver?.close();
    await store?.dispose();
  });

  const setClocks = (now: number) => Promise.all(racers.map((r) => r.setClock(now)));

  test('renewals bill each period once, and each of their events reaches the endpoint once', {
    timeout: 120_000,
  }, async () => {
    const endpoint = await stripe.webhookEndpoints.create({
      url: receiver.url,
      enabled_events: ['invoice.paid'],
    });
    const price = await monthlyPrice(stripe, 'Race', 3000);
    const subs: Stripe.Subscription[] = [];
    for (let i = 0; i < 6; i++) {
      const customer = await customerWithCard(stripe);
      subs.push(await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }));
    }
    // Two renewals each (1 Feb, 1 Mar), their drafts finalized and paid an hour later.
    await setClocks(utc(2027, 3, 1) + 2 * 3600);
    const paid = async () =>
      (await all(stripe.invoices.list({ status: 'paid', limit: 100 }))).filter(
        (i) => i.billing_reason === 'subscription_cycle',
      );
    await until(async () => (await paid()).length >= 12, '12 paid renewals');
    await new Promise((r) => setTimeout(r, 300));
    assert.equal((await paid()).length, 12, 'no period billed twice');
    for (const sub of subs) {
      const invoices = await all(stripe.invoices.list({ subscription: sub.id, limit: 10 }));
      assert.deepEqual(invoices.map((i) => [i.period_start, i.amount_paid]).sort(), [
        [JAN1, 3000],
        [utc(2027, 2, 1), 3000],
        [utc(2027, 3, 1), 3000],
      ]);
      const charges = await all(stripe.charges.list({ customer: String(sub.customer), limit: 10 }));
      assert.equal(charges.length, 3, 'one charge per invoice');
    }
    const events = await all(stripe.events.list({ type: 'invoice.paid', limit: 100 }));
    // Events are listed for 30 days, as on Stripe: the renewals' events, not the first invoices'.
    assert.equal(events.length, 12, 'one invoice.paid per renewal');
    await waitForEvents(
      receiver,
      endpoint.secret!,
      events.map((e) => e.id),
      30_000,
    );
    for (const event of events) {
      const deliveries = await settledDeliveries(stripe, event.id, 20_000);
      assert.equal(deliveries.length, 1);
      assert.equal(deliveries[0]!.status, 'succeeded');
    }
    const repeated = [...countById(verifiedEvents(receiver, endpoint.secret!))].filter(([, n]) => n > 1);
    assert.deepEqual(repeated, [], 'no event delivered twice');
    for (const r of racers) assert.doesNotMatch(r.stderr, /"level":50/, 'no worker failed');
  });

  test('payment retries: one attempt and one charge per retry date', { timeout: 120_000 }, async () => {
    // Each test sets the clocks forward first: its subscriptions start on a date of its own.
    await setClocks(utc(2027, 3, 2));
    const price = await monthlyPrice(stripe, 'Dunning race', 2000);
    const customers: Stripe.Customer[] = [];
    for (let i = 0; i < 4; i++) {
      const customer = await customerWithCard(stripe);
      await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      // The card that paid the first invoice is replaced by one whose charges all fail.
      const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
        customer: customer.id,
      });
      customers.push(
        await stripe.customers.update(customer.id, {
          invoice_settings: { default_payment_method: failing.id },
        }),
      );
    }
    const renewalOf = async (customer: Stripe.Customer) =>
      (await all(stripe.invoices.list({ customer: customer.id, limit: 10 }))).find(
        (i) => i.billing_reason === 'subscription_cycle',
      );
    const finalized = utc(2027, 4, 2) + 3600;
    // The first attempt when the 2 April renewal finalizes, then retries 3, 7 and 21 days later.
    for (const [at, attempts] of [
      [finalized + 60, 1],
      [finalized + 3 * DAY + 60, 2],
      [finalized + 7 * DAY + 60, 3],
      [finalized + 21 * DAY + 60, 4],
    ] as const) {
      await setClocks(at);
      for (const customer of customers) {
        await until(
          async () => ((await renewalOf(customer))?.attempt_count ?? 0) >= attempts,
          `attempt ${attempts} for ${customer.id}`,
        );
      }
      await new Promise((r) => setTimeout(r, 200));
      for (const customer of customers) {
        const renewal = (await renewalOf(customer))!;
        assert.equal(renewal.attempt_count, attempts, 'each retry date makes one attempt');
        const charges = await all(stripe.charges.list({ customer: customer.id, limit: 20 }));
        assert.equal(charges.filter((c) => c.status === 'failed').length, attempts, 'one charge per attempt');
        assert.equal(
          charges.filter((c) => c.status === 'succeeded').length,
          1,
          'the first invoice, paid once',
        );
      }
    }
    const failed = await all(stripe.events.list({ type: 'invoice.payment_failed', limit: 100 }));
    assert.equal(failed.length, 16, 'one invoice.payment_failed per attempt');
  });

  test('a schedule applies each phase once', { timeout: 120_000 }, async () => {
    // Time moves on from the earlier tests: the schedule starts at the clocks' current moment.
    const start = utc(2027, 5, 1);
    await setClocks(start);
    const prices = await Promise.all(
      [1000, 2000, 4000].map((amount) => monthlyPrice(stripe, `Phase ${amount}`, amount)),
    );
    const schedules: Stripe.SubscriptionSchedule[] = [];
    for (let i = 0; i < 4; i++) {
      const customer = await customerWithCard(stripe);
      schedules.push(
        await stripe.subscriptionSchedules.create({
          customer: customer.id,
          start_date: 'now',
          end_behavior: 'release',
          phases: [
            { items: [{ price: prices[0]!.id }], duration: { interval: 'month', interval_count: 1 } },
            { items: [{ price: prices[1]!.id }], duration: { interval: 'month', interval_count: 1 } },
            { items: [{ price: prices[2]!.id }] },
          ],
        }),
      );
    }
    // Both phase changes (1 June, 1 July) and the renewals they bill, in one move of the clocks.
    await setClocks(utc(2027, 7, 1) + 2 * 3600);
    const invoicesOf = async (schedule: Stripe.SubscriptionSchedule) =>
      all(stripe.invoices.list({ subscription: String(schedule.subscription), limit: 10 }));
    for (const schedule of schedules) {
      await until(
        async () => (await invoicesOf(schedule)).filter((i) => i.status === 'paid').length >= 3,
        'three paid invoices',
      );
    }
    await new Promise((r) => setTimeout(r, 300));
    for (const schedule of schedules) {
      const invoices = await invoicesOf(schedule);
      assert.deepEqual(invoices.map((i) => [i.period_start, i.amount_paid]).sort(), [
        [start, 1000],
        [utc(2027, 6, 1), 2000],
        [utc(2027, 7, 1), 4000],
      ]);
      const sub = await stripe.subscriptions.retrieve(String(schedule.subscription));
      assert.deepEqual(
        sub.items.data.map((i) => i.price.id),
        [prices[2]!.id],
      );
    }
  });

  test('the portal session sweep deletes each expired session once', { timeout: 60_000 }, async () => {
    const now = utc(2027, 8, 1);
    await setClocks(now);
    const customer = await stripe.customers.create({ email: 'portal@example.com' });
    await stripe.billingPortal.configurations.create({ features: { invoice_history: { enabled: true } } });
    for (let i = 0; i < 12; i++) {
      await stripe.billingPortal.sessions.create({
        customer: customer.id,
        return_url: 'https://example.com',
      });
    }
    // Unvisited sessions expire after 5 minutes and are kept a day after that.
    await setClocks(now + 2 * DAY);
    const fresh = await stripe.billingPortal.sessions.create({ customer: customer.id });
    const sweeps = await Promise.all([...racers, ...racers].map((r) => r.prune()));
    assert.equal(
      sweeps.reduce((a, b) => a + b, 0),
      12,
      `each expired session deleted by exactly one sweep: ${sweeps}`,
    );
    assert.deepEqual(
      await Promise.all(racers.map((r) => r.prune())),
      racers.map(() => 0),
    );
    const opened = await fetch(`http://127.0.0.1:${racers[0]!.port}${new URL(fresh.url).pathname}`, {
      redirect: 'manual',
    });
    assert.equal(opened.status, 303, 'the session made after the move is still open');
  });

  test('advances of one test clock sent to each process at once bill each period once', {
    timeout: 60_000,
  }, async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: JAN1 });
    const customer = await stripe.customers.create({ test_clock: clock.id });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const price = await monthlyPrice(stripe, 'Clock race', 1500);
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: utc(2027, 2, 2) });
    const target = utc(2027, 4, 2);
    // Two advances per process, all at once: one runs, every other is refused.
    const clients = [...racers, ...racers].map((r) => r.stripe());
    const results = await Promise.allSettled(
      clients.map((c) => c.testHelpers.testClocks.advance(clock.id, { frozen_time: target })),
    );
    assert.equal(results.filter((r) => r.status === 'fulfilled').length, 1, 'one advance runs');
    for (const r of results) {
      if (r.status === 'rejected') assert.equal((r.reason as Stripe.errors.StripeError).statusCode, 400);
    }
    const invoices = await all(stripe.invoices.list({ customer: customer.id, limit: 10 }));
    assert.deepEqual(
      invoices.map((i) => [i.period_start, i.status, i.amount_paid]).sort(),
      [
        [JAN1, 'paid', 1500],
        [utc(2027, 2, 1), 'paid', 1500],
        [utc(2027, 3, 1), 'paid', 1500],
        [utc(2027, 4, 1), 'paid', 1500],
      ],
      'each period billed once',
    );
  });
});
