import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, DAY, invoicesOf, monthlyPrice, utc } from './support.ts';

/**
 * Worked figures: a $30/month Basic plan from 1 Jan 2027 (a 31-day period) changed on 16 Jan
 * (16 days left). Unused time on Basic: −round(3000 × 16/31) = −1548. Remaining time on Pro at
 * $60: round(6000 × 16/31) = 3097.
 */
describe('mid-cycle changes are prorated by the second', () => {
  let server: TestServer;
  let stripe: Stripe;
  let basic: Stripe.Price;
  let pro: Stripe.Price;
  let yearly: Stripe.Price;
  const jan1 = utc(2027, 1, 1);
  const jan16 = utc(2027, 1, 16);
  const feb1 = utc(2027, 2, 1);
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    basic = await monthlyPrice(stripe, 'Basic', 3000);
    pro = await monthlyPrice(stripe, 'Pro', 6000);
    yearly = await stripe.prices.create({
      product: String(basic.product),
      currency: 'usd',
      unit_amount: 30000,
      recurring: { interval: 'year' },
    });
  });
  after(() => server.close());

  async function subscribed() {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    await advance(stripe, clock.id, jan16);
    return { clock, customer, sub };
  }

  test('create_prorations: credit and charge wait for the next invoice', async () => {
    const { clock, customer, sub } = await subscribed();
    const updated = await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, price: pro.id }],
      proration_behavior: 'create_prorations',
    });
    assert.equal(updated.items.data[0]!.price.id, pro.id);
    assert.equal(updated.items.data[0]!.current_period_end, feb1, 'the cycle is unchanged');
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    assert.deepEqual(
      pending.data.map((i) => [i.amount, i.description, i.proration, i.period.start, i.period.end]).sort(),
      [
        [-1548, 'Unused time on Basic after 16 Jan 2027', true, jan16, feb1],
        [3097, 'Remaining time on Pro after 16 Jan 2027', true, jan16, feb1],
      ],
    );
    await advance(stripe, clock.id, feb1 + 2 * 3600);
    const invoices = await invoicesOf(stripe, customer.id);
    assert.equal(invoices.length, 2);
    const renewal = invoices[1]!;
    assert.deepEqual(
      renewal.lines.data.map((l) => l.amount).sort((a, b) => a - b),
      [-1548, 3097, 6000],
    );
    assert.equal(renewal.amount_due, 7549);
    assert.equal(renewal.status, 'paid');
  });

  test('always_invoice: the net of the change is invoiced and paid at once', async () => {
    const { clock, customer, sub } = await subscribed();
    await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, price: pro.id }],
      proration_behavior: 'always_invoice',
    });
    let invoices = await invoicesOf(stripe, customer.id);
    assert.equal(invoices.length, 2);
    assert.equal(invoices[1]!.billing_reason, 'subscription_update');
    assert.equal(invoices[1]!.amount_due, 1549);
    assert.equal(invoices[1]!.status, 'paid');
    await advance(stripe, clock.id, feb1 + 2 * 3600);
    invoices = await invoicesOf(stripe, customer.id);
    assert.equal(invoices[2]!.amount_due, 6000, 'the next renewal bills the new price only');
  });

  test('none: no prorations; the new price from the next period', async () => {
    const { clock, customer, sub } = await subscribed();
    await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, price: pro.id }],
      proration_behavior: 'none',
    });
    assert.equal((await stripe.invoiceItems.list({ customer: customer.id, pending: true })).data.length, 0);
    await advance(stripe, clock.id, feb1 + 2 * 3600);
    const invoices = await invoicesOf(stripe, customer.id);
    assert.deepEqual(
      invoices.map((i) => i.amount_due),
      [3000, 6000],
    );
  });

  test('quantity 1 → 3: credit for one, charge for three', async () => {
    const { customer, sub } = await subscribed();
    await stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, quantity: 3 }] });
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    assert.deepEqual(pending.data.map((i) => [i.amount, i.description]).sort(), [
      [-1548, 'Unused time on Basic after 16 Jan 2027'],
      [4645, 'Remaining time on 3 × Basic after 16 Jan 2027'],
    ]);
  });

  test('monthly → yearly: the cycle restarts now and the year is billed, less the unused month', async () => {
    const { customer, sub } = await subscribed();
    const updated = await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, price: yearly.id }],
    });
    assert.equal(updated.billing_cycle_anchor, jan16);
    assert.equal(updated.items.data[0]!.current_period_start, jan16);
    assert.equal(updated.items.data[0]!.current_period_end, utc(2028, 1, 16));
    const invoices = await invoicesOf(stripe, customer.id);
    const now = invoices[1]!;
    assert.equal(now.billing_reason, 'subscription_update');
    assert.deepEqual(
      now.lines.data.map((l) => l.amount).sort((a, b) => a - b),
      [-1548, 30000],
    );
    assert.equal(now.amount_paid, 28452);
  });

  test('proration_date: the change is priced as of that moment', async () => {
    const { customer, sub } = await subscribed();
    await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, price: pro.id }],
      proration_date: jan16 - DAY,
    });
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    // 17 days left: −round(3000 × 17/31) = −1645, round(6000 × 17/31) = 3290.
    assert.deepEqual(
      pending.data.map((i) => i.amount).sort((a, b) => a - b),
      [-1645, 3290],
    );
  });
});
