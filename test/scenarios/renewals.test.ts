import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, invoicesOf, monthlyPrice, utc } from './support.ts';

describe('a monthly subscription renews on its test clock', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test('created paid, then one paid invoice per month, periods anchored on the 31st', async () => {
    const start = utc(2027, 1, 31);
    const { clock, customer, paymentMethod } = await clockCustomer(stripe, start);
    const price = await monthlyPrice(stripe, 'Pro', 1500);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id, quantity: 2 }],
    });
    assert.equal(sub.status, 'active');
    assert.equal(sub.start_date, start);
    assert.equal(sub.billing_cycle_anchor, start);
    assert.equal(sub.items.data[0]!.current_period_start, start);
    assert.equal(sub.items.data[0]!.current_period_end, utc(2027, 2, 28));
    const first = await stripe.invoices.retrieve(String(sub.latest_invoice), {
      expand: ['payments.data.payment.payment_intent'],
    });
    assert.equal(first.status, 'paid');
    assert.equal(first.billing_reason, 'subscription_create');
    assert.equal(first.amount_due, 3000);
    assert.equal(first.amount_paid, 3000);
    assert.equal(first.lines.data[0]!.description, '2 × Pro');
    assert.match(String(first.number), /^[A-Z0-9]{8}-0001$/);
    const intent = first.payments!.data[0]!.payment.payment_intent as Stripe.PaymentIntent;
    assert.equal(intent.status, 'succeeded');
    assert.equal(intent.payment_method, paymentMethod.id);
    assert.equal(intent.amount_received, 3000);

    // A clock goes at most two billing intervals per advance.
    await advance(stripe, clock.id, utc(2027, 3, 31));
    await advance(stripe, clock.id, utc(2027, 5, 1));
    const invoices = await invoicesOf(stripe, customer.id);
    assert.deepEqual(
      invoices.map((i) => [i.billing_reason, i.status, i.amount_paid, i.period_start, i.period_end]),
      [
        ['subscription_create', 'paid', 3000, start, utc(2027, 2, 28)],
        ['subscription_cycle', 'paid', 3000, utc(2027, 2, 28), utc(2027, 3, 31)],
        ['subscription_cycle', 'paid', 3000, utc(2027, 3, 31), utc(2027, 4, 30)],
        ['subscription_cycle', 'paid', 3000, utc(2027, 4, 30), utc(2027, 5, 31)],
      ],
    );
    assert.deepEqual(
      invoices.map((i) => i.number!.slice(-4)),
      ['0001', '0002', '0003', '0004'],
    );
    const renewed = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(renewed.status, 'active');
    assert.equal(renewed.items.data[0]!.current_period_start, utc(2027, 4, 30));
    assert.equal(renewed.items.data[0]!.current_period_end, utc(2027, 5, 31));
    assert.equal(renewed.latest_invoice, invoices[3]!.id);
    const renewal = invoices[1]!;
    assert.equal(
      renewal.created,
      utc(2027, 2, 28),
      'the renewal draft is made at the period end, on the clock',
    );
    assert.equal(
      renewal.status_transitions.finalized_at,
      utc(2027, 2, 28) + 3600,
      'and finalized an hour later',
    );
  });

  test('invoice.upcoming announces each automatic renewal seven days ahead, with the invoice to come', async () => {
    const start = utc(2027, 3, 1);
    const { clock, customer } = await clockCustomer(stripe, start);
    const price = await monthlyPrice(stripe, 'Team', 2500);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id, quantity: 2 }],
    });
    const upcoming = async () =>
      (await stripe.events.list({ type: 'invoice.upcoming', limit: 100 })).data.filter(
        (e) => (e.data.object as Stripe.Invoice).customer === customer.id,
      );
    await advance(stripe, clock.id, utc(2027, 3, 25) - 60);
    assert.equal((await upcoming()).length, 0, 'not before seven days ahead');
    await advance(stripe, clock.id, utc(2027, 3, 25) + 60);
    const [event] = await upcoming();
    assert.ok(event);
    assert.equal(event.created, utc(2027, 3, 25));
    const invoice = event.data.object as Stripe.Invoice;
    assert.match(String(invoice.id), /^upcoming_in_/, 'like a preview invoice, an upcoming_in_ id');
    assert.equal(invoice.amount_due, 5000);
    assert.equal(invoice.period_start, utc(2027, 4, 1));
    assert.equal(invoice.parent?.subscription_details?.subscription, sub.id);
    await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    await advance(stripe, clock.id, utc(2027, 4, 30));
    assert.equal((await upcoming()).length, 1, 'no announcement for a renewal that will not happen');
  });
});
