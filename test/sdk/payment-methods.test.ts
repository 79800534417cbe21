import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey, createSecretKey } from '../../src/accounts/keys.ts';
import { createPlatformAccount } from '../../src/accounts/service.ts';
import { E, stripeError } from '../support/errors.ts';
import { call, startServer, type TestServer } from '../support/server.ts';

const year = new Date().getUTCFullYear();
const visaNumber = { number: '4242424242424242', exp_month: 12, exp_year: year + 2, cvc: '123' };

describe('payment methods through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test('a card from a raw test number: every field of the card hash', async () => {
    const pm = await stripe.paymentMethods.create({
      type: 'card',
      card: visaNumber,
      billing_details: {
        name: 'Jenny Rosen',
        email: 'jenny@example.com',
        address: { line1: '1 Main St', postal_code: '94107', country: 'us' },
      },
      metadata: { order: '42' },
    });
    assert.match(pm.id, /^pm_[A-Za-z0-9]+$/);
    assert.equal(pm.object, 'payment_method');
    assert.equal(pm.type, 'card');
    assert.equal(pm.customer, null);
    assert.equal(pm.livemode, false);
    assert.equal(pm.allow_redisplay, 'unspecified');
    assert.deepEqual(pm.metadata, { order: '42' });
    assert.deepEqual(pm.billing_details, {
      address: {
        city: null,
        country: 'US',
        line1: '1 Main St',
        line2: null,
        postal_code: '94107',
        state: null,
      },
      email: 'jenny@example.com',
      name: 'Jenny Rosen',
      phone: null,
      tax_id: null,
    });
    const card = pm.card!;
    assert.equal(card.brand, 'visa');
    assert.equal(card.display_brand, 'visa');
    assert.equal(card.last4, '4242');
    assert.equal(card.exp_month, 12);
    assert.equal(card.exp_year, year + 2);
    assert.equal(card.funding, 'credit');
    assert.equal(card.country, 'US');
    assert.match(card.fingerprint!, /^[A-Za-z0-9]{16}$/);
    assert.deepEqual(card.checks, {
      address_line1_check: 'pass',
      address_postal_code_check: 'pass',
      cvc_check: 'pass',
    });
    assert.deepEqual(card.networks, { available: ['visa'], preferred: null });
    assert.deepEqual(card.three_d_secure_usage, { supported: true });
    assert.equal(card.wallet, null);
    assert.equal(card.generated_from, null);
    assert.equal(card.regulated_status, 'unregulated');
    assert.deepEqual(await stripe.paymentMethods.retrieve(pm.id), pm);
  });

  test('fingerprints: the same number gives the same one, another number another', async () => {
    const a = await stripe.paymentMethods.create({ type: 'card', card: visaNumber });
    const b = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    const c = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_mastercard' } });
    assert.equal(a.card!.fingerprint, b.card!.fingerprint);
    assert.notEqual(a.card!.fingerprint, c.card!.fingerprint);
    // No CVC and no address given: those checks are null.
    const bare = await stripe.paymentMethods.create({
      type: 'card',
      card: { ...visaNumber, cvc: undefined },
    });
    assert.deepEqual(bare.card!.checks, {
      address_line1_check: null,
      address_postal_code_check: null,
      cvc_check: null,
    });
  });

  test('test tokens: brand, funding, country and checks as Stripe reports them', async () => {
    const cases: [string, string, string, string, string, string][] = [
      ['tok_visa', 'visa', 'visa', 'credit', 'US', '4242'],
      ['tok_visa_debit', 'visa', 'visa', 'debit', 'US', '5556'],
      ['tok_mastercard', 'mastercard', 'mastercard', 'credit', 'US', '4444'],
      ['tok_amex', 'amex', 'american_express', 'credit', 'US', '0005'],
      ['tok_discover', 'discover', 'discover', 'credit', 'US', '1117'],
      ['tok_jcb', 'jcb', 'jcb', 'credit', 'JP', '0505'],
      ['tok_unionpay', 'unionpay', 'union_pay', 'credit', 'CN', '0005'],
      ['tok_gb', 'visa', 'visa', 'credit', 'GB', '0000'],
    ];
    for (const [token, brand, display, funding, country, last4] of cases) {
      const pm = await stripe.paymentMethods.create({ type: 'card', card: { token } });
      const card = pm.card!;
      assert.deepEqual(
        [card.brand, card.display_brand, card.funding, card.country, card.last4],
        [brand, display, funding, country, last4],
        token,
      );
      assert.equal(card.checks!.cvc_check, 'pass');
    }
    const amex = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_amex' } });
    assert.deepEqual(amex.card!.three_d_secure_usage, { supported: false });
    const cvcFail = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_cvcCheckFail' } });
    assert.equal(cvcFail.card!.checks!.cvc_check, 'fail');
    const avs = await stripe.paymentMethods.create({
      type: 'card',
      card: { number: '4000000000000010', exp_month: 1, exp_year: year + 1 },
      billing_details: { address: { line1: 'x', postal_code: '1' } },
    });
    assert.deepEqual(avs.card!.checks, {
      address_line1_check: 'fail',
      address_postal_code_check: 'fail',
      cvc_check: null,
    });
  });

  test('raw card errors: Stripe card_error codes with the card param, nothing created', async () => {
    const cases: [Stripe.PaymentMethodCreateParams.Card, string, string, string?][] = [
      [{ ...visaNumber, number: '4242424242424241' }, 'incorrect_number', 'card[number]'],
      [{ ...visaNumber, number: '42424242' }, 'invalid_number', 'card[number]'],
      [{ ...visaNumber, number: '4111111111111111' }, 'card_declined', 'card[number]', 'test_mode_live_card'],
      [{ ...visaNumber, exp_month: 13 }, 'invalid_expiry_month', 'card[exp_month]'],
      [{ ...visaNumber, exp_year: year - 1 }, 'invalid_expiry_year', 'card[exp_year]'],
      [{ ...visaNumber, cvc: '99' }, 'invalid_cvc', 'card[cvc]'],
    ];
    for (const [card, code, param, declineCode] of cases) {
      const error = await stripeError(
        stripe.paymentMethods.create({ type: 'card', card }),
        E.StripeCardError,
        402,
      );
      assert.equal(error.type, 'StripeCardError');
      assert.equal(error.code, code, JSON.stringify(card));
      assert.equal(error.param, param);
      if (declineCode) assert.equal(error.decline_code, declineCode);
    }
  });

  test('bad input: Stripe invalid_request_error codes and params', async () => {
    const cases: [Record<string, unknown>, string, string | undefined][] = [
      [{ card: visaNumber }, 'type', 'parameter_missing'],
      [{ type: 'sepa_debit' }, 'type', undefined],
      [{ type: 'card' }, 'card', 'parameter_missing'],
      [{ type: 'card', card: { cvc: '123' } }, 'card[number]', 'parameter_missing'],
      [
        { type: 'card', card: { number: visaNumber.number, exp_year: year + 1 } },
        'card[exp_month]',
        'parameter_missing',
      ],
      [
        { type: 'card', card: { ...visaNumber, exp_month: 'soon' } },
        'card[exp_month]',
        'parameter_invalid_integer',
      ],
      [
        { type: 'card', card: { token: 'tok_visa', number: visaNumber.number } },
        'card[token]',
        'parameters_exclusive',
      ],
      [{ type: 'card', card: { token: 'tok_nope' } }, 'card[token]', 'resource_missing'],
      [{ type: 'card', card: { token: 'tok_visa' }, color: 'red' }, 'color', 'parameter_unknown'],
      [{ type: 'card', card: { token: 'tok_visa', brand: 'visa' } }, 'card[brand]', 'parameter_unknown'],
      [
        { type: 'card', card: { token: 'tok_visa' }, allow_redisplay: 'sometimes' },
        'allow_redisplay',
        undefined,
      ],
      [
        { type: 'card', card: { token: 'tok_visa' }, billing_details: { email: 'nope' } },
        'billing_details[email]',
        'email_invalid',
      ],
      [{ type: 'card', card: { token: 'tok_visa' }, billing_details: 'x' }, 'billing_details', undefined],
    ];
    for (const [params, param, code] of cases) {
      const error = await stripeError(
        stripe.paymentMethods.create(params as unknown as Stripe.PaymentMethodCreateParams),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(error.param, param, JSON.stringify(params));
      if (code) assert.equal(error.code, code, JSON.stringify(params));
    }
    const missing = await stripeError(
      stripe.paymentMethods.retrieve('pm_missing'),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(missing.code, 'resource_missing');
    assert.equal(missing.message, "No such PaymentMethod: 'pm_missing'");
  });

  test('attach, list, retrieve under the customer, update, detach, with their events', async () => {
    const customer = await stripe.customers.create({ email: 'pay@example.com' });
    const created = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    const attached = await stripe.paymentMethods.attach(created.id, { customer: customer.id });
    assert.equal(attached.id, created.id);
    assert.equal(attached.customer, customer.id);
    // Attaching again to the same customer changes nothing.
    assert.deepEqual(await stripe.paymentMethods.attach(created.id, { customer: customer.id }), attached);
    const second = await stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });

    const listed = await stripe.paymentMethods.list({ customer: customer.id });
    assert.deepEqual(
      listed.data.map((p) => p.id),
      [second.id, created.id],
    );
    assert.equal(listed.url, '/v1/payment_methods');
    const cards = await stripe.customers.listPaymentMethods(customer.id, { type: 'card', limit: 1 });
    assert.deepEqual(
      cards.data.map((p) => p.id),
      [second.id],
    );
    assert.equal(cards.has_more, true);
    assert.equal(cards.url, `/v1/customers/${customer.id}/payment_methods`);
    const paged = await stripe.customers.listPaymentMethods(customer.id, { starting_after: second.id });
    assert.deepEqual(
      paged.data.map((p) => p.id),
      [created.id],
    );
    assert.deepEqual(
      (await stripe.customers.listPaymentMethods(customer.id, { type: 'sepa_debit' })).data,
      [],
    );
    assert.deepEqual(await stripe.customers.retrievePaymentMethod(customer.id, created.id), attached);
    // Without a customer, Stripe lists the account's own payment methods: Portico has none.
    assert.deepEqual((await stripe.paymentMethods.list()).data, []);

    const updated = await stripe.paymentMethods.update(created.id, {
      billing_details: { name: 'Jenny', address: { postal_code: '10001' } },
      card: { exp_month: 1, exp_year: year + 5 },
      metadata: { note: 'work card' },
      allow_redisplay: 'always',
    });
    assert.equal(updated.billing_details.name, 'Jenny');
    assert.equal(updated.billing_details.address!.postal_code, '10001');
    assert.equal(updated.card!.exp_month, 1);
    assert.equal(updated.card!.exp_year, year + 5);
    assert.equal(updated.card!.checks!.address_postal_code_check, 'pass');
    assert.equal(updated.allow_redisplay, 'always');
    assert.deepEqual(
      (await stripe.customers.listPaymentMethods(customer.id, { allow_redisplay: 'always' })).data.map(
        (p) => p.id,
      ),
      [created.id],
    );
    const expiry = await stripeError(
      stripe.paymentMethods.update(created.id, { card: { exp_year: year - 1 } }),
      E.StripeCardError,
      402,
    );
    assert.equal(expiry.code, 'invalid_expiry_year');

    const detached = await stripe.paymentMethods.detach(created.id);
    assert.equal(detached.customer, null);
    assert.deepEqual(
      (await stripe.customers.listPaymentMethods(customer.id)).data.map((p) => p.id),
      [second.id],
    );
    const notHers = await stripeError(
      stripe.customers.retrievePaymentMethod(customer.id, created.id),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(notHers.param, 'customer');
    // Detaching is for good.
    await stripeError(stripe.paymentMethods.detach(created.id), E.StripeInvalidRequestError, 400);
    await stripeError(
      stripe.paymentMethods.attach(created.id, { customer: customer.id }),
      E.StripeInvalidRequestError,
      400,
    );
    const loose = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    await stripeError(
      stripe.paymentMethods.update(loose.id, { metadata: { a: 'b' } }),
      E.StripeInvalidRequestError,
      400,
    );

    const events = await stripe.events.list({ type: 'payment_method.*', limit: 10 });
    const ours = events.data.filter((e) =>
      [created.id, second.id].includes((e.data.object as { id: string }).id),
    );
    assert.deepEqual(
      ours.map((e) => e.type),
      [
        'payment_method.detached',
        'payment_method.updated',
        'payment_method.attached',
        'payment_method.attached',
      ],
    );
    const detachedEvent = ours[0]!;
    assert.deepEqual(detachedEvent.data.previous_attributes, { customer: customer.id });
    assert.deepEqual((ours[1]!.data.previous_attributes as { metadata?: object }).metadata, { note: null });
  });

  test('shortcuts make a new payment method on each use', async () => {
    const customer = await stripe.customers.create();
    const one = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const two = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    assert.notEqual(one.id, two.id);
    assert.match(one.id, /^pm_[A-Za-z0-9]{20,}$/);
    assert.equal(one.card!.last4, '4242');
    assert.equal(one.card!.fingerprint, two.card!.fingerprint);
    assert.deepEqual(await stripe.paymentMethods.retrieve(one.id), one);
    // A shortcut names a card, not a stored object: there is nothing to retrieve.
    await stripeError(stripe.paymentMethods.retrieve('pm_card_visa'), E.StripeInvalidRequestError, 404);
  });

  test('attaching a card its issuer declines is a 402 card_error; nothing is attached', async () => {
    const customer = await stripe.customers.create();
    const cases: [string, string, string, string?][] = [
      ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
      ['pm_card_visa_chargeDeclined', 'card_declined', 'generic_decline'],
      ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
      ['pm_card_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card'],
      ['pm_card_visa_chargeDeclinedStolenCard', 'card_declined', 'stolen_card'],
      ['pm_card_chargeDeclinedFraudulent', 'card_declined', 'fraudulent'],
      ['pm_card_visa_chargeDeclinedVelocityLimitExceeded', 'card_declined', 'card_velocity_exceeded'],
      ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'exp_month'],
      ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc', 'cvc'],
      ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error'],
    ];
    for (const [shortcut, code, declineCode, param] of cases) {
      const error = await stripeError(
        stripe.paymentMethods.attach(shortcut, { customer: customer.id }),
        E.StripeCardError,
        402,
      );
      assert.equal(error.type, 'StripeCardError');
      assert.equal(error.code, code, shortcut);
      assert.equal(error.decline_code, declineCode, shortcut);
      assert.equal(error.param, param, shortcut);
      assert.equal((error.raw as { type: string }).type, 'card_error');
    }
    // A declined card made from a raw number: the object stays, unattached.
    const raw = await stripe.paymentMethods.create({
      type: 'card',
      card: { ...visaNumber, number: '4000000000000002' },
    });
    await stripeError(
      stripe.paymentMethods.attach(raw.id, { customer: customer.id }),
      E.StripeCardError,
      402,
    );
    assert.equal((await stripe.paymentMethods.retrieve(raw.id)).customer, null);
    assert.deepEqual((await stripe.customers.listPaymentMethods(customer.id)).data, []);
    // 0341 attaches (its charges fail later); 3D Secure cards attach too.
    for (const ok of [
      'pm_card_chargeCustomerFail',
      'pm_card_authenticationRequired',
      'pm_card_threeDSecure2Required',
    ]) {
      assert.equal((await stripe.paymentMethods.attach(ok, { customer: customer.id })).customer, customer.id);
    }
    assert.equal((await stripe.customers.listPaymentMethods(customer.id)).data.length, 3);
  });

  test('a payment method attached to one customer cannot be attached to another', async () => {
    const a = await stripe.customers.create();
    const b = await stripe.customers.create();
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: a.id });
    const error = await stripeError(
      stripe.paymentMethods.attach(pm.id, { customer: b.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(error.message, /already been attached/);
    const noCustomer = await stripeError(
      stripe.paymentMethods.attach(pm.id, { customer: 'cus_missing' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([noCustomer.code, noCustomer.param], ['resource_missing', 'customer']);
    const noParam = await stripeError(
      stripe.paymentMethods.attach(pm.id, {} as Stripe.PaymentMethodAttachParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([noParam.code, noParam.param], ['parameter_missing', 'customer']);
    await stripeError(stripe.customers.listPaymentMethods('cus_missing'), E.StripeInvalidRequestError, 404);
  });

  test('expand[]=customer on a payment method', async () => {
    const customer = await stripe.customers.create({ name: 'Expanded' });
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    const expanded = await stripe.paymentMethods.retrieve(pm.id, { expand: ['customer'] });
    assert.equal((expanded.customer as Stripe.Customer).name, 'Expanded');
    const list = await stripe.customers.listPaymentMethods(customer.id, { expand: ['data.customer'] });
    assert.equal((list.data[0]!.customer as Stripe.Customer).id, customer.id);
  });
});

describe('payment methods: accounts, modes and keys', () => {
  let server: TestServer;
  let stripe: Stripe;
  let other: Stripe;
  let live: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    const now = Math.floor(Date.now() / 1000);
    const db = server.app.store.db;
    const account = await createPlatformAccount(db, now, 'Other platform');
    other = server.stripe(await createSecretKey(db, { accountId: account.id, livemode: false }, now));
    live = server.stripe(
      await createSecretKey(db, { accountId: server.app.boot.accountId, livemode: true }, now),
    );
  });
  after(() => server.close());

  test("another account's key can neither see nor attach a payment method", async () => {
    const mine = await stripe.customers.create();
    const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: mine.id });
    await stripeError(other.paymentMethods.retrieve(pm.id), E.StripeInvalidRequestError, 404);
    const theirs = await other.customers.create();
    await stripeError(
      other.paymentMethods.attach(pm.id, { customer: theirs.id }),
      E.StripeInvalidRequestError,
      404,
    );
    await stripeError(other.paymentMethods.detach(pm.id), E.StripeInvalidRequestError, 404);
    // Nor can it attach to my customer, or list my customer's cards.
    await stripeError(
      other.paymentMethods.attach('pm_card_visa', { customer: mine.id }),
      E.StripeInvalidRequestError,
      400,
    );
    await stripeError(other.customers.listPaymentMethods(mine.id), E.StripeInvalidRequestError, 404);
    await stripeError(
      other.customers.update(theirs.id, { invoice_settings: { default_payment_method: pm.id } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal((await stripe.paymentMethods.retrieve(pm.id)).customer, mine.id);
  });

  test('live mode: raw numbers refused as Stripe refuses them, no test tokens or shortcuts', async () => {
    const raw = await stripeError(
      live.paymentMethods.create({ type: 'card', card: visaNumber }),
      E.StripeCardError,
      402,
    );
    assert.equal((raw.raw as { type: string }).type, 'invalid_request_error');
    assert.match(raw.message, /unsafe/);
    const token = await stripeError(
      live.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(token.code, 'resource_missing');
    const customer = await live.customers.create();
    await stripeError(
      live.paymentMethods.attach('pm_card_visa', { customer: customer.id }),
      E.StripeInvalidRequestError,
      404,
    );
    // A test object asked for with a live key: 404 saying the other mode has it.
    const testPm = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    const missing = await stripeError(
      live.paymentMethods.retrieve(testPm.id),
      E.StripeInvalidRequestError,
      404,
    );
    assert.match(missing.message, /similar object exists in test mode/);
  });

  test('restricted keys need rak_payment_method permissions', async () => {
    const now = Math.floor(Date.now() / 1000);
    const scope = { accountId: server.app.boot.accountId, livemode: false };
    const reader = server.stripe(
      await createRestrictedKey(server.app.store.db, scope, now, { payment_methods: 'read' }),
    );
    const pm = await stripe.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } });
    assert.equal((await reader.paymentMethods.retrieve(pm.id)).id, pm.id);
    const denied = await stripeError(
      reader.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } }),
      E.StripePermissionError,
      403,
    );
    assert.match(denied.message, /rak_payment_method_write/);
    const none = server.stripe(
      await createRestrictedKey(server.app.store.db, scope, now, { customers: 'read' }),
    );
    const noRead = await stripeError(none.paymentMethods.retrieve(pm.id), E.StripePermissionError, 403);
    assert.match(noRead.message, /rak_payment_method_read/);
  });

  test('raw HTTP: arrays and unknown params on the attach path', async () => {
    const response = await call(server, 'POST', '/v1/payment_methods/pm_card_visa/attach', {
      body: 'customer[]=x',
    });
    assert.equal(response.status, 400);
    assert.equal(response.json.error?.param, 'customer');
    const unknown = await call(server, 'POST', '/v1/payment_methods/pm_card_visa/detach', {
      body: 'customer=cus_x',
    });
    assert.equal(unknown.status, 400);
    assert.equal(unknown.json.error?.code, 'parameter_unknown');
  });
});
