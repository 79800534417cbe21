import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('paying invoices: attempts, PaymentIntents, charges and invoice payments', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  async function openInvoice(customer: string, amount: number): Promise<Stripe.Invoice> {
    await stripe.invoiceItems.create({ customer, amount, currency: 'usd' });
    const draft = await stripe.invoices.create({ customer, pending_invoice_items_behavior: 'include' });
    return stripe.invoices.finalizeInvoice(draft.id);
  }

  test('a declining card answers 402 and the attempt stays recorded; a good card then pays', async () => {
    const customer = await stripe.customers.create({ name: 'Declined' });
    // This card attaches, and every charge on it is refused.
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customer.id,
    });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
    const invoice = await openInvoice(customer.id, 3100);

    const declined = await stripeError(stripe.invoices.pay(invoice.id), E.StripeCardError, 402);
    assert.equal(declined.code, 'card_declined');
    assert.equal(declined.decline_code, 'generic_decline');
    const attempted = await stripe.invoices.retrieve(invoice.id, {
      expand: ['payments.data.payment.payment_intent'],
    });
    assert.equal(attempted.status, 'open');
    assert.equal(attempted.attempted, true);
    assert.equal(attempted.attempt_count, 1);
    assert.equal(attempted.amount_paid, 0);
    const intent = attempted.payments!.data[0]!.payment.payment_intent as Stripe.PaymentIntent;
    assert.equal(intent.status, 'requires_payment_method');
    assert.equal(intent.last_payment_error?.code, 'card_declined');
    assert.equal(intent.last_payment_error?.decline_code, 'generic_decline');
    assert.equal((intent.last_payment_error!.payment_method as Stripe.PaymentMethod).id, failing.id);
    const failedCharges = await stripe.charges.list({ payment_intent: intent.id });
    assert.deepEqual(
      failedCharges.data.map((c) => [c.status, c.amount]),
      [['failed', 3100]],
    );
    const failedEvents = await stripe.events.list({ type: 'invoice.payment_failed' });
    assert.ok(failedEvents.data.some((e) => (e.data.object as Stripe.Invoice).id === invoice.id));

    const good = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const paid = await stripe.invoices.pay(invoice.id, { payment_method: good.id });
    assert.equal(paid.status, 'paid');
    assert.equal(paid.attempt_count, 2);
    assert.equal(paid.amount_paid, 3100);
    const charges = await stripe.charges.list({ customer: customer.id });
    assert.deepEqual(
      charges.data.map((c) => c.status),
      ['succeeded', 'failed'],
      'one charge per attempt, newest first',
    );
    const intents = await stripe.paymentIntents.list({ customer: customer.id });
    assert.deepEqual(
      intents.data.map((pi) => [pi.id, pi.status, pi.amount_received]),
      [[intent.id, 'succeeded', 3100]],
      'the attempts share the invoice’s PaymentIntent',
    );

    const payments = await stripe.invoicePayments.list({ invoice: invoice.id });
    assert.equal(payments.data.length, 1);
    const [payment] = payments.data;
    assert.match(payment!.id, /^inpay_/);
    assert.equal(payment!.invoice, invoice.id);
    assert.equal(payment!.status, 'paid');
    assert.equal(payment!.amount_paid, 3100);
    assert.equal(payment!.payment.payment_intent, intent.id);
    assert.deepEqual(await stripe.invoicePayments.retrieve(payment!.id), payment);
    const expanded = await stripe.invoicePayments.retrieve(payment!.id, { expand: ['invoice'] });
    assert.equal((expanded.invoice as Stripe.Invoice).status, 'paid');
  });

  test('lists of PaymentIntents, charges and invoice payments filter and page', async () => {
    const customer = await stripe.customers.create({ name: 'Lists' });
    const pm = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const invoices: Stripe.Invoice[] = [];
    for (const amount of [100, 200, 300]) {
      const invoice = await openInvoice(customer.id, amount);
      invoices.push(await stripe.invoices.pay(invoice.id));
    }
    const intents = await stripe.paymentIntents.list({ customer: customer.id });
    assert.deepEqual(
      intents.data.map((pi) => pi.amount),
      [300, 200, 100],
    );
    const page = await stripe.paymentIntents.list({ customer: customer.id, limit: 2 });
    assert.equal(page.has_more, true);
    const rest = await stripe.paymentIntents.list({
      customer: customer.id,
      starting_after: page.data[1]!.id,
    });
    assert.deepEqual(
      rest.data.map((pi) => pi.amount),
      [100],
    );
    const charges = await stripe.charges.list({ customer: customer.id, limit: 2 });
    assert.deepEqual(
      charges.data.map((c) => c.amount),
      [300, 200],
    );
    assert.equal((await stripe.charges.list({ transfer_group: 'group' })).data.length, 0);

    const all: Stripe.InvoicePayment[] = [];
    for await (const p of stripe.invoicePayments.list({ limit: 1 })) all.push(p);
    const mine = all.filter((p) => invoices.some((i) => i.id === p.invoice));
    assert.deepEqual(
      mine.map((p) => p.amount_paid),
      [300, 200, 100],
    );
    const byIntent = await stripe.invoicePayments.list({
      payment: { type: 'payment_intent', payment_intent: intents.data[1]!.id },
    });
    assert.deepEqual(
      byIntent.data.map((p) => p.invoice),
      [invoices[1]!.id],
    );
    const before = await stripe.invoicePayments.list({ ending_before: mine[2]!.id, limit: 1 });
    assert.deepEqual(
      before.data.map((p) => p.id),
      [mine[1]!.id],
    );
    assert.equal((await stripe.invoicePayments.list({ status: 'open' })).data.length, 0);
    await stripeError(stripe.invoicePayments.retrieve('inpay_missing'), E.StripeInvalidRequestError, 404);
    const badCursor = await stripeError(
      stripe.invoicePayments.list({ starting_after: 'inpay_missing' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(badCursor.param, 'starting_after');
  });

  test('paying out of band, and refusals', async () => {
    const customer = await stripe.customers.create({ name: 'Out of band' });
    const invoice = await openInvoice(customer.id, 5000);
    const noCard = await stripeError(stripe.invoices.pay(invoice.id), E.StripeInvalidRequestError, 400);
    assert.match(noCard.message, /no attached payment source or default payment method/);
    const both = await stripeError(
      stripe.invoices.pay(invoice.id, { paid_out_of_band: true, payment_method: 'pm_card_visa' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(both.code, 'parameters_exclusive');
    const paid = await stripe.invoices.pay(invoice.id, { paid_out_of_band: true });
    assert.equal(paid.status, 'paid');
    assert.equal(paid.amount_paid, 5000);
    assert.equal(paid.attempt_count, 0);
    await stripeError(stripe.invoices.pay(invoice.id), E.StripeInvalidRequestError, 400);
    assert.equal((await stripe.paymentIntents.list({ customer: customer.id })).data.length, 0);
  });
});
