import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { advance, clockCustomer, invoicesOf, utc } from '../scenarios/support.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

const START = utc(2027, 3, 10);

describe('subscription schedule phases with tax rates through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let pro: Stripe.Price;
  let basic: Stripe.Price;
  let vat: Stripe.TaxRate;
  let gst: Stripe.TaxRate;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    const monthly = (name: string, amount: number) =>
      stripe.prices.create({
        product_data: { name },
        currency: 'usd',
        unit_amount: amount,
        recurring: { interval: 'month' },
      });
    pro = await monthly('Pro', 3000);
    basic = await monthly('Basic', 1000);
    vat = await stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: false });
    gst = await stripe.taxRates.create({ display_name: 'GST', percentage: 5, inclusive: false });
  });
  after(() => server.close());

  const taxesOf = (invoice: Stripe.Invoice) =>
    (invoice.total_taxes ?? []).map((t) => [t.tax_rate_details?.tax_rate, t.amount, t.taxable_amount]);

  test('a second phase that adds tax rates: its invoices are taxed, a third without them is not', async () => {
    const { clock, customer } = await clockCustomer(stripe, START);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: 'now',
      phases: [
        { items: [{ price: pro.id }], duration: { interval: 'month' } },
        {
          items: [{ price: pro.id }, { price: basic.id, tax_rates: [gst.id] }],
          default_tax_rates: [vat.id],
          duration: { interval: 'month' },
        },
        { items: [{ price: pro.id }], duration: { interval: 'month' } },
      ],
    });
    const second = schedule.phases[1]!;
    assert.deepEqual(
      second.default_tax_rates?.map((r) => [r.id, r.percentage]),
      [[vat.id, 20]],
    );
    assert.deepEqual(
      second.items.map((i) => i.tax_rates?.map((r) => r.id)),
      [[], [gst.id]],
    );
    assert.deepEqual(schedule.phases[0]!.default_tax_rates, []);

    await advance(stripe, clock.id, utc(2027, 4, 10));
    const sub = await stripe.subscriptions.retrieve(String(schedule.subscription));
    assert.deepEqual(
      sub.default_tax_rates?.map((r) => r.id),
      [vat.id],
    );
    const basicItem = sub.items.data.find((i) => i.price.id === basic.id)!;
    assert.deepEqual(
      basicItem.tax_rates?.map((r) => r.id),
      [gst.id],
    );
    let invoices = await invoicesOf(stripe, customer.id);
    assert.equal(invoices.length, 2);
    assert.equal(invoices[0]!.total, 3000, 'the first phase is untaxed');
    const taxed = invoices[1]!;
    // Pro at the phase's default 20% (600), Basic at its own 5% only (50).
    assert.deepEqual(taxesOf(taxed), [
      [vat.id, 600, 3000],
      [gst.id, 50, 1000],
    ]);
    assert.equal(taxed.subtotal, 4000);
    assert.equal(taxed.total, 4650);
    assert.equal(taxed.total_excluding_tax, 4000);

    await advance(stripe, clock.id, utc(2027, 5, 10));
    const third = await stripe.subscriptions.retrieve(String(schedule.subscription));
    assert.deepEqual(third.default_tax_rates, []);
    invoices = await invoicesOf(stripe, customer.id);
    assert.equal(invoices.length, 3);
    assert.deepEqual(taxesOf(invoices[2]!), []);
    assert.equal(invoices[2]!.total, 3000);
  });

  test('a phase starting now taxes the first invoice; bad rates are refused by param', async () => {
    const { customer } = await clockCustomer(stripe, START);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: customer.id,
      start_date: 'now',
      phases: [{ items: [{ price: pro.id, tax_rates: [gst.id] }], default_tax_rates: [vat.id] }],
    });
    const invoices = await invoicesOf(stripe, customer.id);
    assert.deepEqual(taxesOf(invoices[0]!), [[gst.id, 150, 3000]]);
    assert.equal(invoices[0]!.total, 3150);

    const updated = await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        {
          start_date: START,
          items: [{ price: pro.id }],
          default_tax_rates: [vat.id],
          proration_behavior: 'none',
        },
      ],
    });
    assert.deepEqual(updated.phases[0]!.items[0]!.tax_rates, []);
    const sub = await stripe.subscriptions.retrieve(String(schedule.subscription));
    assert.deepEqual(sub.items.data[0]!.tax_rates, [], 'the item falls back on the default rates');
    assert.deepEqual(
      sub.default_tax_rates?.map((r) => r.id),
      [vat.id],
    );

    const missing = await stripeError(
      stripe.subscriptionSchedules.create({
        customer: customer.id,
        phases: [
          { items: [{ price: pro.id }] },
          { items: [{ price: pro.id }], default_tax_rates: ['txr_nope'] },
        ],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([missing.code, missing.param], ['resource_missing', 'phases[1][default_tax_rates][0]']);
    const archived = await stripe.taxRates.create({ display_name: 'Old', percentage: 7, inclusive: false });
    await stripe.taxRates.update(archived.id, { active: false });
    const inactive = await stripeError(
      stripe.subscriptionSchedules.create({
        customer: customer.id,
        phases: [{ items: [{ price: pro.id, tax_rates: [archived.id] }] }],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(inactive.param, 'phases[0][items][0][tax_rates][0]');
    const addOns = await stripeError(
      stripe.subscriptionSchedules.create({
        customer: customer.id,
        phases: [
          {
            items: [{ price: pro.id }],
            add_invoice_items: [{ price: basic.id, tax_rates: [vat.id] }],
          },
        ],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([addOns.code, addOns.param], ['parameter_unknown', 'phases[0][add_invoice_items]']);
  });
});
