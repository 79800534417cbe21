import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, invoicesOf, monthlyPrice, utc } from './support.ts';

const HOUR = 3600;
/** An invoice's tax figures as a user reads them. */
const figures = (i: Stripe.Invoice) => [
  i.subtotal,
  i.subtotal_excluding_tax,
  i.total_taxes!.map((t) => [t.tax_rate_details!.tax_rate, t.tax_behavior, t.amount, t.taxable_amount]),
  i.total,
  i.total_excluding_tax,
  i.amount_paid,
];

describe('subscriptions with tax rates over a year of test-clock renewals', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test('an exclusive default rate and an inclusive item rate, twelve renewals, exact amounts', async () => {
    const start = utc(2027, 1, 15);
    const { clock, customer } = await clockCustomer(stripe, start);
    const salesTax = await stripe.taxRates.create({
      display_name: 'Sales tax',
      percentage: 8.875,
      inclusive: false,
    });
    const vat = await stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: true });
    const pro = await monthlyPrice(stripe, 'Pro', 999);
    const seats = await monthlyPrice(stripe, 'Seats', 1000);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      default_tax_rates: [salesTax.id],
      items: [{ price: pro.id }, { price: seats.id, quantity: 2, tax_rates: [vat.id] }],
    });
    assert.deepEqual(
      sub.default_tax_rates!.map((r) => r.id),
      [salesTax.id],
    );
    assert.deepEqual(sub.items.data[0]!.tax_rates, []);
    assert.deepEqual(
      sub.items.data[1]!.tax_rates!.map((r) => r.id),
      [vat.id],
    );

    const first = await stripe.invoices.retrieve(String(sub.latest_invoice));
    assert.equal(first.status, 'paid');
    assert.deepEqual(
      first.default_tax_rates.map((r) => r.id),
      [salesTax.id],
    );
    // Pro: 9.99 + 8.875% (88.66 → 0.89). Seats: 20.00 with 20% inside (333.33 → 3.33).
    const monthly = [
      2999,
      2666,
      [
        [salesTax.id, 'exclusive', 89, 999],
        [vat.id, 'inclusive', 333, 1667],
      ],
      3088,
      2666,
      3088,
    ];
    assert.deepEqual(figures(first), monthly);
    assert.deepEqual(
      first.lines.data.map((l) => [l.amount, l.taxes!.map((t) => [t.tax_rate_details!.tax_rate, t.amount])]),
      [
        [999, [[salesTax.id, 89]]],
        [2000, [[vat.id, 333]]],
      ],
    );

    // The hosted page and the PDF show a row per rate between the subtotal and the total.
    const hosted = String(first.hosted_invoice_url).replace(/^https?:\/\/[^/]+/, server.baseUrl);
    const html = await (await fetch(hosted)).text();
    const rows = [...html.matchAll(/<dt>([^<]*)<\/dt><dd>([^<]*)<\/dd>/g)].map((m) => [m[1], m[2]]);
    assert.deepEqual(rows.slice(0, 4), [
      ['Subtotal', '$29.99'],
      ['Sales tax (8.875%)', '$0.89'],
      ['VAT (20%, included)', '$3.33'],
      ['Total', '$30.88'],
    ]);
    const pdf = await fetch(String(first.invoice_pdf).replace(/^https?:\/\/[^/]+/, server.baseUrl));
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');

    // The VAT rate is archived: the subscription goes on using it, a new one cannot take it.
    await stripe.taxRates.update(vat.id, { active: false });
    for (let month = 2; month <= 13; month += 1) {
      const year = 2027 + Math.floor((month - 1) / 12);
      await advance(stripe, clock.id, utc(year, ((month - 1) % 12) + 1, 15) + 2 * HOUR);
    }
    const invoices = await invoicesOf(stripe, customer.id);
    assert.equal(invoices.length, 13);
    for (const invoice of invoices.slice(1)) {
      assert.equal(invoice.billing_reason, 'subscription_cycle');
      assert.equal(invoice.status, 'paid');
      assert.deepEqual(
        figures(invoice),
        monthly,
        `invoice for ${new Date(invoice.period_start * 1000).toISOString()}`,
      );
    }
    const paid = invoices.reduce((sum, i) => sum + i.amount_paid, 0);
    assert.equal(paid, 13 * 3088);
  });

  test('prorations carry their items’ rates, and the preview shows the taxes to come', async () => {
    const start = utc(2027, 1, 1);
    const { clock, customer } = await clockCustomer(stripe, start);
    const gst = await stripe.taxRates.create({ display_name: 'GST', percentage: 5, inclusive: false });
    const qst = await stripe.taxRates.create({ display_name: 'QST', percentage: 9.975, inclusive: false });
    const basic = await monthlyPrice(stripe, 'Basic', 1000);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: basic.id, tax_rates: [gst.id, qst.id] }],
    });
    const first = await stripe.invoices.retrieve(String(sub.latest_invoice));
    assert.deepEqual(figures(first), [
      1000,
      1000,
      [
        [gst.id, 'exclusive', 50, 1000],
        [qst.id, 'exclusive', 100, 1000],
      ],
      1150,
      1000,
      1150,
    ]);

    // Half-way through January (31 days) the quantity goes to 3: 2 × 10.00 × 16/31 = 10.32 more.
    await advance(stripe, clock.id, utc(2027, 1, 16));
    await stripe.subscriptions.update(sub.id, {
      items: [{ id: sub.items.data[0]!.id, quantity: 3 }],
      proration_behavior: 'create_prorations',
    });
    const preview = await stripe.invoices.createPreview({ customer: customer.id, subscription: sub.id });
    const prorations = preview.lines.data.filter((l) => l.parent?.subscription_item_details?.proration);
    assert.ok(prorations.length > 0);
    for (const line of prorations) {
      assert.deepEqual(
        line.taxes!.map((t) => t.tax_rate_details!.tax_rate),
        [gst.id, qst.id],
      );
    }
    const taxOf = (invoice: Stripe.Invoice) => invoice.total_taxes!.reduce((s, t) => s + t.amount, 0);
    assert.equal(preview.total, preview.subtotal + taxOf(preview));

    // A preview of new default rates: the item keeps its own rates, so nothing changes for it.
    const other = await stripe.taxRates.create({ display_name: 'HST', percentage: 13, inclusive: false });
    const withDefaults = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: {
        default_tax_rates: [other.id],
        items: [{ id: sub.items.data[0]!.id, tax_rates: '' }],
      },
    });
    assert.deepEqual(
      withDefaults.default_tax_rates.map((r) => r.id),
      [other.id],
    );
    const periodLine = withDefaults.lines.data.find((l) => !l.parent?.subscription_item_details?.proration)!;
    assert.deepEqual(
      periodLine.taxes!.map((t) => [t.tax_rate_details!.tax_rate, t.amount]),
      [[other.id, Math.round(periodLine.amount * 0.13)]],
    );
    await advance(stripe, clock.id, utc(2027, 2, 1) + 2 * HOUR);
    const [, renewal] = await invoicesOf(stripe, customer.id);
    assert.equal(renewal!.subtotal, preview.subtotal);
    assert.deepEqual(renewal!.total_taxes, preview.total_taxes);
    assert.equal(renewal!.total, preview.total);
    assert.equal(renewal!.amount_paid, renewal!.total);
  });
});
