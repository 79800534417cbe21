import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('credit notes on taxed invoices through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let exclusive: Stripe.TaxRate;
  let inclusive: Stripe.TaxRate;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    exclusive = await stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: false });
    inclusive = await stripe.taxRates.create({ display_name: 'TVA', percentage: 20, inclusive: true });
  });
  after(() => server.close());

  /** An invoice taxed at `rate` of two lines, 30.00 (3 × 10.00) and 12.00; paid when asked. */
  async function taxedInvoice(rate: Stripe.TaxRate, paid = false): Promise<Stripe.Invoice> {
    const customer = await stripe.customers.create({ email: 'taxed@example.com' });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    await stripe.invoiceItems.create({
      customer: customer.id,
      currency: 'usd',
      unit_amount_decimal: '1000' as unknown as Stripe.Decimal,
      quantity: 3,
      description: 'Seats',
    });
    await stripe.invoiceItems.create({
      customer: customer.id,
      currency: 'usd',
      amount: 1200,
      description: 'Setup',
    });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      collection_method: 'send_invoice',
      days_until_due: 30,
      pending_invoice_items_behavior: 'include',
      default_tax_rates: [rate.id],
    });
    const open = await stripe.invoices.finalizeInvoice(draft.id);
    return paid ? stripe.invoices.pay(open.id) : open;
  }

  const lineOf = (invoice: Stripe.Invoice, description: string) =>
    invoice.lines.data.find((l) => l.description === description)!;

  const tax = (rate: Stripe.TaxRate, amount: number, taxable: number) => ({
    amount,
    tax_behavior: rate.inclusive ? 'inclusive' : 'exclusive',
    tax_rate_details: { tax_rate: rate.id },
    taxability_reason: 'not_available',
    taxable_amount: taxable,
    type: 'tax_rate_details',
  });

  const totals = (note: Stripe.CreditNote) => ({
    amount: note.amount,
    subtotal: note.subtotal,
    subtotal_excluding_tax: note.subtotal_excluding_tax,
    total: note.total,
    total_excluding_tax: note.total_excluding_tax,
  });

  test('exclusive 20%: a whole line credits its amount plus its tax, a part its share', async () => {
    const invoice = await taxedInvoice(exclusive);
    assert.equal(invoice.total, 5040);
    const seats = lineOf(invoice, 'Seats');
    const setup = lineOf(invoice, 'Setup');
    const params: Stripe.CreditNoteCreateParams = {
      invoice: invoice.id,
      lines: [
        { type: 'invoice_line_item', invoice_line_item: seats.id },
        { type: 'invoice_line_item', invoice_line_item: setup.id },
      ],
    };
    const preview = await stripe.creditNotes.preview(params);
    const note = await stripe.creditNotes.create(params);
    for (const n of [preview, note]) {
      assert.deepEqual(totals(n), {
        amount: 5040,
        subtotal: 4200,
        subtotal_excluding_tax: 4200,
        total: 5040,
        total_excluding_tax: 4200,
      });
      assert.deepEqual(n.total_taxes, [tax(exclusive, 840, 4200)]);
      const [seatLine, setupLine] = n.lines.data;
      assert.deepEqual(seatLine!.taxes, [tax(exclusive, 600, 3000)]);
      assert.deepEqual(
        seatLine!.tax_rates.map((r) => r.id),
        [exclusive.id],
      );
      assert.deepEqual(setupLine!.taxes, [tax(exclusive, 240, 1200)]);
    }
    assert.equal(note.type, 'pre_payment');
    assert.equal((await stripe.invoices.retrieve(invoice.id)).amount_remaining, 0);
  });

  test('exclusive 20%: parts of a line never credit more tax than the line carried', async () => {
    const invoice = await taxedInvoice(exclusive);
    const setup = lineOf(invoice, 'Setup');
    const seats = lineOf(invoice, 'Seats');
    const part = (amount?: number) =>
      stripe.creditNotes.create({
        invoice: invoice.id,
        lines: [{ type: 'invoice_line_item', invoice_line_item: setup.id, amount }],
      });
    // 3 × 20% = 0.6, rounded to 1 each time; what is left then takes 240 − 2, not 238.8 → 239.
    const first = await part(3);
    assert.deepEqual(first.lines.data[0]!.taxes, [tax(exclusive, 1, 3)]);
    assert.equal(first.total, 4);
    await part(3);
    const rest = await part(1194);
    assert.deepEqual(rest.lines.data[0]!.taxes, [tax(exclusive, 238, 1194)]);
    assert.equal(rest.total, 1432);
    const oneSeat = await stripe.creditNotes.create({
      invoice: invoice.id,
      lines: [{ type: 'invoice_line_item', invoice_line_item: seats.id, quantity: 1 }],
    });
    assert.deepEqual(totals(oneSeat), {
      amount: 1200,
      subtotal: 1000,
      subtotal_excluding_tax: 1000,
      total: 1200,
      total_excluding_tax: 1000,
    });
    const after = await stripe.invoices.retrieve(invoice.id);
    assert.equal(after.pre_payment_credit_notes_amount, 4 + 4 + 1432 + 1200);
    assert.equal(after.amount_remaining, 5040 - 2640);
  });

  test('inclusive 20%: the credited amount has its tax inside', async () => {
    const invoice = await taxedInvoice(inclusive);
    assert.equal(invoice.total, 4200);
    const seats = lineOf(invoice, 'Seats');
    const setup = lineOf(invoice, 'Setup');
    const note = await stripe.creditNotes.create({
      invoice: invoice.id,
      lines: [
        { type: 'invoice_line_item', invoice_line_item: seats.id },
        { type: 'invoice_line_item', invoice_line_item: setup.id, amount: 1000 },
      ],
    });
    assert.deepEqual(totals(note), {
      amount: 4000,
      subtotal: 4000,
      subtotal_excluding_tax: 3333,
      total: 4000,
      total_excluding_tax: 3333,
    });
    assert.deepEqual(note.lines.data[0]!.taxes, [tax(inclusive, 500, 2500)]);
    // 1000 × 20 / 120 = 166.67 → 167.
    assert.deepEqual(note.lines.data[1]!.taxes, [tax(inclusive, 167, 833)]);
    assert.deepEqual(note.total_taxes, [tax(inclusive, 667, 3333)]);
    const preview = await stripe.creditNotes.preview({
      invoice: invoice.id,
      lines: [{ type: 'invoice_line_item', invoice_line_item: setup.id, amount: 200 }],
    });
    // What is left of the line: 200, and 200 − 167 of its tax.
    assert.deepEqual(preview.lines.data[0]!.taxes, [tax(inclusive, 33, 167)]);
    assert.equal(preview.total, 200);
  });

  test('a paid invoice: what may be refunded includes the tax', async () => {
    const invoice = await taxedInvoice(exclusive, true);
    assert.equal(invoice.amount_paid, 5040);
    const seats = lineOf(invoice, 'Seats');
    const short = await stripeError(
      stripe.creditNotes.create({
        invoice: invoice.id,
        lines: [{ type: 'invoice_line_item', invoice_line_item: seats.id }],
        refund_amount: 3000,
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(short.param, 'refund_amount');
    const note = await stripe.creditNotes.create({
      invoice: invoice.id,
      lines: [{ type: 'invoice_line_item', invoice_line_item: seats.id }],
      refund_amount: 3600,
    });
    assert.deepEqual(
      [note.type, note.post_payment_amount, note.refunds[0]?.amount_refunded],
      ['post_payment', 3600, 3600],
    );
    const everything = await stripeError(
      stripe.creditNotes.create({ invoice: invoice.id, amount: 1441, credit_amount: 1441 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(everything.param, 'amount');
    const rest = await stripe.creditNotes.create({ invoice: invoice.id, amount: 1440, credit_amount: 1440 });
    assert.equal(rest.total, 1440);
  });

  test('custom lines take tax_rates; other tax params are refused by name', async () => {
    const invoice = await taxedInvoice(exclusive);
    const note = await stripe.creditNotes.create({
      invoice: invoice.id,
      lines: [
        {
          type: 'custom_line_item',
          description: 'Goodwill',
          unit_amount: 250,
          quantity: 2,
          tax_rates: [exclusive.id],
        },
      ],
    });
    assert.deepEqual(totals(note), {
      amount: 600,
      subtotal: 500,
      subtotal_excluding_tax: 500,
      total: 600,
      total_excluding_tax: 500,
    });
    assert.deepEqual(note.lines.data[0]!.taxes, [tax(exclusive, 100, 500)]);
    assert.deepEqual(
      note.lines.data[0]!.tax_rates.map((r) => r.id),
      [exclusive.id],
    );

    const pdf = await fetch(note.pdf.replace('http://localhost:4242', server.baseUrl));
    const bytes = Buffer.from(await pdf.arrayBuffer());
    if (process.env.PORTICO_CREDIT_NOTE_PDF) writeFileSync(process.env.PORTICO_CREDIT_NOTE_PDF, bytes);
    const text = spawnSync('pdftotext', ['-raw', '-enc', 'UTF-8', '-', '-'], {
      input: bytes,
    }).stdout.toString();
    assert.match(text, /VAT \(20%\) \$1\.00/);
    assert.match(text, /Total credited \$6\.00/);

    const seats = lineOf(invoice, 'Seats');
    const onInvoiceLine = await stripeError(
      stripe.creditNotes.create({
        invoice: invoice.id,
        lines: [{ type: 'invoice_line_item', invoice_line_item: seats.id, tax_rates: [exclusive.id] }],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(onInvoiceLine.param, 'lines[0][tax_rates]');
    const unknownRate = await stripeError(
      stripe.creditNotes.create({
        invoice: invoice.id,
        lines: [{ type: 'custom_line_item', description: 'X', unit_amount: 100, tax_rates: ['txr_nope'] }],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([unknownRate.code, unknownRate.param], ['resource_missing', 'lines[0][tax_rates][0]']);
    const amounts = await stripeError(
      stripe.creditNotes.create({
        invoice: invoice.id,
        lines: [
          {
            type: 'custom_line_item',
            description: 'X',
            unit_amount: 100,
            tax_amounts: [{ amount: 20, tax_rate: exclusive.id, taxable_amount: 100 }],
          },
        ],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(amounts.param, 'lines[0][tax_amounts]');
    assert.equal((await stripe.invoices.retrieve(invoice.id)).amount_remaining, 5040 - 600);
  });
});
