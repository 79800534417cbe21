import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { clockCustomer, DAY, invoicesOf, JAN_15_2027, monthlyPrice, utc } from '../scenarios/support.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('test clock advances that must not bill twice or run too far', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  /** A $15 monthly subscription advanced one month, then to +3 months by two advances at once. */
  async function concurrentAdvances(first: Stripe, second: Stripe): Promise<void> {
    const { clock, customer } = await clockCustomer(first, JAN_15_2027);
    const price = await monthlyPrice(first, 'Concurrent', 1500);
    await first.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await first.testHelpers.testClocks.advance(clock.id, { frozen_time: utc(2027, 2, 16) });
    const target = utc(2027, 4, 16);
    const results = await Promise.allSettled([
      first.testHelpers.testClocks.advance(clock.id, { frozen_time: target }),
      second.testHelpers.testClocks.advance(clock.id, { frozen_time: target }),
    ]);
    const invoices = await invoicesOf(first, customer.id);
    assert.deepEqual(
      invoices.map((i) => [i.status, i.amount_paid]),
      [
        ['paid', 1500],
        ['paid', 1500],
        ['paid', 1500],
        ['paid', 1500],
      ],
      'each period is billed once',
    );
    const refused = results.filter((r) => r.status === 'rejected');
    assert.equal(refused.length, 1, 'one advance runs, the other is refused');
    const error = refused[0]!.reason as Stripe.errors.StripeError;
    assert.ok(error instanceof E.StripeInvalidRequestError);
    assert.equal(error.statusCode, 400);
    assert.equal((await first.testHelpers.testClocks.retrieve(clock.id)).frozen_time, target);
  }

  test('two concurrent advances of one clock bill each period once', async () => {
    await concurrentAdvances(stripe, stripe);
  });

  test('two servers on one store advancing one clock at once bill each period once', async () => {
    const other = await startServer({ store: server.store });
    try {
      await concurrentAdvances(stripe, other.stripe(server.key));
    } finally {
      await other.close();
    }
  });
  test('an advance goes at most two intervals of the shortest subscription ahead', async () => {
    const { clock, customer } = await clockCustomer(stripe, JAN_15_2027);
    const monthly = await monthlyPrice(stripe, 'Monthly', 1500);
    const yearly = await stripe.prices.create({
      product_data: { name: 'Yearly' },
      currency: 'usd',
      unit_amount: 10_000,
      recurring: { interval: 'year' },
    });
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: yearly.id }] });
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: monthly.id }] });
    // Two calendar months from 15 January: 15 March.
    const tooFar = await stripeError(
      stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: utc(2027, 3, 15) + 1 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(tooFar.param, 'frozen_time');
    assert.match(tooFar.message, /two intervals/);
    assert.equal((await stripe.testHelpers.testClocks.retrieve(clock.id)).frozen_time, JAN_15_2027);
    const advanced = await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: utc(2027, 3, 15) });
    assert.equal(advanced.frozen_time, utc(2027, 3, 15));
  });

  test('a week-long subscription limits an advance to two weeks; canceled ones do not count', async () => {
    const { clock, customer } = await clockCustomer(stripe, JAN_15_2027);
    const weekly = await stripe.prices.create({
      product_data: { name: 'Weekly' },
      currency: 'usd',
      unit_amount: 500,
      recurring: { interval: 'week', interval_count: 1 },
    });
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: weekly.id }] });
    await stripeError(
      stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: JAN_15_2027 + 14 * DAY + 1 }),
      E.StripeInvalidRequestError,
      400,
    );
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: JAN_15_2027 + 14 * DAY });
    await stripe.subscriptions.cancel(sub.id);
    // With no live subscription the limit is two years.
    const now = JAN_15_2027 + 14 * DAY;
    await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: now + 300 * DAY });
  });

  test('a clock without subscriptions advances at most two years', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: JAN_15_2027 });
    const tooFar = await stripeError(
      stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: utc(2029, 1, 15) + 1 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(tooFar.param, 'frozen_time');
    assert.match(tooFar.message, /two years/);
    const advanced = await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: utc(2029, 1, 15) });
    assert.equal(advanced.frozen_time, utc(2029, 1, 15));
  });
});
