import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startServer, type TestServer } from '../support/server.ts';

/**
 * Many requests changing one object at the same moment, as a careless client (or a worker racing an
 * API call) would send them: every change lands, none is written over, and counted limits hold. On
 * PostgreSQL these race for real (READ COMMITTED, several connections); on SQLite its one writer
 * takes them in turn, and the results must be the same.
 */
describe('concurrent changes to one object', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    // No retries in the client: what is asserted is what the server did with each request.
    stripe = server.stripe(undefined, { maxNetworkRetries: 0 });
  });
  after(() => server.close());

  test('eight metadata updates at once, eight times: every key keeps its latest value', async () => {
    const customer = await stripe.customers.create({ name: 'Racer' });
    for (let round = 0; round < 8; round++) {
      const keys = Array.from({ length: 8 }, (_, i) => `key_${i}`);
      await Promise.all(
        keys.map((key) => stripe.customers.update(customer.id, { metadata: { [key]: String(round) } })),
      );
      const after = await stripe.customers.retrieve(customer.id);
      assert.ok(!after.deleted);
      for (const key of keys) assert.equal(after.metadata[key], String(round), `round ${round} ${key}`);
    }
  });

  test('invoice items added to one draft at once: the invoice totals every one of them', async () => {
    const customer = await stripe.customers.create({ name: 'Many items' });
    const invoice = await stripe.invoices.create({ customer: customer.id, auto_advance: false });
    const amounts = Array.from({ length: 12 }, (_, i) => 100 * (i + 1));
    await Promise.all(
      amounts.map((amount) =>
        stripe.invoiceItems.create({ customer: customer.id, invoice: invoice.id!, amount, currency: 'usd' }),
      ),
    );
    const draft = await stripe.invoices.retrieve(invoice.id!);
    assert.equal(
      draft.total,
      amounts.reduce((a, b) => a + b, 0),
    );
    const lines = await stripe.invoices.listLineItems(invoice.id!, { limit: 100 });
    assert.equal(lines.data.length, amounts.length);
  });

  test('a promotion code with three redemptions left, raced by ten customers: exactly three get it', async () => {
    const price = await stripe.prices.create({
      currency: 'usd',
      unit_amount: 2000,
      recurring: { interval: 'month' },
      product_data: { name: 'Raced plan' },
    });
    const coupon = await stripe.coupons.create({ percent_off: 50, duration: 'once' });
    const code = await stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      max_redemptions: 3,
    });
    const customers = await Promise.all(
      Array.from({ length: 10 }, (_, i) => stripe.customers.create({ name: `Racer ${i}` })),
    );
    const outcomes = await Promise.allSettled(
      customers.map((c) =>
        stripe.subscriptions.create({
          customer: c.id,
          items: [{ price: price.id }],
          discounts: [{ promotion_code: code.id }],
          collection_method: 'send_invoice',
          days_until_due: 30,
        }),
      ),
    );
    const won = outcomes.filter((o) => o.status === 'fulfilled');
    assert.equal(won.length, 3, JSON.stringify(outcomes.map((o) => o.status)));
    for (const lost of outcomes.filter((o) => o.status === 'rejected')) {
      const error = (lost as PromiseRejectedResult).reason as Stripe.errors.StripeError;
      assert.equal(error.type, 'StripeInvalidRequestError', error.message);
      assert.equal(error.param, 'discounts[0][promotion_code]', error.message);
    }
    const after = await stripe.promotionCodes.retrieve(code.id);
    assert.equal(after.times_redeemed, 3);
  });
});
