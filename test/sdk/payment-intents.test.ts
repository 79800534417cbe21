import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey } from '../../src/accounts/keys.ts';
import { E, type StripeError, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** Portico's test helper for a 3D Secure challenge (the SDK has no method for it). */
async function completeAuthentication(
  stripe: Stripe,
  id: string,
  outcome: 'succeed' | 'fail',
): Promise<Stripe.PaymentIntent> {
  return (await stripe.rawRequest('POST', `/v1/test_helpers/payment_intents/${id}/complete_authentication`, {
    outcome,
  })) as Stripe.PaymentIntent;
}

const intentOf = (error: StripeError) =>
  (error.raw as { payment_intent: Stripe.PaymentIntent }).payment_intent;

describe('PaymentIntents through the official SDK', () => {
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

  test('created without confirm: its defaults and client secret; confirmed later with a card', async () => {
    const customer = await stripe.customers.create({ name: 'Ada' });
    const intent = await stripe.paymentIntents.create({
      amount: 2000,
      currency: 'usd',
      customer: customer.id,
      description: 'Order 17',
      metadata: { order: '17' },
    });
    assert.match(intent.id, /^pi_[A-Za-z0-9]+$/);
    assert.match(intent.client_secret!, new RegExp(`^${intent.id}_secret_[A-Za-z0-9]{24}$`));
    assert.equal(intent.status, 'requires_payment_method');
    assert.equal(intent.amount, 2000);
    assert.equal(intent.amount_received, 0);
    assert.equal(intent.capture_method, 'automatic_async');
    assert.deepEqual(intent.payment_method_types, ['card']);
    assert.deepEqual(intent.automatic_payment_methods, { allow_redirects: 'always', enabled: true });
    assert.equal(intent.customer, customer.id);
    assert.deepEqual(intent.metadata, { order: '17' });
    assert.equal(intent.latest_charge, null);
    assert.deepEqual(await stripe.paymentIntents.retrieve(intent.id), intent);
    assert.deepEqual(
      await stripe.paymentIntents.retrieve(intent.id, { client_secret: intent.client_secret! }),
      intent,
    );
    const wrong = await stripeError(
      stripe.paymentIntents.retrieve(intent.id, { client_secret: `${intent.id}_secret_nope` }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(wrong.param, 'client_secret');

    const missing = await stripeError(
      stripe.paymentIntents.confirm(intent.id),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.code, 'payment_intent_unexpected_state');

    const paid = await stripe.paymentIntents.confirm(intent.id, {
      payment_method: 'pm_card_visa',
      expand: ['latest_charge'],
    });
    assert.equal(paid.status, 'succeeded');
    assert.equal(paid.amount_received, 2000);
    const charge = paid.latest_charge as Stripe.Charge;
    assert.equal(charge.amount, 2000);
    assert.equal(charge.amount_captured, 2000);
    assert.equal(charge.captured, true);
    assert.equal(charge.paid, true);
    assert.equal(charge.status, 'succeeded');
    assert.equal(charge.payment_intent, intent.id);
    assert.equal(charge.customer, customer.id);
    assert.equal(charge.payment_method_details?.card?.last4, '4242');
    assert.deepEqual(await eventsFor(intent.id), ['payment_intent.created', 'payment_intent.succeeded']);
    assert.deepEqual(await eventsFor(charge.id), ['charge.succeeded']);

    const again = await stripeError(
      stripe.paymentIntents.confirm(intent.id, { payment_method: 'pm_card_visa' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(again.code, 'payment_intent_unexpected_state');
    assert.match(again.message, /status of succeeded/);
  });

  test('one-off charges with each kind of test card, confirmed at creation', async () => {
    const cases: {
      card: string;
      status: Stripe.PaymentIntent.Status;
      code?: string;
      decline?: string;
    }[] = [
      { card: 'pm_card_visa', status: 'succeeded' },
      { card: 'pm_card_mastercard', status: 'succeeded' },
      { card: 'pm_card_amex', status: 'succeeded' },
      {
        card: 'pm_card_chargeDeclined',
        status: 'requires_payment_method',
        code: 'card_declined',
        decline: 'generic_decline',
      },
      {
        card: 'pm_card_chargeDeclinedInsufficientFunds',
        status: 'requires_payment_method',
        code: 'card_declined',
        decline: 'insufficient_funds',
      },
      {
        card: 'pm_card_chargeDeclinedExpiredCard',
        status: 'requires_payment_method',
        code: 'expired_card',
        decline: 'expired_card',
      },
      {
        card: 'pm_card_chargeDeclinedIncorrectCvc',
        status: 'requires_payment_method',
        code: 'incorrect_cvc',
        decline: 'incorrect_cvc',
      },
      {
        card: 'pm_card_chargeDeclinedProcessingError',
        status: 'requires_payment_method',
        code: 'processing_error',
        decline: 'processing_error',
      },
      {
        card: 'pm_card_chargeCustomerFail',
        status: 'requires_payment_method',
        code: 'card_declined',
        decline: 'generic_decline',
      },
      {
        card: 'pm_card_riskLevelHighest',
        status: 'requires_payment_method',
        code: 'card_declined',
        decline: 'fraudulent',
      },
      { card: 'pm_card_threeDSecure2Required', status: 'requires_action' },
      { card: 'pm_card_authenticationRequired', status: 'requires_action' },
      { card: 'pm_card_threeDSecureOptional', status: 'succeeded' },
    ];
    for (const c of cases) {
      const params = { amount: 1234, currency: 'eur', confirm: true, payment_method: c.card };
      if (c.code) {
        const error = await stripeError(stripe.paymentIntents.create(params), E.StripeCardError, 402);
        assert.equal(error.code, c.code, c.card);
        assert.equal(error.decline_code, c.decline, c.card);
        const intent = intentOf(error);
        assert.equal(intent.status, 'requires_payment_method', c.card);
        assert.equal(intent.last_payment_error?.code, c.code, c.card);
        assert.equal(intent.last_payment_error?.decline_code, c.decline, c.card);
        assert.equal(intent.payment_method, null, c.card);
        const stored = await stripe.paymentIntents.retrieve(intent.id);
        assert.equal(stored.status, 'requires_payment_method', c.card);
        const charge = await stripe.charges.retrieve(stored.latest_charge as string);
        assert.equal(charge.status, 'failed', c.card);
        assert.equal(charge.amount, 1234, c.card);
        assert.equal(charge.amount_captured, 0, c.card);
        assert.equal(charge.failure_code, c.code, c.card);
        assert.deepEqual(await eventsFor(intent.id), [
          'payment_intent.created',
          'payment_intent.payment_failed',
        ]);
        assert.deepEqual(await eventsFor(charge.id), ['charge.failed']);
        continue;
      }
      const intent = await stripe.paymentIntents.create(params);
      assert.equal(intent.status, c.status, c.card);
      if (c.status === 'succeeded') {
        assert.equal(intent.amount_received, 1234, c.card);
        const charge = await stripe.charges.retrieve(intent.latest_charge as string);
        assert.deepEqual(
          [charge.amount, charge.amount_captured, charge.currency],
          [1234, 1234, 'eur'],
          c.card,
        );
      } else {
        assert.equal(intent.amount_received, 0, c.card);
        assert.equal(intent.latest_charge, null, c.card);
        assert.equal(intent.next_action?.type, 'use_stripe_sdk', c.card);
        assert.match(
          intent.next_action!.use_stripe_sdk!.stripe_js as unknown as string,
          new RegExp(`/p/3ds/${intent.client_secret}$`),
        );
        assert.deepEqual(await eventsFor(intent.id), [
          'payment_intent.created',
          'payment_intent.requires_action',
        ]);
      }
    }
  });

  test('3D Secure: passing the challenge pays, failing it asks for another card', async () => {
    const intent = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      confirm: true,
      payment_method: 'pm_card_threeDSecure2Required',
      return_url: 'https://shop.example/back',
    });
    assert.equal(intent.status, 'requires_action');
    assert.equal(intent.next_action?.type, 'redirect_to_url');
    assert.equal(intent.next_action?.redirect_to_url?.return_url, 'https://shop.example/back');
    assert.match(intent.next_action!.redirect_to_url!.url!, /\/p\/3ds\/pi_/);
    const passed = await completeAuthentication(stripe, intent.id, 'succeed');
    assert.equal(passed.status, 'succeeded');
    assert.equal(passed.amount_received, 5000);
    assert.equal(passed.next_action, null);

    const other = await stripe.paymentIntents.create({
      amount: 5000,
      currency: 'usd',
      confirm: true,
      payment_method: 'pm_card_threeDSecure2Required',
    });
    const failed = await completeAuthentication(stripe, other.id, 'fail');
    assert.equal(failed.status, 'requires_payment_method');
    assert.equal(failed.last_payment_error?.code, 'payment_intent_authentication_failure');
    assert.equal(failed.payment_method, null);
    assert.deepEqual(await eventsFor(other.id), [
      'payment_intent.created',
      'payment_intent.requires_action',
      'payment_intent.payment_failed',
    ]);
    const notWaiting = await stripeError(
      completeAuthentication(stripe, other.id, 'succeed'),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(notWaiting.code, 'payment_intent_unexpected_state');

    // Declined after authenticating: the issuer's refusal, as any decline.
    const declining = await stripe.paymentIntents.create({
      amount: 700,
      currency: 'usd',
      confirm: true,
      payment_method: 'pm_card_threeDSecureRequiredChargeDeclined',
    });
    assert.equal(declining.status, 'requires_action');
    const refused = await stripeError(
      completeAuthentication(stripe, declining.id, 'succeed'),
      E.StripeCardError,
      402,
    );
    assert.equal(refused.code, 'card_declined');
    assert.equal(intentOf(refused).status, 'requires_payment_method');

    // error_on_requires_action: no challenge, a failure.
    const strict = await stripeError(
      stripe.paymentIntents.create({
        amount: 700,
        currency: 'usd',
        confirm: true,
        payment_method: 'pm_card_threeDSecure2Required',
        error_on_requires_action: true,
      }),
      E.StripeCardError,
      402,
    );
    assert.equal(strict.code, 'authentication_required');
    assert.equal(intentOf(strict).status, 'requires_payment_method');
  });

  test('off-session payments and setup_future_usage', async () => {
    const customer = await stripe.customers.create({ name: 'Grace' });
    const offSessionOnly = await stripeError(
      stripe.paymentIntents.create({ amount: 1000, currency: 'usd', off_session: true }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(offSessionOnly.param, 'off_session');

    // An off-session payment on a card that wants authentication is refused.
    const refused = await stripeError(
      stripe.paymentIntents.create({
        amount: 1000,
        currency: 'usd',
        customer: customer.id,
        payment_method: 'pm_card_authenticationRequired',
        confirm: true,
        off_session: true,
      }),
      E.StripeCardError,
      402,
    );
    assert.equal(refused.code, 'authentication_required');

    // On session with setup_future_usage=off_session: authenticated once, then usable off session.
    const first = await stripe.paymentIntents.create({
      amount: 1500,
      currency: 'usd',
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredSetupForOffSession',
      setup_future_usage: 'off_session',
      confirm: true,
    });
    assert.equal(first.status, 'requires_action');
    assert.equal(first.setup_future_usage, 'off_session');
    const done = await completeAuthentication(stripe, first.id, 'succeed');
    assert.equal(done.status, 'succeeded');
    const card = await stripe.paymentMethods.retrieve(done.payment_method as string);
    assert.equal(card.customer, customer.id);
    const later = await stripe.paymentIntents.create({
      amount: 2500,
      currency: 'usd',
      customer: customer.id,
      payment_method: card.id,
      confirm: true,
      off_session: true,
    });
    assert.equal(later.status, 'succeeded');
    assert.equal(later.amount_received, 2500);
  });

  test('manual capture: full, partial, too much, and cancel of an authorization', async () => {
    const make = () =>
      stripe.paymentIntents.create({
        amount: 10_000,
        currency: 'usd',
        capture_method: 'manual',
        payment_method: 'pm_card_visa',
        confirm: true,
      });
    const full = await make();
    assert.equal(full.status, 'requires_capture');
    assert.equal(full.amount_capturable, 10_000);
    assert.equal(full.amount_received, 0);
    const held = await stripe.charges.retrieve(full.latest_charge as string);
    assert.deepEqual([held.captured, held.amount_captured, held.paid], [false, 0, true]);
    const captured = await stripe.paymentIntents.capture(full.id);
    assert.equal(captured.status, 'succeeded');
    assert.deepEqual([captured.amount_received, captured.amount_capturable], [10_000, 0]);
    const charge = await stripe.charges.retrieve(full.latest_charge as string);
    assert.deepEqual([charge.captured, charge.amount_captured, charge.amount_refunded], [true, 10_000, 0]);
    assert.deepEqual(await eventsFor(full.id), [
      'payment_intent.created',
      'payment_intent.amount_capturable_updated',
      'payment_intent.succeeded',
    ]);
    assert.deepEqual(await eventsFor(charge.id), ['charge.succeeded', 'charge.captured']);

    const partial = await make();
    const tooMuch = await stripeError(
      stripe.paymentIntents.capture(partial.id, { amount_to_capture: 10_001 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(tooMuch.code, 'amount_too_large');
    assert.equal(tooMuch.param, 'amount_to_capture');
    const part = await stripe.paymentIntents.capture(partial.id, { amount_to_capture: 6_000 });
    assert.deepEqual([part.status, part.amount_received, part.amount], ['succeeded', 6_000, 10_000]);
    const partCharge = await stripe.charges.retrieve(part.latest_charge as string);
    assert.deepEqual(
      [partCharge.amount_captured, partCharge.amount_refunded, partCharge.refunded],
      [6_000, 4_000, false],
    );
    const twice = await stripeError(
      stripe.paymentIntents.capture(partial.id),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(twice.code, 'payment_intent_unexpected_state');

    const released = await make();
    const canceled = await stripe.paymentIntents.cancel(released.id, { cancellation_reason: 'abandoned' });
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.cancellation_reason, 'abandoned');
    assert.equal(canceled.amount_capturable, 0);
    assert.ok(canceled.canceled_at);
    const releasedCharge = await stripe.charges.retrieve(released.latest_charge as string);
    assert.deepEqual([releasedCharge.refunded, releasedCharge.amount_refunded], [true, 10_000]);
  });

  test('cancel, update and Stripe validation rules', async () => {
    const intent = await stripe.paymentIntents.create({ amount: 800, currency: 'usd' });
    const updated = await stripe.paymentIntents.update(intent.id, {
      amount: 900,
      description: 'Bigger',
      metadata: { a: '1' },
      payment_method: 'pm_card_visa',
    });
    assert.deepEqual(
      [updated.amount, updated.description, updated.status],
      [900, 'Bigger', 'requires_confirmation'],
    );
    assert.deepEqual(updated.metadata, { a: '1' });
    const canceled = await stripe.paymentIntents.cancel(intent.id, { cancellation_reason: 'duplicate' });
    assert.equal(canceled.status, 'canceled');
    assert.deepEqual(await eventsFor(intent.id), ['payment_intent.created', 'payment_intent.canceled']);
    const cancelTwice = await stripeError(
      stripe.paymentIntents.cancel(intent.id),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(cancelTwice.code, 'payment_intent_unexpected_state');
    const amountAfter = await stripeError(
      stripe.paymentIntents.update(intent.id, { amount: 1000 }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(amountAfter.code, 'payment_intent_unexpected_state');
    // Metadata stays changeable.
    assert.deepEqual((await stripe.paymentIntents.update(intent.id, { metadata: { b: '2' } })).metadata, {
      a: '1',
      b: '2',
    });

    const small = await stripeError(
      stripe.paymentIntents.create({ amount: 49, currency: 'usd' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual(
      [small.code, small.param, small.message],
      ['amount_too_small', 'amount', 'Amount must be at least $0.50 usd'],
    );
    const smallGbp = await stripeError(
      stripe.paymentIntents.create({ amount: 29, currency: 'gbp' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(smallGbp.code, 'amount_too_small');
    assert.equal((await stripe.paymentIntents.create({ amount: 30, currency: 'gbp' })).amount, 30);
    const large = await stripeError(
      stripe.paymentIntents.create({ amount: 100_000_000, currency: 'usd' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual(
      [large.code, large.message],
      ['amount_too_large', 'Amount must be no more than $999,999.99'],
    );
    const types = await stripeError(
      stripe.paymentIntents.create({ amount: 800, currency: 'usd', allowed_payment_method_types: ['ideal'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(types.param, 'allowed_payment_method_types[0]');
    const returnUrl = await stripeError(
      stripe.paymentIntents.create({ amount: 800, currency: 'usd', return_url: 'https://x.example' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(returnUrl.param, 'return_url');
    const noCustomer = await stripeError(
      stripe.paymentIntents.create({ amount: 800, currency: 'usd', customer: 'cus_missing' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([noCustomer.code, noCustomer.param], ['resource_missing', 'customer']);
    const [first, second] = await Promise.all([
      stripe.customers.create({ name: 'First' }),
      stripe.customers.create({ name: 'Second' }),
    ]);
    const owned = await stripe.paymentIntents.create({ amount: 800, currency: 'usd', customer: first.id });
    const locked = await stripeError(
      stripe.paymentIntents.update(owned.id, { customer: second.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(locked.param, 'customer');
    assert.match(locked.message, /You cannot modify `customer` on a PaymentIntent/);
    const notFound = await stripeError(
      stripe.paymentIntents.retrieve('pi_missing'),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(notFound.code, 'resource_missing');
  });

  test('list by customer and search', async () => {
    const customer = await stripe.customers.create({ name: 'Lister' });
    const a = await stripe.paymentIntents.create({ amount: 1111, currency: 'usd', customer: customer.id });
    const b = await stripe.paymentIntents.create({
      amount: 2222,
      currency: 'usd',
      customer: customer.id,
      confirm: true,
      payment_method: 'pm_card_visa',
      metadata: { kind: 'found' },
    });
    const listed = await stripe.paymentIntents.list({ customer: customer.id });
    assert.deepEqual(
      listed.data.map((i) => i.id),
      [b.id, a.id],
    );
    const found = await stripe.paymentIntents.search({
      query: `customer:"${customer.id}" AND status:"succeeded"`,
    });
    assert.deepEqual(
      found.data.map((i) => i.id),
      [b.id],
    );
    const byAmount = await stripe.paymentIntents.search({
      query: 'amount>2000 AND metadata["kind"]:"found"',
    });
    assert.deepEqual(
      byAmount.data.map((i) => i.id),
      [b.id],
    );
    const charges = await stripe.charges.list({ payment_intent: b.id });
    assert.deepEqual(
      charges.data.map((c) => c.id),
      [b.latest_charge],
    );
  });

  test('restricted keys need rak_payment_intent permissions', async () => {
    const now = Math.floor(Date.now() / 1000);
    const scope = { accountId: server.app.boot.accountId, livemode: false };
    const reader = server.stripe(
      await createRestrictedKey(server.app.store.db, scope, now, { payment_intents: 'read' }),
    );
    const intent = await stripe.paymentIntents.create({ amount: 800, currency: 'usd' });
    assert.equal((await reader.paymentIntents.retrieve(intent.id)).id, intent.id);
    const denied = await stripeError(reader.paymentIntents.cancel(intent.id), E.StripePermissionError, 403);
    assert.match(denied.message, /rak_payment_intent_write/);
  });
});
