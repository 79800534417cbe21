import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

const DAY = 86_400;

describe('one-off invoices through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  /** A customer with a card as its default payment method. */
  async function payingCustomer(card = 'pm_card_visa'): Promise<Stripe.Customer> {
    const customer = await stripe.customers.create({ email: 'buyer@example.com' });
    const pm = await stripe.paymentMethods.attach(card, { customer: customer.id });
    return stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
  }

  async function invoiceFor(customer: string, amount: number, params: Stripe.InvoiceCreateParams = {}) {
    await stripe.invoiceItems.create({ customer, amount, currency: 'usd', description: 'Work' });
    return stripe.invoices.create({ customer, pending_invoice_items_behavior: 'include', ...params });
  }

  async function eventsFor(type: string, id: string): Promise<Stripe.Event[]> {
    const events = await stripe.events.list({ type, limit: 100 });
    return events.data.filter((e) => (e.data.object as { id: string }).id === id);
  }

  test('a draft: manual, not advancing, pending items only when included', async () => {
    const customer = await stripe.customers.create({ name: 'Drafts' });
    const item = await stripe.invoiceItems.create({ customer: customer.id, amount: 900, currency: 'usd' });
    const empty = await stripe.invoices.create({ customer: customer.id, description: 'Nothing yet' });
    assert.match(empty.id, /^in_/);
    assert.equal(empty.status, 'draft');
    assert.equal(empty.billing_reason, 'manual');
    assert.equal(empty.auto_advance, false);
    assert.equal(empty.automatically_finalizes_at, null);
    assert.equal(empty.collection_method, 'charge_automatically');
    assert.equal(empty.number, null);
    assert.equal(empty.currency, 'usd');
    assert.equal(empty.description, 'Nothing yet');
    assert.equal(empty.lines.data.length, 0, 'pending items are excluded by default');
    assert.equal(empty.parent, null);
    assert.equal((await stripe.invoiceItems.retrieve(item.id)).invoice, null);

    const full = await stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    assert.deepEqual(
      full.lines.data.map((l) => [l.amount, l.parent?.invoice_item_details?.invoice_item]),
      [[900, item.id]],
    );
    assert.equal(full.amount_due, 900);
    assert.equal((await stripe.invoiceItems.retrieve(item.id)).invoice, full.id);
    const lines = await stripe.invoices.listLineItems(full.id);
    assert.deepEqual(
      lines.data.map((l) => l.id),
      full.lines.data.map((l) => l.id),
    );
    assert.equal((await eventsFor('invoice.created', full.id)).length, 1);
  });

  test('draft → open → paid, with status transitions and a charge', async () => {
    const customer = await payingCustomer();
    const invoice = await invoiceFor(customer.id, 4200);
    const open = await stripe.invoices.finalizeInvoice(invoice.id);
    assert.equal(open.status, 'open');
    assert.match(String(open.number), /^[A-Z0-9]{8}-0001$/);
    assert.equal(typeof open.status_transitions.finalized_at, 'number');
    assert.equal(open.status_transitions.paid_at, null);
    assert.equal(open.ending_balance, 0);
    assert.match(String(open.hosted_invoice_url), /^http:\/\/localhost:4242\/i\/in_/);
    assert.equal((await eventsFor('invoice.finalized', invoice.id)).length, 1);

    const paid = await stripe.invoices.pay(invoice.id);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.amount_paid, 4200);
    assert.equal(paid.amount_remaining, 0);
    assert.equal(paid.attempt_count, 1);
    assert.ok(paid.status_transitions.paid_at! >= paid.status_transitions.finalized_at!);
    assert.equal((await eventsFor('invoice.paid', invoice.id)).length, 1);
    const charges = await stripe.charges.list({ customer: customer.id });
    assert.deepEqual(
      charges.data.map((c) => [c.amount, c.status]),
      [[4200, 'succeeded']],
    );
    const intents = await stripe.paymentIntents.list({ customer: customer.id });
    assert.deepEqual(
      intents.data.map((pi) => [pi.amount, pi.status, pi.latest_charge]),
      [[4200, 'succeeded', charges.data[0]!.id]],
    );
    await stripeError(stripe.invoices.voidInvoice(invoice.id), E.StripeInvalidRequestError, 400);
  });

  test('open → void, and open → uncollectible → paid out of band', async () => {
    const customer = await stripe.customers.create({ name: 'No card' });
    const toVoid = await invoiceFor(customer.id, 1000);
    await stripe.invoices.finalizeInvoice(toVoid.id);
    const voided = await stripe.invoices.voidInvoice(toVoid.id);
    assert.equal(voided.status, 'void');
    assert.equal(typeof voided.status_transitions.voided_at, 'number');
    assert.equal(voided.amount_remaining, 0);
    assert.equal((await eventsFor('invoice.voided', toVoid.id)).length, 1);

    const bad = await invoiceFor(customer.id, 2000);
    await stripe.invoices.finalizeInvoice(bad.id);
    const written = await stripe.invoices.markUncollectible(bad.id);
    assert.equal(written.status, 'uncollectible');
    assert.equal(typeof written.status_transitions.marked_uncollectible_at, 'number');
    const settled = await stripe.invoices.pay(bad.id, { paid_out_of_band: true });
    assert.equal(settled.status, 'paid');
    assert.equal(settled.amount_paid, 2000);
    assert.equal(typeof settled.status_transitions.paid_at, 'number');
    assert.equal(typeof settled.status_transitions.marked_uncollectible_at, 'number');
    assert.equal((await stripe.charges.list({ customer: customer.id })).data.length, 0, 'no charge');
  });

  test('numbers count per customer, with each customer’s prefix', async () => {
    const a = await stripe.customers.create({ name: 'A' });
    const b = await stripe.customers.create({ name: 'B', invoice_prefix: 'BEEF' });
    const numbers: string[] = [];
    for (const id of [a.id, a.id, b.id, a.id]) {
      const invoice = await invoiceFor(id, 100);
      numbers.push(String((await stripe.invoices.finalizeInvoice(invoice.id)).number));
    }
    assert.deepEqual(numbers, [
      `${a.invoice_prefix}-0001`,
      `${a.invoice_prefix}-0002`,
      'BEEF-0001',
      `${a.invoice_prefix}-0003`,
    ]);
    assert.equal(((await stripe.customers.retrieve(a.id)) as Stripe.Customer).next_invoice_sequence, 4);
  });

  test("the customer's credit pays part of an invoice, and comes back when it is voided", async () => {
    const customer = await stripe.customers.create({ name: 'Credit' });
    await stripe.customers.update(customer.id, { balance: -500 });
    const draft = await invoiceFor(customer.id, 2000);
    assert.equal(draft.starting_balance, -500);
    assert.equal(draft.amount_due, 1500);
    assert.equal(draft.ending_balance, null);
    const open = await stripe.invoices.finalizeInvoice(draft.id);
    assert.equal(open.starting_balance, -500);
    assert.equal(open.total, 2000);
    assert.equal(open.amount_due, 1500);
    assert.equal(open.ending_balance, 0);
    assert.equal(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance, 0);

    const small = await invoiceFor(customer.id, 300);
    await stripe.customers.update(customer.id, { balance: -1000 });
    const covered = await stripe.invoices.finalizeInvoice(small.id);
    assert.equal(covered.amount_due, 0);
    assert.equal(covered.ending_balance, -700);
    assert.equal(covered.status, 'paid', 'nothing left to pay');
    assert.equal(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance, -700);

    await stripe.invoices.voidInvoice(open.id);
    assert.equal(
      ((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance,
      -1200,
      'the 500 of credit the voided invoice used is handed back',
    );
  });

  test('coupons on a one-off invoice: percent and amount, in order', async () => {
    const customer = await stripe.customers.create({ name: 'Coupons' });
    const percent = await stripe.coupons.create({ percent_off: 25 });
    const amount = await stripe.coupons.create({ amount_off: 300, currency: 'usd' });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 1000, currency: 'usd' });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 3000, currency: 'usd' });
    const invoice = await stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
      discounts: [{ coupon: percent.id }, { coupon: amount.id }],
    });
    assert.equal(invoice.subtotal, 4000);
    // 25% of 4000 is 1000; then 300 of what is left (750 and 2250), spread 75 / 225.
    assert.deepEqual(
      invoice.total_discount_amounts!.map((d) => d.amount),
      [1000, 300],
    );
    assert.deepEqual(
      invoice.lines.data.map((l) => l.discount_amounts!.map((d) => d.amount)),
      [
        [250, 75],
        [750, 225],
      ],
    );
    assert.equal(invoice.total, 2700);
    assert.equal(invoice.amount_due, 2700);
    assert.equal(invoice.discounts.length, 2);
    assert.equal((await stripe.coupons.retrieve(percent.id)).times_redeemed, 1);

    const removed = await stripe.invoices.update(invoice.id, { discounts: '' });
    assert.equal(removed.total, 4000);
    assert.deepEqual(removed.discounts, []);
    const again = await stripe.invoices.update(invoice.id, { discounts: [{ coupon: amount.id }] });
    assert.equal(again.total, 3700);
    const finalized = await stripe.invoices.finalizeInvoice(invoice.id);
    assert.equal(finalized.amount_due, 3700);

    const expired = await stripe.coupons.create({ percent_off: 5, max_redemptions: 1 });
    await stripe.invoices.create({ customer: customer.id, discounts: [{ coupon: expired.id }] });
    const spent = await stripeError(
      stripe.invoices.create({ customer: customer.id, discounts: [{ coupon: expired.id }] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(spent.param, 'discounts[0][coupon]');
  });

  test('updating a draft, then a finalized invoice', async () => {
    const customer = await payingCustomer();
    const invoice = await invoiceFor(customer.id, 1500, { metadata: { order: '7' } });
    const sent = await stripe.invoices.update(invoice.id, {
      collection_method: 'send_invoice',
      days_until_due: 14,
      description: 'April work',
      footer: 'Thank you',
      metadata: { po: 'PO-1' },
      auto_advance: true,
    });
    assert.equal(sent.collection_method, 'send_invoice');
    assert.equal(sent.due_date, invoice.created + 14 * DAY);
    assert.equal(sent.description, 'April work');
    assert.equal(sent.footer, 'Thank you');
    assert.deepEqual(sent.metadata, { order: '7', po: 'PO-1' });
    assert.equal(sent.auto_advance, true);
    assert.equal(typeof sent.automatically_finalizes_at, 'number');
    const [event] = await eventsFor('invoice.updated', invoice.id);
    assert.deepEqual(event!.data.previous_attributes, {
      auto_advance: false,
      automatically_finalizes_at: null,
      collection_method: 'charge_automatically',
      description: null,
      due_date: null,
      footer: null,
      metadata: { po: null },
    });
    const dated = await stripe.invoices.update(invoice.id, { due_date: invoice.created + 40 * DAY });
    assert.equal(dated.due_date, invoice.created + 40 * DAY);
    const back = await stripe.invoices.update(invoice.id, { collection_method: 'charge_automatically' });
    assert.equal(back.due_date, null);

    const open = await stripe.invoices.finalizeInvoice(invoice.id);
    assert.equal(open.automatically_finalizes_at, null);
    const tagged = await stripe.invoices.update(invoice.id, {
      metadata: { paid_by: 'card' },
      auto_advance: false,
    });
    assert.equal(tagged.metadata!.paid_by, 'card');
    assert.equal(tagged.auto_advance, false);
    const refused = await stripeError(
      stripe.invoices.update(invoice.id, { description: 'Too late' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(refused.param, 'description');
    const noMethod = await stripeError(
      stripe.invoices.update(invoice.id, { collection_method: 'send_invoice' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(noMethod.param, 'collection_method');
  });

  test('deleting a draft gives its items back; finalized invoices cannot be deleted', async () => {
    const customer = await stripe.customers.create({ name: 'Delete' });
    const invoice = await invoiceFor(customer.id, 600);
    const itemId = invoice.lines.data[0]!.parent!.invoice_item_details!.invoice_item;
    const deleted = await stripe.invoices.del(invoice.id);
    assert.deepEqual(deleted, { id: invoice.id, object: 'invoice', deleted: true });
    await stripeError(stripe.invoices.retrieve(invoice.id), E.StripeInvalidRequestError, 404);
    assert.equal((await stripe.invoiceItems.retrieve(itemId)).invoice, null, 'pending again');
    assert.equal((await eventsFor('invoice.deleted', invoice.id)).length, 1);
    assert.equal((await stripe.invoices.list({ customer: customer.id })).data.length, 0);

    const kept = await stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    await stripe.invoices.finalizeInvoice(kept.id);
    await stripeError(stripe.invoices.del(kept.id), E.StripeInvalidRequestError, 400);
  });

  test('sending: send_invoice invoices only; a draft is finalized first', async () => {
    const customer = await stripe.customers.create({ name: 'Send', email: 'send@example.com' });
    const automatic = await invoiceFor(customer.id, 100);
    await stripeError(stripe.invoices.sendInvoice(automatic.id), E.StripeInvalidRequestError, 400);

    const invoice = await invoiceFor(customer.id, 2500, {
      collection_method: 'send_invoice',
      days_until_due: 30,
    });
    assert.equal(invoice.due_date, invoice.created + 30 * DAY);
    const sent = await stripe.invoices.sendInvoice(invoice.id);
    assert.equal(sent.status, 'open');
    assert.equal(sent.due_date, invoice.created + 30 * DAY);
    assert.equal(sent.next_payment_attempt, null);
    assert.equal((await eventsFor('invoice.sent', invoice.id)).length, 1);
    await stripe.invoices.sendInvoice(invoice.id);
    assert.equal((await eventsFor('invoice.sent', invoice.id)).length, 2, 'sent again on request');

    const dueDate = Math.floor(Date.now() / 1000) + 10 * DAY;
    const fixed = await stripe.invoices.create({
      customer: customer.id,
      collection_method: 'send_invoice',
      due_date: dueDate,
    });
    assert.equal(fixed.due_date, dueDate);
  });

  test('list filters: customer, status, collection method, due date, created', async () => {
    const customer = await stripe.customers.create({ name: 'Lists' });
    const draft = await invoiceFor(customer.id, 100);
    const open = await invoiceFor(customer.id, 200, { collection_method: 'send_invoice', days_until_due: 5 });
    await stripe.invoices.finalizeInvoice(open.id);
    const later = await invoiceFor(customer.id, 300, {
      collection_method: 'send_invoice',
      days_until_due: 50,
    });
    const ids = async (params: Stripe.InvoiceListParams) =>
      (await stripe.invoices.list({ customer: customer.id, ...params })).data.map((i) => i.id);
    assert.deepEqual(await ids({}), [later.id, open.id, draft.id]);
    assert.deepEqual(await ids({ status: 'draft' }), [later.id, draft.id]);
    assert.deepEqual(await ids({ status: 'open' }), [open.id]);
    assert.deepEqual(await ids({ collection_method: 'send_invoice' }), [later.id, open.id]);
    assert.deepEqual(await ids({ collection_method: 'charge_automatically' }), [draft.id]);
    assert.deepEqual(await ids({ due_date: { gt: open.created + 10 * DAY } }), [later.id]);
    assert.deepEqual(await ids({ created: { lt: draft.created } }), []);
    assert.deepEqual(await ids({ limit: 1, starting_after: later.id }), [open.id]);
  });

  test('bad input: Stripe’s types, codes and params', async () => {
    const customer = await stripe.customers.create({ name: 'Bad' });
    // Each call is made when its turn comes, so no refusal waits unobserved.
    const cases: [() => Promise<unknown>, string | undefined, string][] = [
      [() => stripe.invoices.create({}), 'parameter_missing', 'customer'],
      [() => stripe.invoices.create({ customer: 'cus_nope' }), 'resource_missing', 'customer'],
      [
        () => stripe.invoices.create({ customer: customer.id, days_until_due: 3 }),
        undefined,
        'days_until_due',
      ],
      [
        () =>
          stripe.invoices.create({
            customer: customer.id,
            collection_method: 'send_invoice',
            days_until_due: 3,
            due_date: 2_000_000_000,
          }),
        'parameters_exclusive',
        'days_until_due',
      ],
      [
        () =>
          stripe.invoices.create({
            customer: customer.id,
            collection_method: 'send_invoice',
            due_date: 1_000,
          }),
        undefined,
        'due_date',
      ],
      [
        () =>
          stripe.invoices.create({
            customer: customer.id,
            pending_invoice_items_behavior: 'maybe' as 'include',
          }),
        undefined,
        'pending_invoice_items_behavior',
      ],
      [() => stripe.invoices.create({ customer: customer.id, currency: 'zzz' }), undefined, 'currency'],
      [
        () => stripe.invoices.create({ customer: customer.id, default_payment_method: 'pm_missing' }),
        'resource_missing',
        'default_payment_method',
      ],
      [
        () => stripe.invoices.create({ customer: customer.id, discounts: [{ coupon: 'nope' }] }),
        'resource_missing',
        'discounts[0][coupon]',
      ],
      [
        () => stripe.invoices.create({ customer: customer.id, shipping_cost: { shipping_rate: 'shr_1' } }),
        'parameter_unknown',
        'shipping_cost',
      ],
      [() => stripe.invoices.list({ status: 'late' as 'open' }), undefined, 'status'],
      [
        () => stripe.invoices.list({ collection_method: 'cash' as 'send_invoice' }),
        undefined,
        'collection_method',
      ],
    ];
    for (const [call, code, param] of cases) {
      const error = await stripeError(call(), E.StripeInvalidRequestError, 400);
      assert.equal(error.param, param, error.message);
      assert.equal(error.code, code, error.message);
    }
    const missing = await stripeError(
      stripe.invoices.retrieve('in_missing'),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(missing.code, 'resource_missing');
    await stripeError(
      stripe.invoices.update('in_missing', { description: 'x' }),
      E.StripeInvalidRequestError,
      404,
    );
    await stripeError(stripe.invoices.del('in_missing'), E.StripeInvalidRequestError, 404);
    await stripeError(stripe.invoices.sendInvoice('in_missing'), E.StripeInvalidRequestError, 404);
  });
});

describe('invoice search', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test('by customer, status, number and metadata', async () => {
    const customer = await stripe.customers.create({ email: 'search@example.com' });
    const other = await stripe.customers.create({});
    await stripe.invoiceItems.create({ customer: customer.id, amount: 1200, currency: 'usd' });
    const open = await stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
      metadata: { order: 'A-1' },
    });
    await stripe.invoices.finalizeInvoice(open.id);
    const draft = await stripe.invoices.create({ customer: other.id, currency: 'usd' });
    const byCustomer = await stripe.invoices.search({ query: `customer:"${customer.id}"` });
    assert.deepEqual(
      byCustomer.data.map((i) => i.id),
      [open.id],
    );
    const drafts = await stripe.invoices.search({ query: 'status:"draft"' });
    assert.deepEqual(
      drafts.data.map((i) => i.id),
      [draft.id],
    );
    const finalized = await stripe.invoices.retrieve(open.id);
    const byNumber = await stripe.invoices.search({ query: `number:"${finalized.number}"` });
    assert.deepEqual(
      byNumber.data.map((i) => i.id),
      [open.id],
    );
    const byMetadata = await stripe.invoices.search({ query: 'metadata["order"]:"A-1" AND status:"open"' });
    assert.deepEqual(
      byMetadata.data.map((i) => i.id),
      [open.id],
    );
    assert.equal(byMetadata.url, '/v1/invoices/search');
  });
});
