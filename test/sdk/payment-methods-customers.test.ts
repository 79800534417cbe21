import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

const DEFAULT = 'invoice_settings[default_payment_method]';

describe('customers and their payment methods', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  const cardsOf = async (customer: string) =>
    (await stripe.customers.listPaymentMethods(customer)).data.map((p) => p.id);

  test('customers.create({payment_method}) attaches it; the same shortcut as the default names the new one', async () => {
    const plain = await stripe.customers.create({ payment_method: 'pm_card_visa' });
    const [attached] = await cardsOf(plain.id);
    assert.ok(attached);
    assert.equal(plain.invoice_settings.default_payment_method, null);

    const withDefault = await stripe.customers.create({
      payment_method: 'pm_card_mastercard',
      invoice_settings: { default_payment_method: 'pm_card_mastercard' },
    });
    const [mastercard] = await cardsOf(withDefault.id);
    assert.equal(withDefault.invoice_settings.default_payment_method, mastercard);
    const expanded = await stripe.customers.retrieve(withDefault.id, {
      expand: ['invoice_settings.default_payment_method'],
    });
    const pm = (expanded as Stripe.Customer).invoice_settings.default_payment_method as Stripe.PaymentMethod;
    assert.equal(pm.id, mastercard);
    assert.equal(pm.card!.brand, 'mastercard');

    const created = await stripe.events.list({ type: 'customer.created', limit: 1 });
    assert.equal(
      (created.data[0]!.data.object as Stripe.Customer).invoice_settings.default_payment_method,
      mastercard,
    );
    const attachedEvent = await stripe.events.list({ type: 'payment_method.attached', limit: 1 });
    assert.equal((attachedEvent.data[0]!.data.object as Stripe.PaymentMethod).customer, withDefault.id);

    // An existing, unattached payment method works too.
    const loose = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_amex' } });
    const third = await stripe.customers.create({
      payment_method: loose.id,
      invoice_settings: { default_payment_method: loose.id },
    });
    assert.deepEqual(await cardsOf(third.id), [loose.id]);
    assert.equal(third.invoice_settings.default_payment_method, loose.id);
  });

  test('a declined card on customers.create: 402 and no customer', async () => {
    const before = (await stripe.customers.list({ limit: 100 })).data.length;
    const error = await stripeError(
      stripe.customers.create({ email: 'declined@example.com', payment_method: 'pm_card_chargeDeclined' }),
      E.StripeCardError,
      402,
    );
    assert.equal(error.decline_code, 'generic_decline');
    assert.equal((await stripe.customers.list({ limit: 100 })).data.length, before);
    const missing = await stripeError(
      stripe.customers.create({ payment_method: 'pm_missing' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([missing.code, missing.param], ['resource_missing', 'payment_method']);
    const taken = await stripe.customers.create({ payment_method: 'pm_card_visa' });
    const [takenPm] = await cardsOf(taken.id);
    const elsewhere = await stripeError(
      stripe.customers.create({ payment_method: takenPm! }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(elsewhere.param, 'payment_method');
  });

  test('invoice_settings[default_payment_method] must be attached to that customer', async () => {
    const customer = await stripe.customers.create();
    const other = await stripe.customers.create({ payment_method: 'pm_card_visa' });
    const [othersPm] = await cardsOf(other.id);
    const loose = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    const refusals: [string, string | undefined][] = [
      [loose.id, undefined],
      [othersPm!, undefined],
      ['pm_card_visa', undefined],
      ['pm_missing', 'resource_missing'],
    ];
    for (const [id, code] of refusals) {
      const error = await stripeError(
        stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: id } }),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(error.type, 'StripeInvalidRequestError');
      assert.equal(error.param, DEFAULT, id);
      assert.equal(error.code, code, id);
    }
    const onCreate = await stripeError(
      stripe.customers.create({ invoice_settings: { default_payment_method: loose.id } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(onCreate.param, DEFAULT);

    const mine = await stripe.paymentMethods.attach(loose.id, { customer: customer.id });
    const updated = await stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: mine.id },
    });
    assert.equal(updated.invoice_settings.default_payment_method, mine.id);
    const cleared = await stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: '' },
    });
    assert.equal(cleared.invoice_settings.default_payment_method, null);
    // Stripe's customer update has no payment_method param: attach instead.
    const unknown = await stripeError(
      stripe.customers.update(customer.id, { payment_method: mine.id } as Stripe.CustomerUpdateParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(unknown.code, 'parameter_unknown');
  });

  test('detaching the default clears it, with customer.updated', async () => {
    const customer = await stripe.customers.create({
      payment_method: 'pm_card_visa',
      invoice_settings: { default_payment_method: 'pm_card_visa' },
    });
    const pm = customer.invoice_settings.default_payment_method as string;
    await stripe.paymentMethods.detach(pm);
    const after = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    assert.equal(after.invoice_settings.default_payment_method, null);
    const [updated] = (await stripe.events.list({ type: 'customer.updated', limit: 1 })).data;
    assert.equal((updated!.data.object as Stripe.Customer).id, customer.id);
    assert.deepEqual(
      (updated!.data.previous_attributes as { invoice_settings: Stripe.Customer.InvoiceSettings })
        .invoice_settings.default_payment_method,
      pm,
    );
    // Detaching a card that is not the default leaves the customer alone.
    const other = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    const eventsBefore = (await stripe.events.list({ type: 'customer.updated', limit: 100 })).data.length;
    await stripe.paymentMethods.detach(other.id);
    assert.equal(
      (await stripe.events.list({ type: 'customer.updated', limit: 100 })).data.length,
      eventsBefore,
    );
  });

  test('deleting a customer detaches its payment methods', async () => {
    const customer = await stripe.customers.create({ payment_method: 'pm_card_visa' });
    const second = await stripe.paymentMethods.attach('pm_card_amex', { customer: customer.id });
    const ids = await cardsOf(customer.id);
    assert.equal(ids.length, 2);
    await stripe.customers.del(customer.id);
    for (const id of ids) assert.equal((await stripe.paymentMethods.retrieve(id)).customer, null);
    const detached = await stripe.events.list({ type: 'payment_method.detached', limit: 2 });
    assert.deepEqual(
      detached.data.map((e) => (e.data.object as Stripe.PaymentMethod).id).sort(),
      [...ids].sort(),
    );
    await stripeError(
      stripe.paymentMethods.attach(second.id, { customer: (await stripe.customers.create()).id }),
      E.StripeInvalidRequestError,
      400,
    );
  });

  test("a test clock's customers lose their payment methods with the clock; their cards are dated on it", async () => {
    const frozen = Math.floor(Date.now() / 1000) - 30 * 86_400;
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozen });
    const customer = await stripe.customers.create({ test_clock: clock.id, payment_method: 'pm_card_visa' });
    const [pmId] = await cardsOf(customer.id);
    const pm = await stripe.paymentMethods.retrieve(pmId!);
    assert.equal(pm.created, frozen);
    const another = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    assert.equal(another.created, frozen);
    await stripe.testHelpers.testClocks.del(clock.id);
    assert.equal((await stripe.paymentMethods.retrieve(pmId!)).customer, null);
    assert.equal((await stripe.paymentMethods.retrieve(another.id)).customer, null);
  });
});
