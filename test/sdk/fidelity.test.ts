import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { advance, clockCustomer, monthlyPrice, utc } from '../scenarios/support.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('fields of the pinned API that were missing or out of shape', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer({
      config: { billing: { retryDays: [3, 5, 7], afterFinalRetry: 'canceled', upcomingDays: 7 } as never },
    });
    stripe = server.stripe();
  });
  after(() => server.close());

  test('invoice.upcoming carries the preview invoice with an upcoming_in_ id', async () => {
    const start = utc(2027, 3, 1);
    const { clock, customer } = await clockCustomer(stripe, start);
    const price = await monthlyPrice(stripe, 'Pro', 2500);
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await advance(stripe, clock.id, utc(2027, 3, 26));
    const events = await stripe.events.list({ type: 'invoice.upcoming' });
    assert.equal(events.data.length, 1);
    const invoice = events.data[0]!.data.object as Stripe.Invoice;
    assert.match(String(invoice.id), /^upcoming_in_[A-Za-z0-9]+$/);
    assert.equal(invoice.amount_due, 2500);
  });

  test('subscription item lists carry no total_count, like every list', async () => {
    const customer = await stripe.customers.create({
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const price = await monthlyPrice(stripe, 'Team', 900);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id, quantity: 3 }],
    });
    assert.equal('total_count' in sub.items, false);
    const again = await stripe.subscriptions.retrieve(sub.id);
    assert.equal('total_count' in again.items, false);
    const listed = await stripe.subscriptionItems.list({ subscription: sub.id });
    assert.equal('total_count' in listed, false);
    assert.equal(listed.data[0]!.quantity, 3);
  });

  test('expand[]=tax on a customer answers its tax location', async () => {
    const customer = await stripe.customers.create({
      address: { country: 'US', state: 'CA', postal_code: '94103' },
      tax: { ip_address: '203.0.113.7' },
    });
    assert.equal('tax' in customer, false, 'left out unless expanded, as on Stripe');
    const expanded = await stripe.customers.retrieve(customer.id, { expand: ['tax'] });
    assert.deepEqual((expanded as Stripe.Customer).tax, {
      automatic_tax: 'not_collecting',
      ip_address: '203.0.113.7',
      location: { country: 'US', source: 'billing_address', state: 'CA' },
      provider: 'stripe',
    });
    const bare = await stripe.customers.create({ name: 'Nowhere', expand: ['tax'] });
    assert.equal(bare.tax?.automatic_tax, 'unrecognized_location');
    assert.equal(bare.tax?.location, null);
    assert.equal(bare.tax?.ip_address, null);
    const moved = await stripe.customers.update(bare.id, {
      shipping: { name: 'Dock', address: { country: 'DE', city: 'Kiel' } },
      tax: { ip_address: '2001:db8::1' },
      expand: ['tax'],
    });
    assert.deepEqual(moved.tax?.location, { country: 'DE', source: 'shipping_destination', state: null });
    assert.equal(moved.tax?.ip_address, '2001:db8::1');
    const cleared = await stripe.customers.update(bare.id, { tax: { ip_address: '' }, expand: ['tax'] });
    assert.equal(cleared.tax?.ip_address, null);
    await assert.rejects(
      stripe.customers.update(bare.id, { tax: { ip_address: 'not an address' } }),
      (e: Stripe.errors.StripeError) => e.param === 'tax[ip_address]' && e.statusCode === 400,
    );
  });

  test('pending_invoice_item_interval is stored on create and update, at most a year', async () => {
    const customer = await stripe.customers.create({
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const price = await monthlyPrice(stripe, 'Usage', 500);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      pending_invoice_item_interval: { interval: 'week' },
    });
    assert.deepEqual(sub.pending_invoice_item_interval, { interval: 'week', interval_count: 1 });
    const updated = await stripe.subscriptions.update(sub.id, {
      pending_invoice_item_interval: { interval: 'month', interval_count: 3 },
    });
    assert.deepEqual(updated.pending_invoice_item_interval, { interval: 'month', interval_count: 3 });
    await assert.rejects(
      stripe.subscriptions.update(sub.id, {
        pending_invoice_item_interval: { interval: 'week', interval_count: 53 },
      }),
      (e: Stripe.errors.StripeError) => e.param === 'pending_invoice_item_interval[interval_count]',
    );
    const cleared = await stripe.subscriptions.update(sub.id, { pending_invoice_item_interval: '' });
    assert.equal(cleared.pending_invoice_item_interval, null);
  });

  test('rendering and shipping_details on invoice create and update', async () => {
    const customer = await stripe.customers.create({ name: 'Shipped' });
    const invoice = await stripe.invoices.create({
      customer: customer.id,
      rendering: { amount_tax_display: 'exclude_tax', pdf: { page_size: 'a4' } },
      shipping_details: {
        name: 'Dock 4',
        address: { line1: '1 Quay St', city: 'Leith', country: 'GB' },
        phone: '+441311234567',
      },
    });
    assert.deepEqual(invoice.rendering, {
      amount_tax_display: 'exclude_tax',
      pdf: { page_size: 'a4' },
      template: null,
      template_version: null,
    });
    assert.deepEqual(invoice.shipping_details, {
      address: {
        city: 'Leith',
        country: 'GB',
        line1: '1 Quay St',
        line2: null,
        postal_code: null,
        state: null,
      },
      carrier: null,
      name: 'Dock 4',
      phone: '+441311234567',
      tracking_number: null,
    });
    const updated = await stripe.invoices.update(invoice.id, {
      rendering: { pdf: { page_size: 'letter' }, amount_tax_display: '' },
      shipping_details: '',
    });
    assert.deepEqual(updated.rendering, {
      amount_tax_display: null,
      pdf: { page_size: 'letter' },
      template: null,
      template_version: null,
    });
    assert.equal(updated.shipping_details, null);
  });
});
