import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey, createSecretKey } from '../../src/accounts/keys.ts';
import { createPlatformAccount } from '../../src/accounts/service.ts';
import { loadPaymentMethod, processorCard } from '../../src/billing/payment-methods/store.ts';
import type { Ctx } from '../../src/core/context.ts';
import { processor } from '../../src/payments/index.ts';
import { E, type StripeError, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** Portico's test helper for a 3D Secure challenge (the SDK has no method for it). */
async function completeAuthentication(
  stripe: Stripe,
  id: string,
  outcome: 'succeed' | 'fail',
): Promise<Stripe.SetupIntent> {
  return (await stripe.rawRequest('POST', `/v1/test_helpers/setup_intents/${id}/complete_authentication`, {
    outcome,
  })) as Stripe.SetupIntent;
}

const rawOf = (error: StripeError) =>
  error.raw as { setup_intent?: Stripe.SetupIntent; payment_method?: object };

describe('SetupIntents through the official SDK', () => {
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

  test('a new SetupIntent: its defaults, its client secret, its event', async () => {
    const intent = await stripe.setupIntents.create({
      description: 'Save a card',
      metadata: { plan: 'pro' },
    });
    assert.match(intent.id, /^seti_[A-Za-z0-9]+$/);
    assert.match(intent.client_secret!, new RegExp(`^${intent.id}_secret_[A-Za-z0-9]{24}$`));
    assert.equal(intent.object, 'setup_intent');
    assert.equal(intent.status, 'requires_payment_method');
    assert.equal(intent.usage, 'off_session');
    assert.deepEqual(intent.payment_method_types, ['card']);
    assert.deepEqual(intent.automatic_payment_methods, { allow_redirects: 'always', enabled: true });
    assert.equal(intent.allowed_payment_method_types, null);
    assert.equal(intent.description, 'Save a card');
    assert.deepEqual(intent.metadata, { plan: 'pro' });
    for (const field of [
      'customer',
      'payment_method',
      'last_setup_error',
      'next_action',
      'cancellation_reason',
      'latest_attempt',
      'mandate',
      'application',
      'on_behalf_of',
    ] as const) {
      assert.equal(intent[field], null, field);
    }
    assert.equal(intent.payment_method_options?.card?.request_three_d_secure, 'automatic');
    assert.deepEqual(await stripe.setupIntents.retrieve(intent.id), intent);
    assert.deepEqual(
      await stripe.setupIntents.retrieve(intent.id, { client_secret: intent.client_secret! }),
      intent,
    );
    const wrong = await stripeError(
      stripe.setupIntents.retrieve(intent.id, { client_secret: `${intent.id}_secret_wrong` }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(wrong.param, 'client_secret');
    assert.deepEqual(await eventsFor(intent.id), ['setup_intent.created']);
  });

  test('confirming saves the card to the customer: succeeded, attached, events', async () => {
    const customer = await stripe.customers.create();
    const intent = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_visa',
    });
    assert.equal(intent.status, 'requires_confirmation');
    const pmId = intent.payment_method as string;
    assert.match(pmId, /^pm_[A-Za-z0-9]{20,}$/);
    const confirmed = await stripe.setupIntents.confirm(intent.id);
    assert.equal(confirmed.status, 'succeeded');
    assert.equal(confirmed.payment_method, pmId);
    assert.equal(confirmed.next_action, null);
    assert.equal((await stripe.paymentMethods.retrieve(pmId)).customer, customer.id);
    assert.deepEqual(await eventsFor(intent.id), ['setup_intent.created', 'setup_intent.succeeded']);
    assert.deepEqual(await eventsFor(pmId), ['payment_method.attached']);
    const again = await stripeError(stripe.setupIntents.confirm(intent.id), E.StripeInvalidRequestError, 400);
    assert.equal(again.code, 'setup_intent_unexpected_state');

    // In one call, with confirm=true.
    const direct = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_mastercard',
      confirm: true,
    });
    assert.equal(direct.status, 'succeeded');
    const cards = await stripe.customers.listPaymentMethods(customer.id);
    assert.deepEqual(
      cards.data.map((p) => p.id),
      [direct.payment_method, pmId],
    );
    // Without a customer the card is set up but belongs to no one.
    const loose = await stripe.setupIntents.create({ payment_method: 'pm_card_visa', confirm: true });
    assert.equal(loose.status, 'succeeded');
    assert.equal((await stripe.paymentMethods.retrieve(loose.payment_method as string)).customer, null);
  });

  test('every test card through a SetupIntent confirmation', async () => {
    const customer = await stripe.customers.create();
    const declines: [string, string, string, string?][] = [
      ['pm_card_chargeDeclined', 'card_declined', 'generic_decline'],
      ['pm_card_chargeDeclinedInsufficientFunds', 'card_declined', 'insufficient_funds'],
      ['pm_card_visa_chargeDeclinedLostCard', 'card_declined', 'lost_card'],
      ['pm_card_visa_chargeDeclinedStolenCard', 'card_declined', 'stolen_card'],
      ['pm_card_chargeDeclinedFraudulent', 'card_declined', 'fraudulent'],
      ['pm_card_chargeDeclinedExpiredCard', 'expired_card', 'expired_card', 'exp_month'],
      ['pm_card_chargeDeclinedIncorrectCvc', 'incorrect_cvc', 'incorrect_cvc', 'cvc'],
      ['pm_card_chargeDeclinedProcessingError', 'processing_error', 'processing_error'],
    ];
    for (const [card, code, declineCode, param] of declines) {
      const intent = await stripe.setupIntents.create({ customer: customer.id, payment_method: card });
      const error = await stripeError(stripe.setupIntents.confirm(intent.id), E.StripeCardError, 402);
      assert.deepEqual([error.code, error.decline_code, error.param], [code, declineCode, param], card);
      const inError = rawOf(error).setup_intent!;
      assert.equal(inError.id, intent.id);
      assert.equal(inError.status, 'requires_payment_method');
      const kept = await stripe.setupIntents.retrieve(intent.id);
      assert.deepEqual(kept, inError);
      assert.equal(kept.payment_method, null);
      assert.equal(kept.last_setup_error?.type, 'card_error');
      assert.equal(kept.last_setup_error?.code, code);
      assert.equal(kept.last_setup_error?.decline_code, declineCode);
      assert.equal(kept.last_setup_error?.payment_method?.id, intent.payment_method);
      assert.deepEqual(await eventsFor(intent.id), ['setup_intent.created', 'setup_intent.setup_failed']);
    }
    assert.deepEqual((await stripe.customers.listPaymentMethods(customer.id)).data, []);

    const succeeding = [
      'pm_card_visa',
      'pm_card_chargeCustomerFail',
      'pm_card_authenticationRequiredSetupForOffSession',
    ];
    for (const card of succeeding) {
      const intent = await stripe.setupIntents.create({
        customer: customer.id,
        payment_method: card,
        confirm: true,
      });
      assert.equal(intent.status, 'succeeded', card);
    }
    const challenged = [
      'pm_card_authenticationRequired',
      'pm_card_authenticationRequiredOnSetup',
      'pm_card_threeDSecure2Required',
      'pm_card_threeDSecureRequired',
      'pm_card_authenticationRequiredChargeDeclinedInsufficientFunds',
    ];
    for (const card of challenged) {
      const intent = await stripe.setupIntents.create({
        customer: customer.id,
        payment_method: card,
        confirm: true,
      });
      assert.equal(intent.status, 'requires_action', card);
      // Without a return_url, Stripe.js is to open the hosted challenge page.
      assert.equal(intent.next_action?.type, 'use_stripe_sdk');
      assert.deepEqual(intent.next_action?.use_stripe_sdk, {
        type: 'three_d_secure_redirect',
        stripe_js: `http://localhost:4242/p/3ds/${intent.client_secret}`,
      });
      assert.deepEqual(await eventsFor(intent.id), ['setup_intent.created', 'setup_intent.requires_action']);
    }
    assert.equal((await stripe.customers.listPaymentMethods(customer.id)).data.length, succeeding.length);
  });

  test('confirm=true on create with a declined card: 402, and the SetupIntent is kept', async () => {
    const error = await stripeError(
      stripe.setupIntents.create({ payment_method: 'pm_card_chargeDeclined', confirm: true }),
      E.StripeCardError,
      402,
    );
    const kept = rawOf(error).setup_intent!;
    assert.equal((await stripe.setupIntents.retrieve(kept.id)).status, 'requires_payment_method');
    assert.deepEqual(await eventsFor(kept.id), ['setup_intent.created', 'setup_intent.setup_failed']);
    // Another card then succeeds on the same SetupIntent.
    const retried = await stripe.setupIntents.confirm(kept.id, { payment_method: 'pm_card_visa' });
    assert.equal(retried.status, 'succeeded');
    assert.equal(retried.last_setup_error, null);
  });

  test('3D Secure: the test helper passes or fails the challenge', async () => {
    const customer = await stripe.customers.create();
    const intent = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequired',
      confirm: true,
      return_url: 'https://shop.example/return',
    });
    assert.equal(intent.status, 'requires_action');
    assert.deepEqual(intent.next_action, {
      type: 'redirect_to_url',
      redirect_to_url: {
        return_url: 'https://shop.example/return',
        url: `http://localhost:4242/p/3ds/${intent.client_secret}`,
      },
    });
    assert.deepEqual((await stripe.customers.listPaymentMethods(customer.id)).data, []);
    const passed = await completeAuthentication(stripe, intent.id, 'succeed');
    assert.equal(passed.status, 'succeeded');
    assert.equal(passed.next_action, null);
    assert.deepEqual(
      (await stripe.customers.listPaymentMethods(customer.id)).data.map((p) => p.id),
      [intent.payment_method],
    );
    assert.deepEqual(await eventsFor(intent.id), [
      'setup_intent.created',
      'setup_intent.requires_action',
      'setup_intent.succeeded',
    ]);

    const failing = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_threeDSecure2Required',
      confirm: true,
    });
    const failed = await completeAuthentication(stripe, failing.id, 'fail');
    assert.equal(failed.status, 'requires_payment_method');
    assert.equal(failed.payment_method, null);
    assert.equal(failed.last_setup_error?.code, 'setup_intent_authentication_failure');
    assert.equal(failed.last_setup_error?.type, 'invalid_request_error');
    assert.equal(failed.last_setup_error?.payment_method?.id, failing.payment_method);
    assert.deepEqual(await eventsFor(failing.id), [
      'setup_intent.created',
      'setup_intent.requires_action',
      'setup_intent.setup_failed',
    ]);
    assert.equal((await stripe.customers.listPaymentMethods(customer.id)).data.length, 1);

    const notWaiting = await stripeError(
      completeAuthentication(stripe, failing.id, 'succeed'),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(notWaiting.code, 'setup_intent_unexpected_state');
    const badOutcome = await stripeError(
      stripe.rawRequest('POST', `/v1/test_helpers/setup_intents/${failing.id}/complete_authentication`, {
        outcome: 'maybe',
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(badOutcome.param, 'outcome');

    // A challenge asked for by the caller, on a card that would not need one.
    const asked = await stripe.setupIntents.create({
      payment_method: 'pm_card_visa',
      payment_method_options: { card: { request_three_d_secure: 'any' } },
      confirm: true,
    });
    assert.equal(asked.status, 'requires_action');
    assert.equal(asked.payment_method_options?.card?.request_three_d_secure, 'any');
    assert.equal((await completeAuthentication(stripe, asked.id, 'succeed')).status, 'succeeded');
  });

  test('a card set up off-session through a SetupIntent pays off-session; attached directly it does not', async () => {
    const customer = await stripe.customers.create();
    const intent = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      confirm: true,
    });
    await completeAuthentication(stripe, intent.id, 'succeed');
    const direct = await stripe.paymentMethods.attach('pm_card_authenticationRequiredOnSetup', {
      customer: customer.id,
    });
    // What the invoice engine asks the processor when it renews without the customer present.
    const ctx = {
      db: server.app.store.db,
      scope: { accountId: server.app.boot.accountId, livemode: false },
    } as Ctx;
    const renew = async (id: string) => {
      const stored = await loadPaymentMethod(ctx, id);
      const request = { amount: 1000, currency: 'usd', offSession: true, authenticated: false };
      return processor.charge(processorCard(stored!), request).outcome;
    };
    assert.equal(await renew(intent.payment_method as string), 'approved');
    assert.equal(await renew(direct.id), 'declined');
  });

  test('update, cancel and list', async () => {
    const customer = await stripe.customers.create();
    const intent = await stripe.setupIntents.create({ usage: 'on_session' });
    assert.equal(intent.usage, 'on_session');
    const updated = await stripe.setupIntents.update(intent.id, {
      customer: customer.id,
      description: 'Portal card',
      metadata: { source: 'portal' },
      payment_method: 'pm_card_amex',
    });
    assert.equal(updated.customer, customer.id);
    assert.equal(updated.description, 'Portal card');
    assert.deepEqual(updated.metadata, { source: 'portal' });
    assert.equal(updated.status, 'requires_confirmation');
    assert.equal(
      (await stripe.paymentMethods.retrieve(updated.payment_method as string)).card!.brand,
      'amex',
    );
    const cleared = await stripe.setupIntents.update(intent.id, { metadata: '' });
    assert.deepEqual(cleared.metadata, {});

    const canceled = await stripe.setupIntents.cancel(intent.id, { cancellation_reason: 'abandoned' });
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.cancellation_reason, 'abandoned');
    // Each call is made only when awaited: a refusal must never wait unhandled for its turn.
    for (const call of [
      () => stripe.setupIntents.cancel(intent.id),
      () => stripe.setupIntents.confirm(intent.id),
      () => stripe.setupIntents.update(intent.id, { description: 'x' }),
    ]) {
      const error = await stripeError(call(), E.StripeInvalidRequestError, 400);
      assert.equal(error.code, 'setup_intent_unexpected_state');
      assert.equal(rawOf(error).setup_intent?.status, 'canceled');
    }
    assert.deepEqual(await eventsFor(intent.id), ['setup_intent.created', 'setup_intent.canceled']);

    const second = await stripe.setupIntents.create({
      customer: customer.id,
      payment_method: 'pm_card_visa',
      confirm: true,
    });
    const byCustomer = await stripe.setupIntents.list({ customer: customer.id });
    assert.deepEqual(
      byCustomer.data.map((s) => s.id),
      [second.id, intent.id],
    );
    const byCard = await stripe.setupIntents.list({ payment_method: second.payment_method as string });
    assert.deepEqual(
      byCard.data.map((s) => s.id),
      [second.id],
    );
    const page = await stripe.setupIntents.list({ limit: 1, customer: customer.id });
    assert.equal(page.has_more, true);
    assert.equal(page.url, '/v1/setup_intents');
    const future = await stripe.setupIntents.list({ created: { gt: second.created + 1000 } });
    assert.deepEqual(future.data, []);
    const expanded = await stripe.setupIntents.retrieve(second.id, {
      expand: ['payment_method', 'customer'],
    });
    assert.equal((expanded.payment_method as Stripe.PaymentMethod).customer, customer.id);
    assert.equal((expanded.customer as Stripe.Customer).id, customer.id);
  });

  test('payment method types: allowed_payment_method_types, the older name, and refusals', async () => {
    const allowed = await stripe.setupIntents.create({ allowed_payment_method_types: ['card'] });
    assert.deepEqual(allowed.allowed_payment_method_types, ['card']);
    assert.deepEqual(allowed.payment_method_types, ['card']);
    assert.equal(allowed.automatic_payment_methods, null);
    const older = await stripe.setupIntents.create({
      payment_method_types: ['card'],
    } as Stripe.SetupIntentCreateParams);
    assert.deepEqual(older.payment_method_types, ['card']);
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ allowed_payment_method_types: ['sepa_debit'] }, 'allowed_payment_method_types[0]'],
      [
        { allowed_payment_method_types: ['card'], payment_method_types: ['card'] },
        'allowed_payment_method_types',
        'parameters_exclusive',
      ],
      [
        { allowed_payment_method_types: ['card'], automatic_payment_methods: { enabled: true } },
        'automatic_payment_methods',
        'parameters_exclusive',
      ],
    ];
    for (const [params, param, code] of cases) {
      const error = await stripeError(
        stripe.setupIntents.create(params as Stripe.SetupIntentCreateParams),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(error.param, param, JSON.stringify(params));
      if (code) assert.equal(error.code, code);
    }
  });

  test('bad input and refusals, each with its param; nothing written', async () => {
    const customer = await stripe.customers.create();
    const other = await stripe.customers.create({ payment_method: 'pm_card_visa' });
    const othersCard = (await stripe.customers.listPaymentMethods(other.id)).data[0]!.id;
    const before = (await stripe.setupIntents.list({ limit: 100 })).data.length;
    const cases: [Record<string, unknown>, string, string?][] = [
      [{ usage: 'sometimes' }, 'usage'],
      [{ confirm: 'yes' }, 'confirm'],
      [{ colour: 'red' }, 'colour', 'parameter_unknown'],
      [{ customer: 'cus_missing' }, 'customer', 'resource_missing'],
      [{ payment_method: 'pm_missing' }, 'payment_method', 'resource_missing'],
      [{ customer: customer.id, payment_method: othersCard }, 'payment_method'],
      [{ payment_method: othersCard }, 'payment_method'],
      [{ return_url: 'https://example.com' }, 'return_url'],
      [
        { payment_method: 'pm_card_visa', confirm: true, return_url: 'not a url' },
        'return_url',
        'url_invalid',
      ],
      [{ confirm: true }, 'payment_method', 'setup_intent_unexpected_state'],
      [
        { payment_method_options: { card: { request_three_d_secure: 'always' } } },
        'payment_method_options[card][request_three_d_secure]',
      ],
    ];
    for (const [params, param, code] of cases) {
      const error = await stripeError(
        stripe.setupIntents.create(params as Stripe.SetupIntentCreateParams),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(error.param, param, JSON.stringify(params));
      if (code) assert.equal(error.code, code, JSON.stringify(params));
    }
    assert.equal((await stripe.setupIntents.list({ limit: 100 })).data.length, before);
    const missing = await stripeError(
      stripe.setupIntents.retrieve('seti_missing'),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(missing.code, 'resource_missing');
    const open = await stripe.setupIntents.create();
    const noCard = await stripeError(stripe.setupIntents.confirm(open.id), E.StripeInvalidRequestError, 400);
    assert.equal(noCard.code, 'setup_intent_unexpected_state');
  });

  test('a declined confirmation replayed with its Idempotency-Key: the same 402, recorded once', async () => {
    const intent = await stripe.setupIntents.create({ payment_method: 'pm_card_chargeDeclined' });
    const key = `confirm-${intent.id}`;
    const first = await stripeError(
      stripe.setupIntents.confirm(intent.id, {}, { idempotencyKey: key }),
      E.StripeCardError,
      402,
    );
    const replay = await stripeError(
      stripe.setupIntents.confirm(intent.id, {}, { idempotencyKey: key }),
      E.StripeCardError,
      402,
    );
    const body = (error: StripeError) => {
      const { headers: _headers, requestId: _requestId, ...rest } = error.raw as Record<string, unknown>;
      return rest;
    };
    assert.deepEqual(body(replay), body(first));
    assert.equal(replay.headers?.['idempotent-replayed'], 'true');
    assert.deepEqual(await eventsFor(intent.id), ['setup_intent.created', 'setup_intent.setup_failed']);
  });
});

describe('SetupIntents: accounts, modes and keys', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test("another account's key can neither see nor confirm a SetupIntent, nor use its cards", async () => {
    const now = Math.floor(Date.now() / 1000);
    const db = server.app.store.db;
    const account = await createPlatformAccount(db, now, 'Other platform');
    const other = server.stripe(await createSecretKey(db, { accountId: account.id, livemode: false }, now));
    const intent = await stripe.setupIntents.create({ payment_method: 'pm_card_visa' });
    await stripeError(other.setupIntents.retrieve(intent.id), E.StripeInvalidRequestError, 404);
    await stripeError(other.setupIntents.confirm(intent.id), E.StripeInvalidRequestError, 404);
    await stripeError(other.setupIntents.cancel(intent.id), E.StripeInvalidRequestError, 404);
    assert.deepEqual((await other.setupIntents.list()).data, []);
    const theirs = await other.setupIntents.create();
    const card = await stripeError(
      other.setupIntents.confirm(theirs.id, { payment_method: intent.payment_method as string }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([card.code, card.param], ['resource_missing', 'payment_method']);
    const live = server.stripe(
      await createSecretKey(db, { accountId: server.app.boot.accountId, livemode: true }, now),
    );
    const liveIntent = await live.setupIntents.create();
    const helper = await stripeError(
      completeAuthentication(live, liveIntent.id, 'succeed'),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(helper.code, 'livemode_mismatch');
  });

  test('restricted keys need rak_setup_intent permissions', async () => {
    const now = Math.floor(Date.now() / 1000);
    const scope = { accountId: server.app.boot.accountId, livemode: false };
    const reader = server.stripe(
      await createRestrictedKey(server.app.store.db, scope, now, { setup_intents: 'read' }),
    );
    const intent = await stripe.setupIntents.create();
    assert.equal((await reader.setupIntents.retrieve(intent.id)).id, intent.id);
    const denied = await stripeError(reader.setupIntents.cancel(intent.id), E.StripePermissionError, 403);
    assert.match(denied.message, /rak_setup_intent_write/);
  });
});
