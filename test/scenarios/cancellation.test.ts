import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, invoicesOf, monthlyPrice, utc } from './support.ts';

describe('cancelling subscriptions', () => {
  let server: TestServer;
  let stripe: Stripe;
  let basic: Stripe.Price;
  const jan1 = utc(2027, 1, 1);
  const jan16 = utc(2027, 1, 16);
  const feb1 = utc(2027, 2, 1);
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    basic = await monthlyPrice(stripe, 'Basic', 3000);
  });
  after(() => server.close());

  async function subscribed() {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    await advance(stripe, clock.id, jan16);
    return { clock, customer, sub };
  }

  test('at period end: nothing more is billed and it ends on the boundary', async () => {
    const { clock, customer, sub } = await subscribed();
    const set = await stripe.subscriptions.update(sub.id, {
      cancel_at_period_end: true,
      cancellation_details: { comment: 'Too pricey', feedback: 'too_expensive' },
    });
    assert.equal(set.cancel_at_period_end, true);
    assert.equal(set.canceled_at, jan16);
    assert.equal(set.status, 'active');
    assert.equal(set.cancellation_details?.reason, 'cancellation_requested', 'requested from the start');
    await advance(stripe, clock.id, feb1 + 7200);
    const ended = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(ended.status, 'canceled');
    assert.equal(ended.ended_at, feb1);
    assert.equal(ended.cancel_at_period_end, false);
    assert.deepEqual(ended.cancellation_details, {
      comment: 'Too pricey',
      feedback: 'too_expensive',
      feedback_option: null,
      reason: 'cancellation_requested',
    });
    assert.equal((await invoicesOf(stripe, customer.id)).length, 1, 'no renewal invoice');
    const deleted = await stripe.events.list({ type: 'customer.subscription.deleted', limit: 1 });
    assert.equal((deleted.data[0]!.data.object as Stripe.Subscription).id, sub.id);
  });

  test('cancel at period end, then change of mind before the end: it renews', async () => {
    const { clock, customer, sub } = await subscribed();
    await stripe.subscriptions.update(sub.id, { cancel_at_period_end: true });
    const kept = await stripe.subscriptions.update(sub.id, { cancel_at_period_end: false });
    assert.equal(kept.canceled_at, null);
    assert.equal(kept.cancellation_details?.reason, null, 'the request is withdrawn');
    await advance(stripe, clock.id, feb1 + 7200);
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'active');
    assert.deepEqual(
      (await invoicesOf(stripe, customer.id)).map((i) => i.amount_paid),
      [3000, 3000],
    );
  });

  test('immediately, without proration: ended now, nothing credited', async () => {
    const { customer, sub } = await subscribed();
    const canceled = await stripe.subscriptions.cancel(sub.id);
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.ended_at, jan16);
    assert.equal(canceled.canceled_at, jan16);
    assert.equal(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance, 0);
    const again = await stripeError(stripe.subscriptions.cancel(sub.id), E.StripeInvalidRequestError, 400);
    assert.match(again.message, /already ended/);
    const refused = await stripeError(
      stripe.subscriptions.update(sub.id, { cancel_at_period_end: true }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(refused.param, 'cancel_at_period_end');
    const metadata = await stripe.subscriptions.update(sub.id, { metadata: { note: 'closed' } });
    assert.deepEqual(metadata.metadata, { note: 'closed' });
  });

  test('immediately with proration and a final invoice: the unused half month becomes credit', async () => {
    const { customer, sub } = await subscribed();
    await stripe.subscriptions.cancel(sub.id, { prorate: true, invoice_now: true });
    const invoices = await invoicesOf(stripe, customer.id);
    const final = invoices[1]!;
    assert.equal(final.total, -1548);
    assert.equal(final.amount_due, 0);
    assert.equal(final.status, 'paid');
    assert.equal(final.ending_balance, -1548);
    assert.equal(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance, -1548);
  });

  test('a feedback option: an active one is recorded, an inactive or unknown one refused on its param', async () => {
    const { sub } = await subscribed();
    const active = await stripe.billing.feedbackOptions.create({ description: 'Moving to a team plan' });
    const retired = await stripe.billing.feedbackOptions.create({ description: 'Old reason' });
    await stripe.billing.feedbackOptions.deactivate(retired.id);
    const param = 'cancellation_details[feedback_option]';
    const inactive = await stripeError(
      stripe.subscriptions.update(sub.id, { cancellation_details: { feedback_option: retired.id } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(inactive.param, param);
    const unknown = await stripeError(
      stripe.subscriptions.cancel(sub.id, { cancellation_details: { feedback_option: 'bfo_missing' } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(unknown.param, param);
    assert.equal((await stripe.subscriptions.retrieve(sub.id)).status, 'active', 'nothing changed');
    const canceled = await stripe.subscriptions.cancel(sub.id, {
      cancellation_details: { feedback: 'switched_service', feedback_option: active.id },
    });
    assert.deepEqual(canceled.cancellation_details, {
      comment: null,
      feedback: 'switched_service',
      feedback_option: active.id,
      reason: 'cancellation_requested',
    });
  });

  test('cancel_at: it ends at that moment on the clock', async () => {
    const { clock, sub } = await subscribed();
    const at = utc(2027, 1, 20);
    const set = await stripe.subscriptions.update(sub.id, { cancel_at: at });
    assert.equal(set.cancel_at, at);
    await advance(stripe, clock.id, utc(2027, 1, 21));
    const ended = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(ended.status, 'canceled');
    assert.equal(ended.ended_at, at);
  });
});
