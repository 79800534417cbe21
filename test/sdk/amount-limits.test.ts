import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { advance, clockCustomer, invoicesOf, monthlyPrice, utc } from '../scenarios/support.ts';
import { startServer, type TestServer } from '../support/server.ts';

const TWO_53 = 9007199254740991;

/** The SDK types decimals as its Decimal class; on the wire they are strings. */
const dec = (text: string) => text as unknown as Stripe.Decimal;

/** A refusal in Stripe's shape: 400 `invalid_request_error` with this code and param. */
async function refused(
  work: Promise<unknown>,
  expected: { code?: string; param?: string; message?: RegExp },
): Promise<void> {
  await assert.rejects(work, (error: Stripe.errors.StripeError) => {
    assert.equal(error.statusCode, 400, error.message);
    assert.equal(error.type, 'StripeInvalidRequestError');
    if ('code' in expected) assert.equal(error.code, expected.code, error.message);
    if ('param' in expected) assert.equal(error.param, expected.param, error.message);
    if (expected.message) assert.match(error.message, expected.message);
    return true;
  });
}

const tooLarge = (param: string | undefined) => ({ code: 'amount_too_large', param });

describe("quantities and computed amounts held under Stripe's maximum", () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  const paying = () =>
    stripe.customers.create({
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });

  test('a quantity past 999,999,999,999 is refused on its param, wherever it is sent', async () => {
    const customer = await paying();
    const price = await monthlyPrice(stripe, 'Seat', 1);
    const above = /must be less than or equal to 999999999999/;
    await refused(
      stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id, quantity: TWO_53 }] }),
      { param: 'items[0][quantity]', message: above },
    );
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const item = sub.items.data[0]!;
    await refused(stripe.subscriptionItems.update(item.id, { quantity: TWO_53 }), {
      param: 'quantity',
      message: above,
    });
    await refused(stripe.subscriptions.update(sub.id, { items: [{ id: item.id, quantity: TWO_53 }] }), {
      param: 'items[0][quantity]',
      message: above,
    });
    await refused(
      stripe.invoiceItems.create({
        customer: customer.id,
        currency: 'usd',
        unit_amount_decimal: dec('0.001'),
        quantity: TWO_53,
      }),
      { param: 'quantity', message: above },
    );
    // At the cap, a hundred-thousandth of a cent a unit is an amount like any other.
    const cheap = await stripe.invoiceItems.create({
      customer: customer.id,
      currency: 'usd',
      unit_amount_decimal: dec('0.00001'),
      quantity: 999_999_999_999,
    });
    assert.equal(cheap.amount, 10_000_000, '9,999,999.99999 rounded');
    await stripe.invoiceItems.del(cheap.id);
  });

  test('quantity × unit amount past $999,999.99 is refused with amount_too_large on quantity', async () => {
    const customer = await paying();
    await refused(
      stripe.invoiceItems.create({
        customer: customer.id,
        currency: 'usd',
        unit_amount_decimal: dec('99999999'),
        quantity: 2,
      }),
      { ...tooLarge('quantity'), message: /^Invalid quantity: .* no more than 999999\.99 USD\.$/ },
    );
    const yen = await stripe.invoiceItems.create({
      customer: customer.id,
      currency: 'jpy',
      unit_amount_decimal: dec('33333333'),
      quantity: 3,
    });
    assert.equal(yen.amount, 99_999_999, 'the maximum itself, in a zero-decimal currency');
    await refused(stripe.invoiceItems.update(yen.id, { quantity: 4 }), {
      ...tooLarge('quantity'),
      message: /no more than 99999999 JPY\.$/,
    });
    assert.equal((await stripe.invoiceItems.retrieve(yen.id)).quantity, 3, 'the item is unchanged');
  });

  test('an invoice whose items add up past the maximum is refused, and nothing is written', async () => {
    const customer = await paying();
    for (let i = 0; i < 2; i++) {
      await stripe.invoiceItems.create({ customer: customer.id, currency: 'usd', amount: 99_999_999 });
    }
    await refused(
      stripe.invoices.create({ customer: customer.id, pending_invoice_items_behavior: 'include' }),
      { ...tooLarge(undefined), message: /^The invoice's total must be no more than 999999\.99 USD\.$/ },
    );
    assert.equal((await stripe.invoices.list({ customer: customer.id })).data.length, 0);
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    assert.equal(pending.data.length, 2, 'both items are still pending');

    // On a draft, the item that would take it past the maximum is the write refused.
    const draft = await stripe.invoices.create({ customer: customer.id });
    await stripe.invoiceItems.create({
      customer: customer.id,
      invoice: draft.id,
      currency: 'usd',
      amount: 60_000_000,
    });
    await refused(
      stripe.invoiceItems.create({
        customer: customer.id,
        invoice: draft.id,
        currency: 'usd',
        amount: 40_000_000,
      }),
      tooLarge(undefined),
    );
    const kept = await stripe.invoices.retrieve(draft.id);
    assert.equal(kept.total, 60_000_000);
    assert.equal(kept.lines.data.length, 1);
  });

  test("a subscription's items together are held under the maximum for one period", async () => {
    const customer = await paying();
    const big = await monthlyPrice(stripe, 'Big', 60_000_000);
    const other = await monthlyPrice(stripe, 'Other', 40_000_000);
    await refused(
      stripe.subscriptions.create({ customer: customer.id, items: [{ price: big.id }, { price: other.id }] }),
      {
        ...tooLarge('items[1][quantity]'),
        message: /^The subscription's amount for one period .* no more than 999999\.99 USD\.$/,
      },
    );
    // A trial bills nothing now, but its renewals would: refused all the same.
    await refused(
      stripe.subscriptions.create({
        customer: customer.id,
        items: [{ price: big.id, quantity: 2 }],
        trial_period_days: 7,
      }),
      tooLarge('items[0][quantity]'),
    );
    assert.equal((await stripe.subscriptions.list({ customer: customer.id })).data.length, 0);
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: big.id }] });
    // The item endpoints name their own params.
    await refused(
      stripe.subscriptionItems.create({ subscription: sub.id, price: other.id }),
      tooLarge('quantity'),
    );
    await refused(
      stripe.subscriptionItems.update(sub.items.data[0]!.id, { quantity: 2 }),
      tooLarge('quantity'),
    );
    await refused(
      stripe.subscriptions.update(sub.id, { items: [{ id: sub.items.data[0]!.id, quantity: 2 }] }),
      tooLarge('items[0][quantity]'),
    );
    // A schedule's later phase is held to the same limit when the schedule is written.
    await refused(
      stripe.subscriptionSchedules.create({
        customer: customer.id,
        start_date: 'now',
        phases: [
          { items: [{ price: big.id }], duration: { interval: 'month', interval_count: 1 } },
          { items: [{ price: big.id }, { price: other.id }] },
        ],
      }),
      tooLarge('phases[1][items][1][quantity]'),
    );
    assert.equal((await stripe.subscriptionSchedules.list({ customer: customer.id })).data.length, 0);
    const unchanged = await stripe.subscriptions.retrieve(sub.id);
    assert.equal(unchanged.items.data.length, 1);
    assert.equal(unchanged.items.data[0]!.quantity, 1);
  });

  test('a renewal leaves pending items that would take it past the maximum for a later invoice', async () => {
    const start = utc(2027, 1, 15);
    const { clock, customer } = await clockCustomer(stripe, start);
    const price = await monthlyPrice(stripe, 'Plant', 60_000_000);
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const fits = await stripe.invoiceItems.create({
      customer: customer.id,
      currency: 'usd',
      amount: 30_000_000,
    });
    const over = await stripe.invoiceItems.create({
      customer: customer.id,
      currency: 'usd',
      amount: 20_000_000,
    });
    await advance(stripe, clock.id, utc(2027, 2, 16));
    const invoices = await invoicesOf(stripe, customer.id);
    const renewal = invoices.find((i) => i.billing_reason === 'subscription_cycle')!;
    assert.equal(renewal.total, 90_000_000, 'the period and the item that fits');
    assert.equal(renewal.status, 'paid');
    assert.deepEqual(
      renewal.lines.data.map((l) => l.amount),
      [60_000_000, 30_000_000],
    );
    assert.equal((await stripe.invoiceItems.retrieve(fits.id)).invoice, renewal.id);
    assert.equal((await stripe.invoiceItems.retrieve(over.id)).invoice, null, 'still pending');
  });
});
