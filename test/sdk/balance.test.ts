import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey, createSecretKey } from '../../src/accounts/keys.ts';
import { clockCustomer, monthlyPrice } from '../scenarios/support.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('GET /v1/balance through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  const now = () => Math.floor(Date.now() / 1000);

  test('an account that has charged nothing has 0 in its default currency', async () => {
    const balance = await stripe.balance.retrieve();
    assert.equal(balance.object, 'balance');
    assert.equal(balance.livemode, false);
    assert.deepEqual(balance.available, [{ amount: 0, currency: 'usd', source_types: { card: 0 } }]);
    assert.deepEqual(balance.pending, [{ amount: 0, currency: 'usd', source_types: { card: 0 } }]);
  });

  test('succeeded charges are available at once, per currency; declined ones count for nothing', async () => {
    const usd = await monthlyPrice(stripe, 'Pro', 2500);
    const { customer } = await clockCustomer(stripe, now());
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: usd.id }] });
    const eurProduct = await stripe.products.create({ name: 'Euro plan' });
    const eur = await stripe.prices.create({
      product: eurProduct.id,
      currency: 'eur',
      unit_amount: 1200,
      recurring: { interval: 'month' },
    });
    const { customer: european } = await clockCustomer(stripe, now());
    await stripe.subscriptions.create({ customer: european.id, items: [{ price: eur.id }] });
    const { customer: declined } = await clockCustomer(stripe, now(), 'pm_card_chargeCustomerFail');
    await stripe.subscriptions.create({
      customer: declined.id,
      items: [{ price: usd.id }],
      payment_behavior: 'allow_incomplete',
    });

    const balance = await stripe.balance.retrieve();
    assert.deepEqual(balance.available, [
      { amount: 1200, currency: 'eur', source_types: { card: 1200 } },
      { amount: 2500, currency: 'usd', source_types: { card: 2500 } },
    ]);
    assert.deepEqual(
      balance.pending.map((p) => [p.currency, p.amount]),
      [
        ['eur', 0],
        ['usd', 0],
      ],
    );
  });

  test('each account and mode has its own balance; restricted keys need rak_balance_read', async () => {
    const db = server.app.store.db;
    const scope = { accountId: server.app.boot.accountId, livemode: true };
    const live = server.stripe(await createSecretKey(db, scope, now()));
    const liveBalance = await live.balance.retrieve();
    assert.equal(liveBalance.livemode, true);
    assert.deepEqual(liveBalance.available, [{ amount: 0, currency: 'usd', source_types: { card: 0 } }]);

    const test = { ...scope, livemode: false };
    const reader = server.stripe(await createRestrictedKey(db, test, now(), { balance: 'read' }));
    assert.equal((await reader.balance.retrieve()).object, 'balance');
    const other = server.stripe(await createRestrictedKey(db, test, now(), { customers: 'read' }));
    const denied = await stripeError(other.balance.retrieve(), E.StripePermissionError, 403);
    assert.match(denied.message, /rak_balance_read/);
  });
});
