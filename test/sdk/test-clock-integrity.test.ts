import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { clockCustomer, invoicesOf, JAN_15_2027, monthlyPrice, utc } from '../scenarios/support.ts';
import { E } from '../support/errors.ts';
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
});
