import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, invoicesOf, monthlyPrice, utc } from './support.ts';

const jan1 = utc(2027, 1, 1);
const jan16 = utc(2027, 1, 16);

/** An upgrade that waits for its payment (`payment_behavior=pending_if_incomplete`). */
describe('pending updates', () => {
  let server: TestServer;
  let stripe: Stripe;
  let basic: Stripe.Price;
  let pro: Stripe.Price;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    basic = await monthlyPrice(stripe, 'Basic', 3000);
    pro = await monthlyPrice(stripe, 'Pro', 6000);
  });
  after(() => server.close());

  /** A Basic subscription paid on 1 Jan, whose customer's card then starts declining. */
  async function declining() {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customer.id,
    });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
    await advance(stripe, clock.id, jan16);
    const upgraded = await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, price: pro.id }],
      payment_behavior: 'pending_if_incomplete',
    });
    return { clock, customer, sub, upgraded };
  }

  test('a declined upgrade leaves the subscription as it was, with the change pending; paying applies it', async () => {
    const { customer, sub, upgraded } = await declining();
    assert.equal(upgraded.items.data[0]!.price.id, basic.id, 'nothing changes yet');
    assert.equal(upgraded.status, 'active');
    assert.ok(upgraded.pending_update);
    assert.equal(upgraded.pending_update.expires_at, jan16 + 23 * 3600);
    assert.equal(upgraded.pending_update.subscription_items![0]!.price.id, pro.id);
    const invoice = await stripe.invoices.retrieve(String(upgraded.latest_invoice));
    assert.equal(invoice.status, 'open');
    assert.equal(invoice.amount_due, 1549, 'the prorated difference: −1548 + 3097');

    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.invoices.pay(invoice.id, { payment_method: card.id });
    const applied = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(applied.items.data[0]!.price.id, pro.id);
    assert.equal(applied.pending_update, null);
    assert.equal(applied.status, 'active');
    const types = (await stripe.events.list({ limit: 20 })).data.map((e) => e.type);
    assert.ok(types.includes('customer.subscription.pending_update_applied'));
  });

  test('unpaid for 23 hours, the pending update expires and its invoice is voided', async () => {
    const { clock, customer, sub, upgraded } = await declining();
    await advance(stripe, clock.id, jan16 + 23 * 3600 + 60);
    const expired = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(expired.pending_update, null);
    assert.equal(expired.items.data[0]!.price.id, basic.id);
    assert.equal(expired.status, 'active', 'a failed pending update does not make it past_due');
    assert.equal((await stripe.invoices.retrieve(String(upgraded.latest_invoice))).status, 'void');
    const types = (await stripe.events.list({ limit: 20 })).data.map((e) => e.type);
    assert.ok(types.includes('customer.subscription.pending_update_expired'));
    assert.equal((await invoicesOf(stripe, customer.id)).length, 2);
  });

  test('a paid upgrade applies at once; only what a payment can wait for may be sent with it', async () => {
    const { customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    const paid = await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, price: pro.id }],
      payment_behavior: 'pending_if_incomplete',
    });
    assert.equal(paid.items.data[0]!.price.id, pro.id);
    assert.equal(paid.pending_update, null);
    const refused = await stripeError(
      stripe.subscriptions.update(sub.id, {
        metadata: { a: 'b' },
        payment_behavior: 'pending_if_incomplete',
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(refused.param, 'metadata');
  });
});
