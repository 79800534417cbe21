import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey } from '../../src/accounts/keys.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('credit notes through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  async function customerWithCard(): Promise<Stripe.Customer> {
    const customer = await stripe.customers.create({ email: 'credit@example.com' });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    return stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  }

  /** An open invoice of two lines, 30.00 (3 × 10.00) and 12.00, sent for payment. */
  async function openInvoice(customer: string): Promise<Stripe.Invoice> {
    await stripe.invoiceItems.create({
      customer,
      currency: 'usd',
      unit_amount_decimal: '1000' as unknown as Stripe.Decimal,
      quantity: 3,
      description: 'Seats',
    });
    await stripe.invoiceItems.create({ customer, currency: 'usd', amount: 1200, description: 'Setup' });
    const draft = await stripe.invoices.create({
      customer,
      collection_method: 'send_invoice',
      days_until_due: 30,
      pending_invoice_items_behavior: 'include',
    });
    return stripe.invoices.finalizeInvoice(draft.id);
  }

  async function paidInvoice(customer: string): Promise<Stripe.Invoice> {
    const open = await openInvoice(customer);
    return stripe.invoices.pay(open.id);
  }

  const lineOf = (invoice: Stripe.Invoice, description: string) =>
    invoice.lines.data.find((l) => l.description === description)!;

  test('an open invoice: the credit note reduces what is due, lines by quantity and by amount', async () => {
    const customer = await customerWithCard();
    const invoice = await openInvoice(customer.id);
    assert.equal(invoice.amount_due, 4200);
    const seats = lineOf(invoice, 'Seats');
    const setup = lineOf(invoice, 'Setup');
    const params: Stripe.CreditNoteCreateParams = {
      invoice: invoice.id,
      lines: [
        { type: 'invoice_line_item', invoice_line_item: seats.id, quantity: 1 },
        { type: 'invoice_line_item', invoice_line_item: setup.id, amount: 200 },
      ],
      reason: 'order_change',
      memo: 'One seat less',
    };
    const preview = await stripe.creditNotes.preview(params);
    assert.equal(preview.total, 1200);
    assert.equal(preview.type, 'pre_payment');
    const previewLines = await stripe.creditNotes.listPreviewLineItems({ ...params, limit: 1 });
    assert.equal(previewLines.data.length, 1);
    assert.equal(previewLines.has_more, true);
    assert.equal(previewLines.data[0]!.amount, 1000);
    assert.equal((await stripe.invoices.retrieve(invoice.id)).amount_due, 4200, 'a preview writes nothing');
    assert.equal((await stripe.creditNotes.list({ invoice: invoice.id })).data.length, 0);

    const note = await stripe.creditNotes.create(params);
    assert.match(note.id, /^cn_/);
    assert.equal(note.number, `${invoice.number}-CN-01`);
    assert.equal(note.status, 'issued');
    assert.equal(note.type, 'pre_payment');
    assert.deepEqual(
      [note.subtotal, note.total, note.amount, note.pre_payment_amount, note.post_payment_amount],
      [1200, 1200, 1200, 1200, 0],
    );
    assert.equal(note.customer_balance_transaction, null);
    assert.deepEqual(
      note.lines.data.map((l) => [l.type, l.invoice_line_item, l.amount, l.quantity]),
      [
        ['invoice_line_item', seats.id, 1000, 1],
        ['invoice_line_item', setup.id, 200, null],
      ],
    );
    assert.equal(note.memo, 'One seat less');
    assert.equal(note.reason, 'order_change');
    const after = await stripe.invoices.retrieve(invoice.id);
    assert.deepEqual(
      [after.status, after.amount_due, after.amount_remaining, after.pre_payment_credit_notes_amount],
      ['open', 3000, 3000, 1200],
    );
    assert.equal(after.post_payment_credit_notes_amount, 0);
    const created = await stripe.events.list({ type: 'credit_note.created', limit: 5 });
    assert.ok(created.data.some((e) => (e.data.object as Stripe.CreditNote).id === note.id));

    // The seats line has 20.00 left to credit: 3 seats more than that is refused.
    const tooMuch = await stripe.creditNotes
      .create({
        invoice: invoice.id,
        lines: [{ type: 'invoice_line_item', invoice_line_item: seats.id, quantity: 3 }],
      })
      .catch((e: unknown) => e);
    assert.ok(tooMuch instanceof E.StripeInvalidRequestError);
    assert.equal(tooMuch.param, 'lines[0][quantity]');

    // A second one takes the rest; the invoice has nothing left to pay and is paid.
    const second = await stripe.creditNotes.create({ invoice: invoice.id, amount: 3000 });
    assert.equal(second.number, `${invoice.number}-CN-02`);
    assert.deepEqual(
      second.lines.data.map((l) => [l.type, l.amount]),
      [['custom_line_item', 3000]],
    );
    const settled = await stripe.invoices.retrieve(invoice.id);
    assert.deepEqual(
      [settled.status, settled.amount_due, settled.amount_remaining, settled.amount_paid],
      ['paid', 0, 0, 0],
    );
    assert.equal(settled.pre_payment_credit_notes_amount, 4200);
    const voidPaid = await stripeError(
      stripe.creditNotes.voidCreditNote(second.id),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(voidPaid.message, /paid since/);
  });

  test('voiding a pre-payment credit note makes the amount due again', async () => {
    const customer = await customerWithCard();
    const invoice = await openInvoice(customer.id);
    const note = await stripe.creditNotes.create({ invoice: invoice.id, amount: 500 });
    const voided = await stripe.creditNotes.voidCreditNote(note.id);
    assert.equal(voided.status, 'void');
    assert.equal(typeof voided.voided_at, 'number');
    const after = await stripe.invoices.retrieve(invoice.id);
    assert.deepEqual(
      [after.amount_due, after.amount_remaining, after.pre_payment_credit_notes_amount],
      [4200, 4200, 0],
    );
    const again = await stripeError(
      stripe.creditNotes.voidCreditNote(note.id),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(again.message, /already void/);
    const events = await stripe.events.list({ type: 'credit_note.voided', limit: 5 });
    assert.ok(events.data.some((e) => (e.data.object as Stripe.CreditNote).id === note.id));
  });

  test('a paid invoice: credit to the balance, refund and out of band must add up to the total', async () => {
    const customer = await customerWithCard();
    const invoice = await paidInvoice(customer.id);
    assert.equal(invoice.status, 'paid');
    assert.equal(invoice.amount_paid, 4200);

    const mismatch = await stripeError(
      stripe.creditNotes.create({ invoice: invoice.id, amount: 1000, credit_amount: 600 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(mismatch.param, 'credit_amount');
    assert.equal(
      mismatch.message,
      "The sum of `refund_amount`, `credit_amount` and `out_of_band_amount` (6.00) must equal the credit note's post-payment amount (10.00).",
    );

    const note = await stripe.creditNotes.create({
      invoice: invoice.id,
      amount: 1000,
      credit_amount: 600,
      refund_amount: 300,
      out_of_band_amount: 100,
    });
    assert.equal(note.type, 'post_payment');
    assert.deepEqual(
      [note.pre_payment_amount, note.post_payment_amount, note.out_of_band_amount],
      [0, 1000, 100],
    );
    assert.equal(note.refunds.length, 1);
    assert.equal(note.refunds[0]!.amount_refunded, 300);
    assert.match(String(note.refunds[0]!.refund), /^re_/);
    // The refund is a real one of the invoice's card payment.
    const refund = await stripe.refunds.retrieve(String(note.refunds[0]!.refund));
    assert.deepEqual([refund.amount, refund.status], [300, 'succeeded']);
    const charge = await stripe.charges.retrieve(String(refund.charge));
    assert.deepEqual([charge.amount, charge.amount_refunded, charge.refunded], [4200, 300, false]);
    const transaction = await stripe.customers.retrieveBalanceTransaction(
      customer.id,
      String(note.customer_balance_transaction),
    );
    assert.deepEqual(
      [
        transaction.type,
        transaction.amount,
        transaction.ending_balance,
        transaction.credit_note,
        transaction.invoice,
      ],
      ['credit_note', -600, -600, note.id, invoice.id],
    );
    assert.equal(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance, -600);
    const after = await stripe.invoices.retrieve(invoice.id);
    assert.deepEqual(
      [after.status, after.post_payment_credit_notes_amount, after.amount_paid],
      ['paid', 1000, 4200],
    );

    // What is left to credit is 32.00; refunds cannot pass what was paid less what was refunded.
    const over = await stripeError(
      stripe.creditNotes.create({ invoice: invoice.id, amount: 3300, credit_amount: 3300 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(over.param, 'amount');
    const refused = await stripeError(
      stripe.creditNotes.voidCreditNote(note.id),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(refused.message, /has refunds/);

    // A credit-only note voided: the customer's credit is taken back.
    const creditOnly = await stripe.creditNotes.create({
      invoice: invoice.id,
      amount: 800,
      credit_amount: 800,
    });
    assert.equal(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance, -1400);
    await stripe.creditNotes.voidCreditNote(creditOnly.id);
    assert.equal(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance, -600);
    const history = await stripe.customers.listBalanceTransactions(customer.id, { invoice: invoice.id });
    assert.deepEqual(
      history.data.map((t) => [t.type, t.amount, t.ending_balance]),
      [
        ['credit_note', 800, -600],
        ['credit_note', -800, -1400],
        ['credit_note', -600, -600],
      ],
    );
    const settled = await stripe.invoices.retrieve(invoice.id);
    assert.equal(settled.post_payment_credit_notes_amount, 1000);
  });

  test('bad input: Stripe-shaped refusals naming the param', async () => {
    const customer = await customerWithCard();
    const draft = await stripe.invoices.create({ customer: customer.id });
    const notFinal = await stripeError(
      stripe.creditNotes.create({ invoice: draft.id, amount: 100 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(notFinal.param, 'invoice');
    const invoice = await openInvoice(customer.id);
    const missing = await stripeError(
      stripe.creditNotes.create({ invoice: 'in_nope', amount: 100 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([missing.code, missing.param], ['resource_missing', 'invoice']);
    const nothing = await stripeError(
      stripe.creditNotes.create({ invoice: invoice.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(nothing.param, 'amount');
    const noLine = await stripeError(
      stripe.creditNotes.create({
        invoice: invoice.id,
        lines: [{ type: 'invoice_line_item', invoice_line_item: 'il_x' }],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([noLine.code, noLine.param], ['resource_missing', 'lines[0][invoice_line_item]']);
    const custom = await stripeError(
      stripe.creditNotes.create({
        invoice: invoice.id,
        lines: [{ type: 'custom_line_item', unit_amount: 100 }],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([custom.code, custom.param], ['parameter_missing', 'lines[0][description]']);
    const linked = await stripeError(
      stripe.creditNotes.create({
        invoice: invoice.id,
        amount: 100,
        refunds: [{ refund: 're_nope', amount_refunded: 100 }],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([linked.code, linked.param], ['resource_missing', 'refunds[0][refund]']);
    const mismatch = await stripeError(
      stripe.creditNotes.create({
        invoice: invoice.id,
        amount: 999,
        lines: [{ type: 'custom_line_item', description: 'Goodwill', unit_amount: 250, quantity: 2 }],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(mismatch.param, 'amount');
    const unknown = await stripeError(
      stripe.creditNotes.create({
        invoice: invoice.id,
        amount: 100,
        colour: 'red',
      } as Stripe.CreditNoteCreateParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([unknown.code, unknown.param], ['parameter_unknown', 'colour']);
    assert.equal((await stripe.invoices.retrieve(invoice.id)).amount_due, 4200, 'nothing was written');
  });

  test('retrieve, update, list by customer and invoice, lines, expand, and a PDF', async () => {
    const customer = await customerWithCard();
    const invoice = await openInvoice(customer.id);
    const note = await stripe.creditNotes.create({
      invoice: invoice.id,
      lines: [
        { type: 'custom_line_item', description: 'Goodwill', unit_amount: 250, quantity: 2 },
        { type: 'invoice_line_item', invoice_line_item: lineOf(invoice, 'Setup').id },
      ],
      metadata: { ticket: '42' },
    });
    assert.equal(note.total, 1700);
    const updated = await stripe.creditNotes.update(note.id, { memo: 'Sorry', metadata: { agent: 'sam' } });
    assert.deepEqual([updated.memo, updated.metadata], ['Sorry', { ticket: '42', agent: 'sam' }]);
    const events = await stripe.events.list({ type: 'credit_note.updated', limit: 1 });
    assert.deepEqual((events.data[0]!.data.previous_attributes as { memo: unknown }).memo, null);
    const fetched = await stripe.creditNotes.retrieve(note.id, { expand: ['invoice', 'customer'] });
    assert.equal((fetched.invoice as Stripe.Invoice).pre_payment_credit_notes_amount, 1700);
    assert.equal((fetched.customer as Stripe.Customer).id, customer.id);
    const lines = await stripe.creditNotes.listLineItems(note.id, { limit: 1 });
    assert.deepEqual([lines.data[0]!.description, lines.has_more], ['Goodwill', true]);
    const rest = await stripe.creditNotes.listLineItems(note.id, { starting_after: lines.data[0]!.id });
    assert.deepEqual(
      rest.data.map((l) => l.amount),
      [1200],
    );
    assert.deepEqual(
      (await stripe.creditNotes.list({ customer: customer.id })).data.map((n) => n.id),
      [note.id],
    );
    assert.deepEqual(
      (await stripe.creditNotes.list({ invoice: invoice.id })).data.map((n) => n.id),
      [note.id],
    );
    const missing = await stripeError(
      stripe.creditNotes.retrieve('cn_nope'),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(missing.code, 'resource_missing');

    assert.match(note.pdf, /\/i\/in_[A-Za-z0-9]+\/[A-Za-z0-9]+\/credit_notes\/cn_[A-Za-z0-9]+\/pdf$/);
    const pdf = await fetch(note.pdf.replace('http://localhost:4242', server.baseUrl));
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
    const bytes = Buffer.from(await pdf.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString(), '%PDF-');
    const text = spawnSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], {
      input: bytes,
    }).stdout.toString();
    assert.match(text, new RegExp(`Credit note number ${note.number}`));
    assert.match(text, new RegExp(`Credit note for invoice ${invoice.number}`));
    assert.match(text, /Goodwill 2 \$2\.50 \$5\.00/);
    assert.match(text, /Setup 1 \$12\.00 \$12\.00/);
    assert.match(text, /Total credited \$17\.00/);
    if (process.env.PORTICO_CREDIT_NOTE_PDF) writeFileSync(process.env.PORTICO_CREDIT_NOTE_PDF, bytes);
    const other = await fetch(
      note.pdf.replace('http://localhost:4242', server.baseUrl).replace(note.id, 'cn_other'),
    );
    assert.equal(other.status, 404);
  });

  test('restricted keys need the credit notes permission', async () => {
    const customer = await customerWithCard();
    const invoice = await openInvoice(customer.id);
    const key = await createRestrictedKey(
      server.app.store.db,
      { accountId: server.app.boot.accountId, livemode: false },
      Math.floor(Date.now() / 1000),
      { credit_notes: 'read', invoices: 'read' },
    );
    const reader = server.stripe(key);
    assert.equal((await reader.creditNotes.list({ invoice: invoice.id })).data.length, 0);
    const refused = await stripeError(
      reader.creditNotes.create({ invoice: invoice.id, amount: 100 }),
      E.StripePermissionError,
      403,
    );
    assert.match(refused.message, /rak_credit_note_write/);
  });
});
