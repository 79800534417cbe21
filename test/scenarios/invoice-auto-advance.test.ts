import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, DAY, JAN_15_2027 } from './support.ts';

const HOUR = 3600;

describe('one-off invoices advance by themselves on a test clock', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  async function eventTypes(invoice: string): Promise<string[]> {
    const events = await stripe.events.list({ limit: 100 });
    return events.data
      .filter((e) => (e.data.object as { id: string }).id === invoice)
      .map((e) => e.type)
      .reverse();
  }

  test('a draft with auto_advance is finalized an hour after creation and charged', async () => {
    const { clock, customer } = await clockCustomer(stripe, JAN_15_2027);
    await stripe.invoiceItems.create({ customer: customer.id, amount: 5000, currency: 'usd' });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      auto_advance: true,
      pending_invoice_items_behavior: 'include',
    });
    assert.equal(draft.created, JAN_15_2027, 'dated on the clock');
    assert.equal(draft.automatically_finalizes_at, JAN_15_2027 + HOUR);

    await advance(stripe, clock.id, JAN_15_2027 + HOUR / 2);
    assert.equal((await stripe.invoices.retrieve(draft.id)).status, 'draft');

    await advance(stripe, clock.id, JAN_15_2027 + 2 * HOUR);
    const paid = await stripe.invoices.retrieve(draft.id);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.status_transitions.finalized_at, JAN_15_2027 + HOUR);
    assert.equal(paid.status_transitions.paid_at, JAN_15_2027 + HOUR);
    assert.equal(paid.automatically_finalizes_at, null);
    assert.equal(paid.amount_paid, 5000);
    assert.deepEqual(await eventTypes(draft.id), [
      'invoice.created',
      'invoice.finalized',
      'invoice.paid',
      'invoice.payment_succeeded',
    ]);
  });

  test('without auto_advance a draft stays a draft', async () => {
    const { clock, customer } = await clockCustomer(stripe, JAN_15_2027);
    const draft = await stripe.invoices.create({ customer: customer.id });
    await advance(stripe, clock.id, JAN_15_2027 + 3 * DAY);
    assert.equal((await stripe.invoices.retrieve(draft.id)).status, 'draft');
    const advancing = await stripe.invoices.update(draft.id, { auto_advance: true });
    assert.equal(advancing.automatically_finalizes_at, JAN_15_2027 + 3 * DAY + HOUR);
    await advance(stripe, clock.id, JAN_15_2027 + 4 * DAY);
    const done = await stripe.invoices.retrieve(draft.id);
    assert.equal(done.status, 'paid', 'an empty invoice owes nothing');
    assert.equal(done.status_transitions.finalized_at, JAN_15_2027 + 3 * DAY + HOUR);
  });

  test('a sent invoice is sent as it is finalized, and waits for payment', async () => {
    const { clock, customer } = await clockCustomer(stripe, JAN_15_2027);
    await stripe.invoiceItems.create({ customer: customer.id, amount: 1200, currency: 'usd' });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      auto_advance: true,
      collection_method: 'send_invoice',
      days_until_due: 10,
      pending_invoice_items_behavior: 'include',
    });
    assert.equal(draft.due_date, JAN_15_2027 + 10 * DAY);
    await advance(stripe, clock.id, JAN_15_2027 + 2 * HOUR);
    const open = await stripe.invoices.retrieve(draft.id);
    assert.equal(open.status, 'open');
    assert.equal(open.next_payment_attempt, null);
    assert.deepEqual(await eventTypes(draft.id), ['invoice.created', 'invoice.finalized', 'invoice.sent']);
    assert.equal((await stripe.charges.list({ customer: customer.id })).data.length, 0);
  });

  test('a declined automatic charge is retried on the schedule', async () => {
    const { clock, customer } = await clockCustomer(stripe, JAN_15_2027, 'pm_card_chargeCustomerFail');
    await stripe.invoiceItems.create({ customer: customer.id, amount: 800, currency: 'usd' });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      auto_advance: true,
      pending_invoice_items_behavior: 'include',
    });
    await advance(stripe, clock.id, JAN_15_2027 + 2 * HOUR);
    const failed = await stripe.invoices.retrieve(draft.id);
    assert.equal(failed.status, 'open');
    assert.equal(failed.attempt_count, 1);
    assert.equal(failed.next_payment_attempt, JAN_15_2027 + HOUR + 3 * DAY);
    await advance(stripe, clock.id, JAN_15_2027 + 4 * DAY);
    const retried = await stripe.invoices.retrieve(draft.id);
    assert.equal(retried.attempt_count, 2);
    assert.equal(retried.next_payment_attempt, JAN_15_2027 + HOUR + 7 * DAY);
    const charges = await stripe.charges.list({ customer: customer.id });
    assert.deepEqual(
      charges.data.map((c) => [c.status, c.created]),
      [
        ['failed', JAN_15_2027 + HOUR + 3 * DAY],
        ['failed', JAN_15_2027 + HOUR],
      ],
    );
  });
});
