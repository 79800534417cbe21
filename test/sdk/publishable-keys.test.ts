import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { bootstrap } from '../../src/accounts/bootstrap.ts';
import { createSecretKey, publishableKey } from '../../src/accounts/keys.ts';
import { createPlatformAccount } from '../../src/accounts/service.ts';
import { systemClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { call, startServer, type TestServer, testConfig } from '../support/server.ts';

/** What Stripe.js sends to confirm with card details; the server SDK's types have no `card` here. */
type ConfirmWithCard = Stripe.SetupIntentConfirmParams & {
  client_secret?: string;
  payment_method_data?: { type: 'card'; card: { token?: string; number?: string } };
};

describe('publishable keys through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let browser: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    browser = server.stripe(server.app.boot.publishableKey);
  });
  after(() => server.close());

  test('the default account has one test publishable key, made on first start and kept', async () => {
    const key = server.app.boot.publishableKey;
    assert.match(key, /^pk_test_[A-Za-z0-9]{32}$/);
    const db = server.app.store.db;
    const scope = { accountId: server.app.boot.accountId, livemode: false };
    assert.equal(await publishableKey(db, scope, 0), key, 'asking again gives the same key');
    const again = await bootstrap(server.app.store, testConfig(server.store.url), systemClock);
    assert.equal(again.publishableKey, key, 'a later start prints the same key');
    const live = await publishableKey(db, { ...scope, livemode: true }, 0);
    assert.match(live, /^pk_live_[A-Za-z0-9]{32}$/);
    assert.equal(await publishableKey(db, { ...scope, livemode: true }, 0), live);
  });

  test('keys create --publishable prints the account’s key for the mode', () => {
    const run = (...args: string[]) =>
      spawnSync(process.execPath, ['--import', 'tsx', 'src/main.ts', 'keys', 'create', ...args], {
        env: { ...process.env, PORTICO_DATABASE_URL: server.store.url },
        encoding: 'utf8',
      });
    const test = run('--publishable');
    assert.equal(test.status, 0, test.stderr);
    assert.equal(test.stdout.trim(), server.app.boot.publishableKey);
    const live = run('--publishable', '--live');
    assert.equal(live.status, 0, live.stderr);
    assert.match(live.stdout.trim(), /^pk_live_[A-Za-z0-9]{32}$/);
    assert.equal(run('--publishable', '--live').stdout.trim(), live.stdout.trim());
    const both = run('--publishable', '--restricted', 'customers=read');
    assert.equal(both.status, 1);
    assert.match(both.stderr, /--publishable and --restricted cannot be used together/);
  });

  test('retrieving a SetupIntent with its client_secret answers the limited client shape', async () => {
    const customer = await stripe.customers.create({ name: 'Browser' });
    const intent = await stripe.setupIntents.create({ customer: customer.id, metadata: { a: 'b' } });
    const seen = await browser.setupIntents.retrieve(intent.id, { client_secret: intent.client_secret! });
    assert.equal(seen.id, intent.id);
    assert.equal(seen.status, 'requires_payment_method');
    assert.equal(seen.client_secret, intent.client_secret);
    assert.deepEqual(seen.payment_method_types, ['card']);
    for (const hidden of ['customer', 'metadata', 'payment_method_options', 'latest_attempt', 'mandate']) {
      assert.ok(!(hidden in seen), `${hidden} is not shown to a publishable key`);
    }
  });

  test('confirming with the client_secret and card details sets the card up for the customer', async () => {
    const customer = await stripe.customers.create({ name: 'Stripe.js' });
    const intent = await stripe.setupIntents.create({ customer: customer.id });
    const params: ConfirmWithCard = {
      client_secret: intent.client_secret!,
      payment_method_data: { type: 'card', card: { token: 'tok_visa' } },
    };
    const confirmed = await browser.setupIntents.confirm(intent.id, params);
    assert.equal(confirmed.status, 'succeeded');
    assert.ok(!('customer' in confirmed));
    const full = await stripe.setupIntents.retrieve(intent.id);
    assert.equal(full.status, 'succeeded');
    const pm = await stripe.paymentMethods.retrieve(String(full.payment_method));
    assert.equal(pm.customer, customer.id);
    assert.equal(pm.card?.last4, '4242');
    const events = (await stripe.events.list({ type: 'setup_intent.succeeded', limit: 5 })).data;
    assert.ok(events.some((e) => (e.data.object as Stripe.SetupIntent).id === intent.id));
  });

  test('a declined card: the error carries the SetupIntent in the client shape too', async () => {
    const customer = await stripe.customers.create({ name: 'Declined' });
    const intent = await stripe.setupIntents.create({ customer: customer.id, metadata: { k: 'v' } });
    const error = await stripeError(
      browser.setupIntents.confirm(intent.id, {
        client_secret: intent.client_secret!,
        payment_method_data: { type: 'card', card: { token: 'tok_chargeDeclined' } },
      } as ConfirmWithCard),
      E.StripeCardError,
      402,
    );
    assert.equal(error.code, 'card_declined');
    const carried = (error.raw as { setup_intent: Record<string, unknown> }).setup_intent;
    assert.equal(carried.id, intent.id);
    assert.equal(carried.status, 'requires_payment_method');
    assert.ok(!('customer' in carried) && !('metadata' in carried));
    assert.equal((await stripe.setupIntents.retrieve(intent.id)).last_setup_error?.code, 'card_declined');
  });

  test('without the client_secret, or with another one, nothing is shown or changed', async () => {
    const intent = await stripe.setupIntents.create({});
    const other = await stripe.setupIntents.create({});
    const missing = await stripeError(
      browser.setupIntents.retrieve(intent.id),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.code, 'parameter_missing');
    assert.equal(missing.param, 'client_secret');
    const wrong = await stripeError(
      browser.setupIntents.confirm(intent.id, {
        client_secret: other.client_secret!,
        payment_method: 'pm_card_visa',
      } as ConfirmWithCard),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(wrong.param, 'client_secret');
    assert.match(wrong.message, /does not match the client_secret associated with the SetupIntent/);
    assert.equal((await stripe.setupIntents.retrieve(intent.id)).status, 'requires_payment_method');
  });

  test('a PaymentIntent: retrieved and confirmed with its client_secret and card details, nothing else', async () => {
    const customer = await stripe.customers.create({ name: 'Checkout' });
    const intent = await stripe.paymentIntents.create({
      amount: 2599,
      currency: 'usd',
      customer: customer.id,
      metadata: { order: '42' },
    });
    const seen = await browser.paymentIntents.retrieve(intent.id, { client_secret: intent.client_secret! });
    assert.deepEqual([seen.id, seen.amount, seen.status], [intent.id, 2599, 'requires_payment_method']);
    assert.ok(!('customer' in seen) && !('metadata' in seen), 'the client shape hides the customer');
    const other = await stripe.paymentIntents.create({ amount: 100, currency: 'usd' });
    const wrong = await stripeError(
      browser.paymentIntents.confirm(intent.id, {
        client_secret: other.client_secret!,
        payment_method: 'pm_card_visa',
      } as Stripe.PaymentIntentConfirmParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(wrong.param, 'client_secret');
    const confirmed = await browser.paymentIntents.confirm(intent.id, {
      client_secret: intent.client_secret!,
      payment_method_data: { type: 'card', card: { token: 'tok_visa' } },
    } as Stripe.PaymentIntentConfirmParams);
    assert.equal(confirmed.status, 'succeeded');
    const full = await stripe.paymentIntents.retrieve(intent.id);
    assert.equal(full.status, 'succeeded');
    const charge = await stripe.charges.retrieve(String(full.latest_charge));
    assert.deepEqual(
      [charge.amount, charge.captured, charge.payment_method_details?.card?.last4],
      [2599, true, '4242'],
    );
    for (const attempt of [
      browser.paymentIntents.create({ amount: 100, currency: 'usd' }),
      browser.paymentIntents.capture(intent.id),
      browser.paymentIntents.cancel(other.id),
      browser.refunds.create({ payment_intent: intent.id }),
      browser.charges.list(),
    ]) {
      const error = await stripeError(attempt, E.StripeAuthenticationError, 401);
      assert.equal(error.code, 'secret_key_required');
    }
  });

  test('every other endpoint refuses a publishable key with secret_key_required', async () => {
    const intent = await stripe.setupIntents.create({});
    const attempts: [string, Promise<unknown>][] = [
      ['customers.list', browser.customers.list()],
      ['customers.create', browser.customers.create({ name: 'x' })],
      ['setupIntents.create', browser.setupIntents.create({})],
      ['setupIntents.list', browser.setupIntents.list()],
      ['setupIntents.update', browser.setupIntents.update(intent.id, { description: 'x' })],
      ['setupIntents.cancel', browser.setupIntents.cancel(intent.id)],
      ['paymentMethods.create', browser.paymentMethods.create({ type: 'card', card: { token: 'tok_visa' } })],
      ['balance.retrieve', browser.balance.retrieve()],
      ['plans.list', browser.plans.list()],
    ];
    for (const [name, attempt] of attempts) {
      const error = await stripeError(attempt, E.StripeAuthenticationError, 401);
      assert.equal(error.code, 'secret_key_required', name);
      assert.equal(
        error.message,
        'This API call cannot be made with a publishable API key. Please use a secret API key.',
      );
    }
    assert.equal((await stripe.setupIntents.retrieve(intent.id)).status, 'requires_payment_method');
    // Endpoints outside the API's route table too: the event stream and file contents.
    const key = server.app.boot.publishableKey;
    for (const path of ['/v1/portico/events/stream', '/v1/files/file_nope/contents']) {
      const response = await call(server, 'GET', path, { key });
      assert.equal(response.status, 401, path);
      assert.equal(response.json.error?.code, 'secret_key_required', path);
    }
  });

  test('a publishable key reaches only its own account and mode', async () => {
    const db = server.app.store.db;
    const now = Math.floor(Date.now() / 1000);
    const account = await createPlatformAccount(db, now, 'Other platform');
    const other = server.stripe(await createSecretKey(db, { accountId: account.id, livemode: false }, now));
    const intent = await other.setupIntents.create({});
    const error = await stripeError(
      browser.setupIntents.retrieve(intent.id, { client_secret: intent.client_secret! }),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(error.code, 'resource_missing');
    const unknown = await call(server, 'GET', '/v1/customers', { key: `pk_test_${'Z'.repeat(32)}` });
    assert.equal(unknown.status, 401);
    assert.equal(unknown.json.error?.code, 'api_key_invalid');
  });
});
