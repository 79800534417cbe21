import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, DAY, invoicesOf, monthlyPrice, utc } from './support.ts';

const jan1 = utc(2027, 1, 1);
const feb1 = utc(2027, 2, 1);
const finalized = feb1 + 3600;

async function failingRenewal(stripe: Stripe, price: Stripe.Price) {
  const { clock, customer } = await clockCustomer(stripe, jan1);
  const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
  // The card that paid the first invoice is replaced by one whose charges fail.
  const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
  await advance(stripe, clock.id, finalized + 60);
  return { clock, customer, sub };
}

describe('dunning: failed renewals, retries and their outcome', () => {
  let server: TestServer;
  let stripe: Stripe;
  let price: Stripe.Price;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    price = await monthlyPrice(stripe, 'Basic', 3000);
  });
  after(() => server.close());

  test('a failed renewal makes it past_due, with retries 3, 7 and 21 days after the first attempt', async () => {
    const { clock, customer, sub } = await failingRenewal(stripe, price);
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'past_due');
    let renewal = (await invoicesOf(stripe, customer.id))[1]!;
    assert.equal(renewal.status, 'open');
    assert.equal(renewal.attempt_count, 1);
    assert.equal(renewal.next_payment_attempt, finalized + 3 * DAY);
    const failedEvents = await stripe.events.list({ type: 'invoice.payment_failed' });
    assert.equal(failedEvents.data.length >= 1, true);

    await advance(stripe, clock.id, finalized + 3 * DAY + 60);
    renewal = await stripe.invoices.retrieve(renewal.id);
    assert.equal(renewal.attempt_count, 2);
    assert.equal(renewal.next_payment_attempt, finalized + 7 * DAY);
    await advance(stripe, clock.id, finalized + 7 * DAY + 60);
    renewal = await stripe.invoices.retrieve(renewal.id);
    assert.equal(renewal.attempt_count, 3);
    assert.equal(renewal.next_payment_attempt, finalized + 21 * DAY);
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'past_due');

    await advance(stripe, clock.id, finalized + 21 * DAY + 60);
    renewal = await stripe.invoices.retrieve(renewal.id);
    assert.equal(renewal.attempt_count, 4);
    assert.equal(renewal.next_payment_attempt, null);
    const ended = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(ended.status, 'canceled', 'after the last retry the default setting cancels');
    assert.equal(ended.cancellation_details?.reason, 'payment_failed');
  });

  test('a retry that succeeds (after the card is fixed) makes it active again', async () => {
    const { clock, customer, sub } = await failingRenewal(stripe, price);
    const good = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: good.id } });
    await advance(stripe, clock.id, finalized + 3 * DAY + 60);
    const renewal = (await invoicesOf(stripe, customer.id))[1]!;
    assert.equal(renewal.status, 'paid');
    assert.equal(renewal.attempt_count, 2);
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'active');
  });

  test('paying the invoice by hand with another card recovers it; a declined manual payment answers 402 and is recorded', async () => {
    const { customer, sub } = await failingRenewal(stripe, price);
    const renewal = (await invoicesOf(stripe, customer.id))[1]!;
    const error = await stripeError(stripe.invoices.pay(renewal.id), E.StripeCardError, 402);
    assert.equal(error.code, 'card_declined');
    assert.equal(error.decline_code, 'generic_decline');
    assert.equal(
      (await stripe.invoices.retrieve(renewal.id)).attempt_count,
      2,
      'the manual attempt is recorded',
    );
    const good = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const paid = await stripe.invoices.pay(renewal.id, { payment_method: good.id });
    assert.equal(paid.status, 'paid');
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'active');
  });

  test('a first payment that fails leaves it incomplete, and after 23 hours incomplete_expired', async () => {
    const { clock, customer } = await clockCustomer(stripe, jan1, 'pm_card_chargeCustomerFail');
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    assert.equal(sub.status, 'incomplete');
    const first = await stripe.invoices.retrieve(String(sub.latest_invoice));
    assert.equal(first.status, 'open');
    await advance(stripe, clock.id, jan1 + 23 * 3600 + 1);
    const expired = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(expired.status, 'incomplete_expired');
    assert.equal((await stripe.invoices.retrieve(first.id)).status, 'void');
  });

  test('error_if_incomplete: a declined first payment refuses the request and writes nothing', async () => {
    const { customer } = await clockCustomer(stripe, jan1, 'pm_card_chargeCustomerFail');
    const error = await stripeError(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: price.id }],
        payment_behavior: 'error_if_incomplete',
      }),
      E.StripeCardError,
      402,
    );
    assert.equal(error.code, 'card_declined');
    assert.equal((await stripe.subscriptions.list({ customer: customer.id, status: 'all' })).data.length, 0);
    assert.equal((await invoicesOf(stripe, customer.id)).length, 0);
  });

  test('default_incomplete: nothing is charged; the first invoice waits to be paid', async () => {
    const { customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      payment_behavior: 'default_incomplete',
    });
    assert.equal(sub.status, 'incomplete');
    const invoice = await stripe.invoices.pay(String(sub.latest_invoice));
    assert.equal(invoice.status, 'paid');
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'active');
  });

  test('no payment method: refused with Stripe’s message unless default_incomplete', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: jan1 });
    const customer = await stripe.customers.create({ test_clock: clock.id });
    const error = await stripeError(
      stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(error.message, /no attached payment source or default payment method/);
  });
});

describe('after the final retry, the account setting decides', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer({
      config: { billing: { retryDays: [2], afterFinalRetry: 'unpaid', upcomingDays: 7 } },
    });
    stripe = server.stripe();
  });
  after(() => server.close());

  test('unpaid, with a shorter schedule', async () => {
    const price = await monthlyPrice(stripe, 'Basic', 3000);
    const { clock, sub } = await failingRenewal(stripe, price);
    await advance(stripe, clock.id, finalized + 2 * DAY + 60);
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'unpaid');
  });
});
