import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** The SDK types decimals as its Decimal class; on the wire they are strings. */
const dec = (text: string) => text as unknown as Stripe.Decimal;

describe('invoice items through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let customer: Stripe.Customer;
  let product: Stripe.Product;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    customer = await stripe.customers.create({ email: 'items@example.com' });
    product = await stripe.products.create({ name: 'Setup fee' });
  });
  after(() => server.close());

  async function eventsOf(type: string, id: string): Promise<Stripe.Event[]> {
    const events = await stripe.events.list({ type, limit: 100 });
    return events.data.filter((e) => (e.data.object as { id: string }).id === id);
  }

  test('an amount, a price, price_data or a unit amount price an item', async () => {
    const plain = await stripe.invoiceItems.create({
      customer: customer.id,
      amount: 2500,
      currency: 'usd',
      description: 'Consulting',
      metadata: { ref: 'A-1' },
    });
    assert.match(plain.id, /^ii_/);
    assert.equal(plain.object, 'invoiceitem');
    assert.equal(plain.amount, 2500);
    assert.equal(plain.currency, 'usd');
    assert.equal(plain.quantity, 1);
    assert.equal(plain.invoice, null);
    assert.equal(plain.discountable, true);
    assert.equal(plain.proration, false);
    assert.equal(plain.description, 'Consulting');
    assert.deepEqual(plain.metadata, { ref: 'A-1' });
    assert.equal(plain.period.start, plain.date);
    assert.equal(plain.period.end, plain.date);
    assert.equal(String(plain.pricing?.unit_amount_decimal), '2500');

    const price = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 700 });
    const priced = await stripe.invoiceItems.create({
      customer: customer.id,
      pricing: { price: price.id },
      quantity: 3,
    });
    assert.equal(priced.amount, 2100);
    assert.equal(priced.quantity, 3);
    assert.equal(priced.pricing?.price_details?.price, price.id);
    assert.equal(priced.pricing?.price_details?.product, product.id);

    const inline = await stripe.invoiceItems.create({
      customer: customer.id,
      price_data: { currency: 'eur', product: product.id, unit_amount_decimal: dec('12.5') },
      quantity: 3,
    });
    assert.equal(inline.currency, 'eur');
    assert.equal(inline.amount, 38, '3 × 12.5 = 37.5, rounded half away from zero');
    const inlinePrice = await stripe.prices.retrieve(String(inline.pricing?.price_details?.price));
    assert.equal(inlinePrice.active, false);
    assert.equal(inlinePrice.type, 'one_time');

    const decimal = await stripe.invoiceItems.create({
      customer: customer.id,
      currency: 'usd',
      unit_amount_decimal: dec('0.05'),
      quantity: 30,
    });
    assert.equal(decimal.amount, 2);

    const credit = await stripe.invoiceItems.create({ customer: customer.id, amount: -300, currency: 'usd' });
    assert.equal(credit.discountable, false, 'a credit is not discountable by default');

    assert.deepEqual(await stripe.invoiceItems.retrieve(plain.id), plain);
    const created = await eventsOf('invoiceitem.created', plain.id);
    assert.equal(created.length, 1);
  });

  test('update and delete a pending item; list by customer, pending and invoice', async () => {
    const other = await stripe.customers.create({ name: 'Other' });
    const item = await stripe.invoiceItems.create({ customer: other.id, amount: 1000, currency: 'usd' });
    const updated = await stripe.invoiceItems.update(item.id, {
      description: 'Renamed',
      metadata: { a: '1' },
      period: { start: 1_800_000_000, end: 1_800_086_400 },
    });
    assert.equal(updated.description, 'Renamed');
    assert.deepEqual(updated.period, { start: 1_800_000_000, end: 1_800_086_400 });
    const requantified = await stripe.invoiceItems.update(item.id, {
      unit_amount_decimal: dec('150'),
      quantity: 4,
    });
    assert.equal(requantified.amount, 600);
    const moreUnits = await stripe.invoiceItems.update(item.id, { quantity: 5 });
    assert.equal(moreUnits.amount, 750, 'a new quantity alone keeps the unit amount');

    const second = await stripe.invoiceItems.create({ customer: other.id, amount: 50, currency: 'usd' });
    const invoice = await stripe.invoices.create({
      customer: other.id,
      pending_invoice_items_behavior: 'include',
    });
    const third = await stripe.invoiceItems.create({ customer: other.id, amount: 70, currency: 'usd' });

    const all = await stripe.invoiceItems.list({ customer: other.id });
    assert.deepEqual(
      all.data.map((i) => i.id),
      [third.id, second.id, item.id],
    );
    const pending = await stripe.invoiceItems.list({ customer: other.id, pending: true });
    assert.deepEqual(
      pending.data.map((i) => i.id),
      [third.id],
    );
    const invoiced = await stripe.invoiceItems.list({ customer: other.id, pending: false });
    assert.deepEqual(
      invoiced.data.map((i) => i.id),
      [second.id, item.id],
    );
    const onInvoice = await stripe.invoiceItems.list({ invoice: invoice.id });
    assert.deepEqual(
      onInvoice.data.map((i) => i.invoice),
      [invoice.id, invoice.id],
    );

    const deleted = await stripe.invoiceItems.del(third.id);
    assert.deepEqual(deleted, { id: third.id, object: 'invoiceitem', deleted: true });
    await stripeError(stripe.invoiceItems.retrieve(third.id), E.StripeInvalidRequestError, 404);
    assert.equal((await eventsOf('invoiceitem.deleted', third.id)).length, 1);
    assert.equal((await stripe.invoiceItems.list({ customer: other.id, pending: true })).data.length, 0);
  });

  test("a draft's lines and totals follow its items", async () => {
    const buyer = await stripe.customers.create({ name: 'Buyer' });
    const invoice = await stripe.invoices.create({ customer: buyer.id, currency: 'usd' });
    assert.equal(invoice.total, 0);
    const a = await stripe.invoiceItems.create({
      customer: buyer.id,
      invoice: invoice.id,
      amount: 1200,
      currency: 'usd',
      description: 'A',
    });
    assert.equal(a.invoice, invoice.id);
    const b = await stripe.invoiceItems.create({
      customer: buyer.id,
      invoice: invoice.id,
      amount: 800,
      currency: 'usd',
      description: 'B',
    });
    let draft = await stripe.invoices.retrieve(invoice.id);
    assert.deepEqual(
      draft.lines.data.map((l) => [l.description, l.amount, l.parent?.invoice_item_details?.invoice_item]),
      [
        ['A', 1200, a.id],
        ['B', 800, b.id],
      ],
    );
    assert.equal(draft.subtotal, 2000);
    assert.equal(draft.amount_due, 2000);
    const lineOfA = draft.lines.data[0]!.id;

    await stripe.invoiceItems.update(a.id, { amount: 1500 });
    draft = await stripe.invoices.retrieve(invoice.id);
    assert.equal(draft.lines.data[0]!.id, lineOfA, 'the line keeps its id');
    assert.equal(draft.lines.data[0]!.amount, 1500);
    assert.equal(draft.total, 2300);

    await stripe.invoiceItems.del(b.id);
    draft = await stripe.invoices.retrieve(invoice.id);
    assert.deepEqual(
      draft.lines.data.map((l) => l.amount),
      [1500],
    );
    assert.equal(draft.amount_due, 1500);
    const updates = await stripe.events.list({ type: 'invoice.updated', limit: 100 });
    const mine = updates.data.filter((e) => (e.data.object as Stripe.Invoice).id === invoice.id);
    assert.equal(mine.length, 4, 'two items added, one changed, one removed');
    assert.deepEqual((mine[0]!.data.previous_attributes as Partial<Stripe.Invoice>).amount_due, 2300);

    const finalized = await stripe.invoices.finalizeInvoice(invoice.id);
    const refused = await stripeError(
      stripe.invoiceItems.update(a.id, { amount: 1 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(refused.message, /draft/);
    await stripeError(stripe.invoiceItems.del(a.id), E.StripeInvalidRequestError, 400);
    const late = await stripeError(
      stripe.invoiceItems.create({ customer: buyer.id, invoice: finalized.id, amount: 5, currency: 'usd' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(late.param, 'invoice');
  });

  test('discounts of an item apply to its line before the invoice discounts', async () => {
    const buyer = await stripe.customers.create({ name: 'Discounted' });
    const tenOff = await stripe.coupons.create({ percent_off: 10 });
    const twoDollars = await stripe.coupons.create({ amount_off: 200, currency: 'usd' });
    const invoice = await stripe.invoices.create({
      customer: buyer.id,
      currency: 'usd',
      discounts: [{ coupon: twoDollars.id }],
    });
    const item = await stripe.invoiceItems.create({
      customer: buyer.id,
      invoice: invoice.id,
      amount: 1000,
      currency: 'usd',
      discounts: [{ coupon: tenOff.id }],
    });
    await stripe.invoiceItems.create({
      customer: buyer.id,
      invoice: invoice.id,
      amount: 1000,
      currency: 'usd',
    });
    assert.equal(item.discounts?.length, 1);
    const draft = await stripe.invoices.retrieve(invoice.id);
    const [first, second] = draft.lines.data;
    // The item's 10% takes 100 off its 1000; the invoice's 200 is spread over 900 and 1000.
    assert.deepEqual(
      first!.discount_amounts!.map((d) => d.amount),
      [100, 95],
    );
    assert.deepEqual(
      second!.discount_amounts!.map((d) => d.amount),
      [105],
    );
    assert.equal(first!.discounts[0], item.discounts![0]);
    assert.equal(draft.total, 2000 - 300);
    assert.deepEqual(
      draft.total_discount_amounts!.map((d) => d.amount),
      [100, 200],
    );
    assert.equal((await stripe.coupons.retrieve(tenOff.id)).times_redeemed, 1);
  });

  test('bad input names its param', async () => {
    const missing = await stripeError(
      stripe.invoiceItems.create({ amount: 100, currency: 'usd' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.code, 'parameter_missing');
    assert.equal(missing.param, 'customer');
    const noCurrency = await stripeError(
      stripe.invoiceItems.create({ customer: customer.id, amount: 100 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(noCurrency.code, 'parameter_missing');
    assert.equal(noCurrency.param, 'currency');
    const both = await stripeError(
      stripe.invoiceItems.create({
        customer: customer.id,
        amount: 100,
        currency: 'usd',
        unit_amount_decimal: dec('100'),
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(both.code, 'parameters_exclusive');
    const nothing = await stripeError(
      stripe.invoiceItems.create({ customer: customer.id, currency: 'usd' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(nothing.param, 'amount');
    const noPrice = await stripeError(
      stripe.invoiceItems.create({ customer: customer.id, pricing: { price: 'price_missing' } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(noPrice.code, 'resource_missing');
    assert.equal(noPrice.param, 'pricing[price]');
    const recurring = await stripe.prices.create({
      product: product.id,
      currency: 'usd',
      unit_amount: 100,
      recurring: { interval: 'month' },
    });
    const wrongType = await stripeError(
      stripe.invoiceItems.create({ customer: customer.id, pricing: { price: recurring.id } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(wrongType.param, 'pricing[price]');
    const badPeriod = await stripeError(
      stripe.invoiceItems.create({
        customer: customer.id,
        amount: 1,
        currency: 'usd',
        period: { start: 200, end: 100 },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(badPeriod.param, 'period[end]');
    const unknown = await stripeError(
      stripe.invoiceItems.create({ customer: customer.id, amount: 1, currency: 'usd', tax_rates: ['txr_1'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(unknown.code, 'resource_missing');
    assert.equal(unknown.param, 'tax_rates[0]');
    const noCustomer = await stripeError(
      stripe.invoiceItems.create({ customer: 'cus_missing', amount: 1, currency: 'usd' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(noCustomer.param, 'customer');
    await stripeError(stripe.invoiceItems.retrieve('ii_missing'), E.StripeInvalidRequestError, 404);
  });
});
