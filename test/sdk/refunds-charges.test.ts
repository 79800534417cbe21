import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey } from '../../src/accounts/keys.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('charges and refunds through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  const eventsFor = async (id: string) =>
    (await stripe.events.list({ limit: 100 })).data
      .filter((e) => (e.data.object as { id: string }).id === id)
      .map((e) => e.type)
      .reverse();

  const paid = (amount: number, extra: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
    stripe.paymentIntents.create({
      amount,
      currency: 'usd',
      confirm: true,
      payment_method: 'pm_card_visa',
      ...extra,
    });

  test('partial refunds by PaymentIntent, then the rest by charge; over-refunds refused', async () => {
    const intent = await paid(10_000);
    const chargeId = intent.latest_charge as string;

    const first = await stripe.refunds.create({
      payment_intent: intent.id,
      amount: 2_500,
      reason: 'requested_by_customer',
      metadata: { ticket: '9' },
    });
    assert.match(first.id, /^re_/);
    assert.deepEqual(
      [first.amount, first.currency, first.status, first.charge, first.payment_intent, first.reason],
      [2_500, 'usd', 'succeeded', chargeId, intent.id, 'requested_by_customer'],
    );
    assert.deepEqual(first.metadata, { ticket: '9' });
    let charge = await stripe.charges.retrieve(chargeId);
    assert.deepEqual(
      [charge.amount_refunded, charge.refunded, charge.amount_captured],
      [2_500, false, 10_000],
    );

    const over = await stripeError(
      stripe.refunds.create({ charge: chargeId, amount: 7_501 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual(
      [over.code, over.param, over.message],
      [
        'amount_too_large',
        'amount',
        'Refund amount ($75.01) is greater than unrefunded amount on charge ($75.00)',
      ],
    );

    const rest = await stripe.refunds.create({ charge: chargeId });
    assert.equal(rest.amount, 7_500);
    charge = await stripe.charges.retrieve(chargeId);
    assert.deepEqual([charge.amount_refunded, charge.refunded], [10_000, true]);

    const again = await stripeError(
      stripe.refunds.create({ charge: chargeId }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual(
      [again.code, again.message],
      ['charge_already_refunded', `Charge ${chargeId} has already been refunded.`],
    );

    assert.deepEqual(await eventsFor(chargeId), ['charge.succeeded', 'charge.refunded', 'charge.refunded']);
    assert.deepEqual(await eventsFor(first.id), ['refund.created']);
    const refundedEvent = (await stripe.events.list({ type: 'charge.refunded', limit: 1 })).data[0]!;
    assert.equal((refundedEvent.data.object as Stripe.Charge).amount_refunded, 10_000);
    assert.deepEqual(refundedEvent.data.previous_attributes, { amount_refunded: 2_500, refunded: false });

    // The PaymentIntent keeps what it received.
    assert.equal((await stripe.paymentIntents.retrieve(intent.id)).amount_received, 10_000);

    const listed = await stripe.refunds.list({ payment_intent: intent.id });
    assert.deepEqual(
      listed.data.map((r) => [r.id, r.amount]),
      [
        [rest.id, 7_500],
        [first.id, 2_500],
      ],
    );
    assert.deepEqual(
      (await stripe.refunds.list({ charge: chargeId })).data.map((r) => r.id),
      [rest.id, first.id],
    );
    assert.deepEqual(await stripe.refunds.retrieve(first.id), first);
    const expanded = await stripe.refunds.retrieve(first.id, { expand: ['charge'] });
    assert.equal((expanded.charge as Stripe.Charge).id, chargeId);
  });

  test('a first refund above the charge, refunds of unpaid or uncaptured payments, update and cancel', async () => {
    const intent = await paid(1_000);
    const over = await stripeError(
      stripe.refunds.create({ payment_intent: intent.id, amount: 1_001 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(over.message, 'Refund amount ($10.01) is greater than charge amount ($10.00)');

    const nothing = await stripeError(stripe.refunds.create({}), E.StripeInvalidRequestError, 400);
    assert.equal(
      nothing.message,
      'One of the following params should be provided for this request: payment_intent or charge.',
    );

    const open = await stripe.paymentIntents.create({ amount: 1_000, currency: 'usd' });
    const unpaid = await stripeError(
      stripe.refunds.create({ payment_intent: open.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([unpaid.code, unpaid.param], ['charge_not_refundable', 'payment_intent']);

    const held = await paid(1_000, { capture_method: 'manual' });
    const uncaptured = await stripeError(
      stripe.refunds.create({ charge: held.latest_charge as string }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(uncaptured.code, 'charge_not_refundable');

    // Partly captured: what was captured can be refunded, no more.
    await stripe.paymentIntents.capture(held.id, { amount_to_capture: 600 });
    const overCaptured = await stripeError(
      stripe.refunds.create({ payment_intent: held.id, amount: 601 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(overCaptured.code, 'amount_too_large');
    const all = await stripe.refunds.create({ payment_intent: held.id });
    assert.equal(all.amount, 600);
    const heldCharge = await stripe.charges.retrieve(held.latest_charge as string);
    assert.deepEqual([heldCharge.amount_refunded, heldCharge.refunded], [1_000, true]);

    const refund = await stripe.refunds.create({ payment_intent: intent.id, amount: 400 });
    const updated = await stripe.refunds.update(refund.id, { metadata: { note: 'late' } });
    assert.deepEqual(updated.metadata, { note: 'late' });
    assert.deepEqual(await eventsFor(refund.id), ['refund.created', 'refund.updated']);
    const cancel = await stripeError(stripe.refunds.cancel(refund.id), E.StripeInvalidRequestError, 400);
    assert.match(cancel.message, /status of succeeded/);
    const missing = await stripeError(
      stripe.refunds.retrieve('re_missing'),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(missing.code, 'resource_missing');
  });

  test("an invoice's payment: its PaymentIntent through the API, its charge refunded", async () => {
    const customer = await stripe.customers.create({ name: 'Invoiced' });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 4_200, currency: 'usd' });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    await stripe.invoices.finalizeInvoice(draft.id);
    const invoice = await stripe.invoices.pay(draft.id, { payment_method: card.id });
    assert.equal(invoice.status, 'paid');
    const intentId = invoice.payments!.data[0]!.payment.payment_intent as string;
    const intent = await stripe.paymentIntents.retrieve(intentId);
    assert.deepEqual(
      [intent.status, intent.amount_received, intent.customer],
      ['succeeded', 4_200, customer.id],
    );
    assert.deepEqual(
      (await stripe.paymentIntents.list({ customer: customer.id })).data.map((i) => i.id),
      [intentId],
    );
    const cancel = await stripeError(
      stripe.paymentIntents.cancel(intentId),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(cancel.message, new RegExp(invoice.id!));
    assert.deepEqual((await stripe.paymentIntents.update(intentId, { metadata: { k: 'v' } })).metadata, {
      k: 'v',
    });

    const refund = await stripe.refunds.create({ payment_intent: intentId, amount: 1_200 });
    assert.equal(refund.charge, intent.latest_charge);
    const charge = await stripe.charges.retrieve(intent.latest_charge as string);
    assert.deepEqual([charge.amount, charge.amount_refunded, charge.refunded], [4_200, 1_200, false]);
  });

  test('charges: update, list and search', async () => {
    const customer = await stripe.customers.create({ name: 'Searcher' });
    const a = await paid(3_300, { customer: customer.id });
    const b = await paid(4_400, { customer: customer.id, metadata: { shop: 'north' } });
    const chargeB = await stripe.charges.retrieve(b.latest_charge as string);
    assert.deepEqual(chargeB.metadata, { shop: 'north' });
    const updated = await stripe.charges.update(chargeB.id, {
      description: 'Bought in the north shop',
      metadata: { till: '3' },
      fraud_details: { user_report: 'safe' },
    });
    assert.equal(updated.description, 'Bought in the north shop');
    assert.deepEqual(updated.metadata, { shop: 'north', till: '3' });
    assert.deepEqual(updated.fraud_details, { user_report: 'safe' });
    assert.deepEqual(await eventsFor(chargeB.id), ['charge.succeeded', 'charge.updated']);

    assert.deepEqual(
      (await stripe.charges.list({ customer: customer.id })).data.map((c) => c.amount),
      [4_400, 3_300],
    );
    await stripe.refunds.create({ payment_intent: a.id });
    const refunded = await stripe.charges.search({ query: `customer:"${customer.id}" AND refunded:"true"` });
    assert.deepEqual(
      refunded.data.map((c) => c.id),
      [a.latest_charge],
    );
    const big = await stripe.charges.search({ query: `customer:"${customer.id}" AND amount>=4000` });
    assert.deepEqual(
      big.data.map((c) => c.id),
      [chargeB.id],
    );
    const byMeta = await stripe.charges.search({ query: 'metadata["till"]:"3" AND status:"succeeded"' });
    assert.deepEqual(
      byMeta.data.map((c) => c.id),
      [chargeB.id],
    );
  });

  test('restricted keys: refunds need rak_refund, charges rak_charge', async () => {
    const now = Math.floor(Date.now() / 1000);
    const scope = { accountId: server.app.boot.accountId, livemode: false };
    const chargesOnly = server.stripe(
      await createRestrictedKey(server.app.store.db, scope, now, { charges: 'read', refunds: 'read' }),
    );
    const intent = await paid(900);
    assert.equal((await chargesOnly.charges.retrieve(intent.latest_charge as string)).amount, 900);
    const denied = await stripeError(
      chargesOnly.refunds.create({ payment_intent: intent.id }),
      E.StripePermissionError,
      403,
    );
    assert.match(denied.message, /rak_refund_write/);
    const noUpdate = await stripeError(
      chargesOnly.charges.update(intent.latest_charge as string, { description: 'x' }),
      E.StripePermissionError,
      403,
    );
    assert.match(noUpdate.message, /rak_charge_write/);
  });
});
