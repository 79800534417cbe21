import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, invoicesOf, monthlyPrice, utc } from './support.ts';

describe('a credit note after a mid-period cancellation', () => {
  let server: TestServer;
  let stripe: Stripe;
  let basic: Stripe.Price;
  const jan1 = utc(2027, 1, 1);
  const jan16 = utc(2027, 1, 16);
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    basic = await monthlyPrice(stripe, 'Basic', 3000);
  });
  after(() => server.close());

  test('the unused half month is credited to the balance and pays part of the next invoice', async () => {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    await advance(stripe, clock.id, jan16);
    const [first] = await invoicesOf(stripe, customer.id);
    assert.deepEqual([first!.status, first!.amount_paid], ['paid', 3000]);

    const canceled = await stripe.subscriptions.cancel(sub.id);
    assert.equal(canceled.ended_at, jan16);
    // 16 of January's 31 days are unused: 3000 × 16 / 31 = 1548.39 → 15.48.
    const unused = Math.round((3000 * 16) / 31);
    assert.equal(unused, 1548);
    const line = first!.lines.data[0]!;
    const note = await stripe.creditNotes.create({
      invoice: first!.id,
      lines: [{ type: 'invoice_line_item', invoice_line_item: line.id, amount: unused }],
      credit_amount: unused,
      reason: 'order_change',
      memo: 'Unused time after cancelling on 16 January',
    });
    assert.equal(note.created, jan16, 'dated on the customer’s clock');
    assert.equal(note.effective_at, jan16);
    assert.deepEqual(
      [note.type, note.total, note.pre_payment_amount, note.post_payment_amount],
      ['post_payment', 1548, 0, 1548],
    );
    assert.equal(note.number, `${first!.number}-CN-01`);
    const invoice = await stripe.invoices.retrieve(first!.id);
    assert.deepEqual(
      [
        invoice.status,
        invoice.amount_paid,
        invoice.post_payment_credit_notes_amount,
        invoice.pre_payment_credit_notes_amount,
      ],
      ['paid', 3000, 1548, 0],
    );
    const credited = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    assert.equal(credited.balance, -1548);
    const transaction = await stripe.customers.retrieveBalanceTransaction(
      customer.id,
      String(note.customer_balance_transaction),
    );
    assert.deepEqual(
      [transaction.type, transaction.amount, transaction.ending_balance, transaction.created],
      ['credit_note', -1548, -1548, jan16],
    );

    // Subscribing again the same day: the credit pays part of the first invoice.
    const again = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: basic.id }] });
    const next = await stripe.invoices.retrieve(String(again.latest_invoice));
    assert.deepEqual(
      [next.total, next.starting_balance, next.amount_due, next.amount_paid, next.ending_balance],
      [3000, -1548, 1452, 1452, 0],
    );
    assert.equal(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance, 0);
    const history = await stripe.customers.listBalanceTransactions(customer.id);
    assert.deepEqual(
      history.data.map((t) => [t.type, t.amount, t.ending_balance]),
      [
        ['applied_to_invoice', 1548, 0],
        ['credit_note', -1548, -1548],
      ],
    );
  });
});
