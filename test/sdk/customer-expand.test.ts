import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { clockCustomer, monthlyPrice } from '../scenarios/support.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('a customer’s expandable lists through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test('none of them is shown unless expanded', async () => {
    const customer = await stripe.customers.create({ name: 'Plain' });
    for (const field of ['subscriptions', 'sources', 'tax_ids', 'cash_balance', 'invoice_credit_balance']) {
      assert.ok(!(field in customer), field);
      assert.ok(!(field in (await stripe.customers.retrieve(customer.id))), field);
    }
  });

  test('subscriptions: the current ones in Stripe’s list shape, ended ones left out', async () => {
    const price = await monthlyPrice(stripe, 'Team', 1000);
    const { clock, customer } = await clockCustomer(stripe, Math.floor(Date.now() / 1000));
    const kept = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const ended = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    await stripe.subscriptions.cancel(ended.id);
    const seen = (await stripe.customers.retrieve(customer.id, {
      expand: ['subscriptions', 'subscriptions.data.default_payment_method'],
    })) as Stripe.Customer;
    const list = seen.subscriptions!;
    assert.equal(list.object, 'list');
    assert.equal(list.has_more, false);
    assert.equal(list.url, `/v1/customers/${customer.id}/subscriptions`);
    assert.deepEqual(
      list.data.map((s) => s.id),
      [kept.id],
    );
    assert.equal(list.data[0]!.items.data[0]!.price.id, price.id);

    const updated = await stripe.customers.update(customer.id, {
      name: 'Renamed',
      expand: ['subscriptions'],
    });
    assert.equal(updated.subscriptions?.data.length, 1);
    const listed = await stripe.customers.list({ test_clock: clock.id, expand: ['data.subscriptions'] });
    const mine = listed.data.find((c) => c.id === customer.id)!;
    assert.equal(mine.subscriptions?.data.length, 1);
  });

  test('sources, tax_ids, cash_balance and invoice_credit_balance', async () => {
    const customer = await stripe.customers.create({ name: 'Credit', balance: -700 });
    await stripe.customers.createTaxId(customer.id, { type: 'eu_vat', value: 'DE123456789' });
    let seen = (await stripe.customers.retrieve(customer.id, {
      expand: ['sources', 'tax_ids', 'cash_balance', 'invoice_credit_balance'],
    })) as Stripe.Customer;
    assert.deepEqual(seen.sources, {
      object: 'list',
      data: [],
      has_more: false,
      url: `/v1/customers/${customer.id}/sources`,
    });
    assert.equal(seen.tax_ids?.data[0]?.value, 'DE123456789');
    assert.deepEqual(seen.cash_balance, {
      object: 'cash_balance',
      available: null,
      customer: customer.id,
      customer_account: null,
      livemode: false,
      settings: { reconciliation_mode: 'automatic', using_merchant_default: true },
    });
    // The account's default currency while the customer has none of its own.
    assert.deepEqual(seen.invoice_credit_balance, { usd: 700 });
    await stripe.customers.update(customer.id, { balance: 300 });
    seen = (await stripe.customers.retrieve(customer.id, {
      expand: ['invoice_credit_balance'],
    })) as Stripe.Customer;
    assert.deepEqual(seen.invoice_credit_balance, { usd: -300 }, 'an amount owed is a negative credit');
    await stripe.customers.update(customer.id, { balance: 0 });
    seen = (await stripe.customers.retrieve(customer.id, {
      expand: ['invoice_credit_balance'],
    })) as Stripe.Customer;
    assert.deepEqual(seen.invoice_credit_balance, {});
  });

  test('a field that is not expandable is refused', async () => {
    const customer = await stripe.customers.create({ name: 'Bad expand' });
    const error = await stripeError(
      stripe.customers.retrieve(customer.id, { expand: ['cash_balance.settings'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.param, 'expand');
  });
});
