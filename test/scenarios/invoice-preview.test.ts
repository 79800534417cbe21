import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { advance, clockCustomer, DAY, invoicesOf, JAN_15_2027, monthlyPrice, utc } from './support.ts';

/** What a user compares between a preview and the invoice it announced. */
function shape(invoice: Stripe.Invoice) {
  return {
    lines: invoice.lines.data.map((l) => ({
      amount: l.amount,
      description: l.description,
      period: l.period,
      quantity: l.quantity,
      proration: l.parent?.subscription_item_details?.proration ?? l.parent?.invoice_item_details?.proration,
      discounts: l.discount_amounts?.map((d) => d.amount),
    })),
    subtotal: invoice.subtotal,
    total: invoice.total,
    amount_due: invoice.amount_due,
    period: [invoice.period_start, invoice.period_end],
  };
}

describe('previewing invoices (create_preview)', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  /** A monthly Pro subscription (15.00 a unit) of 2 units from 15 Jan 2027, on its own clock. */
  async function subscribed() {
    const setup = await clockCustomer(stripe, JAN_15_2027);
    const price = await monthlyPrice(stripe, 'Pro', 1500);
    const sub = await stripe.subscriptions.create({
      customer: setup.customer.id,
      items: [{ price: price.id, quantity: 2 }],
    });
    return { ...setup, price, sub };
  }

  test('without changes: the next renewal with pending items and discounts, as it then comes', async () => {
    const { clock, customer, sub } = await subscribed();
    const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'forever' });
    await stripe.subscriptions.update(sub.id, { discounts: [{ coupon: coupon.id }] });
    await stripe.invoiceItems.create({
      customer: customer.id,
      amount: 700,
      currency: 'usd',
      description: 'Extra seat setup',
      subscription: sub.id,
    });
    const preview = await stripe.invoices.createPreview({ subscription: sub.id });
    assert.match(preview.id, /^upcoming_in_/);
    assert.equal(preview.object, 'invoice');
    assert.equal(preview.status, 'draft');
    assert.equal(preview.billing_reason, 'upcoming');
    assert.equal(preview.number, null);
    assert.equal(preview.customer, customer.id);
    assert.equal(preview.created, utc(2027, 2, 15));
    assert.equal(preview.next_payment_attempt, utc(2027, 2, 15) + 3600);
    assert.equal(preview.parent?.subscription_details?.subscription, sub.id);
    assert.deepEqual(
      preview.lines.data.map((l) => [l.description, l.amount, l.period.start, l.period.end]),
      [
        ['2 × Pro', 3000, utc(2027, 2, 15), utc(2027, 3, 15)],
        ['Extra seat setup', 700, JAN_15_2027, JAN_15_2027],
      ],
    );
    assert.equal(preview.subtotal, 3700);
    assert.equal(preview.total, 3330);
    assert.match(preview.lines.data[0]!.id, /^il_tmp_/);
    await stripeError(stripe.invoices.retrieve(preview.id), E.StripeInvalidRequestError, 404);
    assert.equal((await invoicesOf(stripe, customer.id)).length, 1, 'nothing is written');

    await advance(stripe, clock.id, utc(2027, 2, 15) + 2 * 3600);
    const renewal = (await invoicesOf(stripe, customer.id))[1]!;
    assert.equal(renewal.billing_reason, 'subscription_cycle');
    assert.deepEqual(shape(renewal), shape(preview));
  });

  test('a quantity change mid-cycle: exact prorations, then the update makes the same ones', async () => {
    const { clock, customer, sub } = await subscribed();
    const changeAt = utc(2027, 1, 25);
    await advance(stripe, clock.id, changeAt);
    const item = sub.items.data[0]!;
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item.id, quantity: 3 }], proration_date: changeAt },
    });
    // 21 of the period's 31 days are left: each side is prorated by the second and rounded alone.
    const credit = -Math.round((3000 * 21) / 31);
    const charge = Math.round((4500 * 21) / 31);
    assert.deepEqual([credit, charge], [-2032, 3048]);
    assert.deepEqual(
      preview.lines.data.map((l) => [
        l.description,
        l.amount,
        l.quantity,
        l.period.start,
        l.period.end,
        l.parent?.subscription_item_details?.proration,
      ]),
      [
        ['3 × Pro', 4500, 3, utc(2027, 2, 15), utc(2027, 3, 15), false],
        ['Unused time on 2 × Pro after 25 Jan 2027', credit, 2, changeAt, utc(2027, 2, 15), true],
        ['Remaining time on 3 × Pro after 25 Jan 2027', charge, 3, changeAt, utc(2027, 2, 15), true],
      ],
    );
    assert.equal(preview.amount_due, 4500 + credit + charge);
    assert.equal(
      (await stripe.subscriptions.retrieve(sub.id)).items.data[0]!.quantity,
      2,
      'the subscription is unchanged',
    );

    const immediate = await stripe.invoices.createPreview({
      subscription: sub.id,
      subscription_details: {
        items: [{ id: item.id, quantity: 3 }],
        proration_date: changeAt,
        proration_behavior: 'always_invoice',
      },
    });
    assert.deepEqual(
      immediate.lines.data.map((l) => l.amount),
      [credit, charge],
    );
    assert.equal(immediate.amount_due, credit + charge);
    assert.deepEqual([immediate.period_start, immediate.period_end], [changeAt, utc(2027, 2, 15)]);
    assert.equal(immediate.created, changeAt);

    await stripe.subscriptions.update(sub.id, {
      items: [{ id: item.id, quantity: 3 }],
      proration_date: changeAt,
    });
    const pending = await stripe.invoiceItems.list({ customer: customer.id, pending: true });
    assert.deepEqual(pending.data.map((i) => [i.description, i.amount]).reverse(), [
      ['Unused time on 2 × Pro after 25 Jan 2027', credit],
      ['Remaining time on 3 × Pro after 25 Jan 2027', charge],
    ]);
    const after = await stripe.invoices.createPreview({ subscription: sub.id });
    assert.deepEqual(shape(after), shape(preview), 'the update made what the preview showed');
    await advance(stripe, clock.id, utc(2027, 2, 15) + 2 * 3600);
    const renewal = (await invoicesOf(stripe, customer.id))[1]!;
    assert.deepEqual(shape(renewal), shape(preview));
  });

  test('a new interval bills the new period now, crediting the old one; cancel_now credits only', async () => {
    const { clock, customer, sub, price } = await subscribed();
    await advance(stripe, clock.id, utc(2027, 1, 25));
    const yearly = await stripe.prices.create({
      product: String(price.product),
      currency: 'usd',
      unit_amount: 15000,
      recurring: { interval: 'year' },
    });
    const item = sub.items.data[0]!;
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      subscription: sub.id,
      subscription_details: { items: [{ id: item.id, price: yearly.id }] },
    });
    const credit = -Math.round((3000 * 21) / 31);
    assert.deepEqual(
      preview.lines.data.map((l) => [l.description, l.amount, l.period.start, l.period.end]),
      [
        ['2 × Pro', 30000, utc(2027, 1, 25), utc(2028, 1, 25)],
        ['Unused time on 2 × Pro after 25 Jan 2027', credit, utc(2027, 1, 25), utc(2027, 2, 15)],
      ],
    );
    assert.equal(preview.amount_due, 30000 + credit);
    assert.equal(preview.created, utc(2027, 1, 25));

    const cancel = await stripe.invoices.createPreview({
      subscription: sub.id,
      subscription_details: { cancel_now: true },
    });
    assert.deepEqual(
      cancel.lines.data.map((l) => l.amount),
      [credit],
    );
    assert.equal(cancel.total, credit);
    assert.equal(cancel.amount_due, 0);

    await stripe.subscriptions.update(sub.id, { items: [{ id: item.id, price: yearly.id }] });
    const invoices = await invoicesOf(stripe, customer.id);
    const update = invoices[invoices.length - 1]!;
    assert.equal(update.billing_reason, 'subscription_update');
    assert.deepEqual(shape(update), shape(preview));
  });

  test('a customer’s pending items, extra items and discounts of the preview only', async () => {
    const customer = await stripe.customers.create({ name: 'One-off preview' });
    const product = await stripe.products.create({ name: 'Widget' });
    const widget = await stripe.prices.create({ product: product.id, currency: 'usd', unit_amount: 250 });
    const pending = await stripe.invoiceItems.create({
      customer: customer.id,
      amount: 1000,
      currency: 'usd',
    });
    const coupon = await stripe.coupons.create({ amount_off: 500, currency: 'usd' });
    const preview = await stripe.invoices.createPreview({
      customer: customer.id,
      invoice_items: [
        { price: widget.id, quantity: 4 },
        { invoiceitem: pending.id, amount: 1200, description: 'Changed in the preview' },
      ],
      discounts: [{ coupon: coupon.id }],
    });
    assert.deepEqual(
      preview.lines.data.map((l) => [l.description, l.amount]),
      [
        ['Changed in the preview', 1200],
        ['', 1000],
      ],
    );
    assert.equal(preview.parent, null);
    assert.equal(preview.total, 1700);
    assert.equal((await stripe.coupons.retrieve(coupon.id)).times_redeemed, 0, 'nothing redeemed');
    assert.equal((await stripe.invoiceItems.retrieve(pending.id)).amount, 1000, 'nothing changed');
  });

  test('refusals: Stripe’s codes and params', async () => {
    const { customer, sub } = await subscribed();
    const nothing = await stripe.customers.create({ name: 'Nothing due' });
    const none = await stripeError(
      stripe.invoices.createPreview({ customer: nothing.id }),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(none.code, 'invoice_upcoming_none');
    const cases: [Stripe.InvoiceCreatePreviewParams, string | undefined, string][] = [
      [{}, 'parameter_missing', 'customer'],
      [{ subscription: 'sub_missing' }, 'resource_missing', 'subscription'],
      [
        { customer: customer.id, subscription_details: { cancel_now: true } },
        undefined,
        'subscription_details',
      ],
      [
        { subscription: sub.id, subscription_details: { items: [{ id: 'si_missing', quantity: 2 }] } },
        'resource_missing',
        'subscription_details[items][0][id]',
      ],
      [
        { subscription: sub.id, subscription_details: { items: [{ price: 'price_missing' }] } },
        'resource_missing',
        'subscription_details[items][0][price]',
      ],
      [
        { subscription: sub.id, subscription_details: { proration_date: JAN_15_2027 - DAY } },
        undefined,
        'subscription_details[proration_date]',
      ],
      [
        { subscription: sub.id, subscription_details: { resume_at: 'now' } },
        undefined,
        'subscription_details[resume_at]',
      ],
      [{ subscription: sub.id, currency: 'eur' }, undefined, 'currency'],
      [
        { subscription: sub.id, discounts: [{ coupon: 'missing' }] },
        'resource_missing',
        'discounts[0][coupon]',
      ],
      [
        { customer: customer.id, invoice_items: [{ amount: 5, currency: 'eur' }] },
        undefined,
        'invoice_items[0][currency]',
      ],
      [
        { customer: customer.id, invoice_items: [{ price: 'price_missing' }] },
        'resource_missing',
        'invoice_items[0][price]',
      ],
    ];
    for (const [params, code, param] of cases) {
      const error = await stripeError(
        stripe.invoices.createPreview(params),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(error.param, param, error.message);
      assert.equal(error.code, code, error.message);
    }
    await stripe.subscriptions.cancel(sub.id);
    const ended = await stripeError(
      stripe.invoices.createPreview({ subscription: sub.id }),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(ended.code, 'invoice_upcoming_none');
  });
});
