import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey, createSecretKey } from '../../src/accounts/keys.ts';
import { PORTAL_LOCALES } from '../../src/billing/portal/sessions/locales.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { assertConforms } from '../support/openapi.ts';
import { startServer, type TestServer } from '../support/server.ts';

type SessionParams = Stripe.BillingPortal.SessionCreateParams;

describe('billing portal sessions through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  const clock = fixedClock(1_800_000_000);
  let customer: Stripe.Customer;
  let defaultConfig: Stripe.BillingPortal.Configuration;

  async function refused(params: SessionParams, param: string, code?: string) {
    const error = await stripeError(
      stripe.billingPortal.sessions.create(params),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.param, param, error.message);
    if (code) assert.equal(error.code, code, error.message);
    return error;
  }

  before(async () => {
    server = await startServer({ clock });
    stripe = server.stripe();
    customer = await stripe.customers.create({ email: 'jenny@example.com' });
  });
  after(() => server.close());

  test('without a default configuration, a session needs one, in Stripe words', async () => {
    const error = await refused({ customer: customer.id }, 'configuration');
    assert.match(
      error.message,
      /^No configuration provided and your test mode default configuration has not been created\./,
    );
    const live = server.stripe(
      await createSecretKey(
        server.app.store.db,
        { accountId: server.app.boot.accountId, livemode: true },
        clock.now(),
      ),
    );
    const liveCustomer = await live.customers.create({});
    const liveError = await stripeError(
      live.billingPortal.sessions.create({ customer: liveCustomer.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(liveError.message, /^No configuration provided and your live mode default configuration/);
    defaultConfig = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
      default_return_url: 'https://example.com/account',
    });
  });

  test('a session with the default configuration: every field, the URL and the event', async () => {
    const session = await stripe.billingPortal.sessions.create({ customer: customer.id });
    assertConforms('billing_portal.session', session);
    assert.match(session.id, /^bps_[A-Za-z0-9]{29}$/);
    assert.match(session.url, /^http:\/\/localhost:4242\/p\/session\/test_[A-Za-z0-9]{32}$/);
    assert.deepEqual(session, {
      id: session.id,
      object: 'billing_portal.session',
      after_expiration: null,
      configuration: defaultConfig.id,
      created: clock.now(),
      customer: customer.id,
      customer_account: null,
      flow: null,
      livemode: false,
      locale: null,
      on_behalf_of: null,
      return_url: 'https://example.com/account',
      url: session.url,
    });
    const other = await stripe.billingPortal.sessions.create({ customer: customer.id });
    assert.notEqual(other.url, session.url);

    const [event] = (await stripe.events.list({ type: 'billing_portal.session.created', limit: 1 })).data;
    const object = event!.data.object as Stripe.BillingPortal.Session;
    assert.equal(object.id, other.id);
    // The URL is a credential: the event carries it without its secret.
    assert.equal(object.url, 'http://localhost:4242/p/session/test_redacted');
    assert.deepEqual({ ...object, url: other.url }, other);

    // Neither the session's row nor any event holds the secret.
    const secret = session.url.split('/').pop()!;
    const rows = await server.app.store.db.selectFrom('billing_portal_sessions').selectAll().execute();
    const events = await server.app.store.db.selectFrom('events').select('data').execute();
    for (const text of [...rows.map((r) => JSON.stringify(r)), ...events.map((e) => e.data)]) {
      assert.ok(!text.includes(secret), 'the secret is stored');
    }
  });

  test('return_url: the request wins over the configuration, and must be an absolute http(s) URL', async () => {
    const own = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: 'https://example.com/here',
    });
    assert.equal(own.return_url, 'https://example.com/here');
    const bare = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
    });
    const none = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      configuration: bare.id,
    });
    assert.equal(none.return_url, null);
    assert.equal(none.configuration, bare.id);
    await refused({ customer: customer.id, return_url: '/account' }, 'return_url', 'url_invalid');
    await refused(
      { customer: customer.id, return_url: 'mailto:me@example.com' },
      'return_url',
      'url_invalid',
    );
  });

  test('the customer: required, existing, not deleted; customer_account is refused', async () => {
    await refused({}, 'customer', 'parameter_missing');
    const unknown = await refused({ customer: 'cus_nope' }, 'customer', 'resource_missing');
    assert.equal(unknown.message, "No such customer: 'cus_nope'");
    const gone = await stripe.customers.create({});
    await stripe.customers.del(gone.id);
    await refused({ customer: gone.id }, 'customer', 'resource_missing');
    const accounts = await refused(
      { customer: customer.id, customer_account: 'acct_123' },
      'customer_account',
    );
    assert.match(accounts.message, /Accounts v2/);
    await refused({ customer_account: 'acct_123' }, 'customer_account');
  });

  test('the configuration: existing and active', async () => {
    await refused({ customer: customer.id, configuration: 'bpc_nope' }, 'configuration', 'resource_missing');
    const spare = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
    });
    await stripe.billingPortal.configurations.update(spare.id, { active: false });
    const inactive = await refused({ customer: customer.id, configuration: spare.id }, 'configuration');
    assert.match(inactive.message, /inactive/);
  });

  test('expand[]=configuration gives the whole configuration', async () => {
    const session = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      expand: ['configuration'],
    });
    assertConforms('billing_portal.session', session);
    assert.deepEqual(
      session.configuration,
      await stripe.billingPortal.configurations.retrieve(defaultConfig.id),
    );
    const bad = await stripeError(
      stripe.billingPortal.sessions.create({ customer: customer.id, expand: ['customer'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(bad.message, /cannot be expanded/);
  });

  test('every one of the 47 locales is echoed; others are refused', async () => {
    assert.equal(PORTAL_LOCALES.length, 47);
    for (const locale of PORTAL_LOCALES) {
      const session = await stripe.billingPortal.sessions.create({ customer: customer.id, locale });
      assert.equal(session.locale, locale);
    }
    await refused({ customer: customer.id, locale: 'xx' as never }, 'locale');
    await refused({ customer: customer.id, locale: 'en-US' as never }, 'locale');
  });

  test('on_behalf_of names a connected account of the platform', async () => {
    const connected = await stripe.accounts.create({ type: 'custom' });
    const session = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      on_behalf_of: connected.id,
    });
    assert.equal(session.on_behalf_of, connected.id);
    await refused({ customer: customer.id, on_behalf_of: 'acct_nope' }, 'on_behalf_of', 'resource_missing');
    await refused(
      { customer: customer.id, on_behalf_of: server.app.boot.accountId },
      'on_behalf_of',
      'resource_missing',
    );
  });

  test('after_expiration: recovery by customer login, with or without a deadline in the future', async () => {
    const open = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      after_expiration: { type: 'customer_login' },
    });
    assert.deepEqual(open.after_expiration, { customer_login: { expires_at: null }, type: 'customer_login' });
    const deadline = clock.now() + 86_400;
    const dated = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      after_expiration: { type: 'customer_login', customer_login: { expires_at: deadline } },
    });
    assertConforms('billing_portal.session', dated);
    assert.deepEqual(dated.after_expiration, {
      customer_login: { expires_at: deadline },
      type: 'customer_login',
    });
    await refused(
      {
        customer: customer.id,
        after_expiration: { type: 'customer_login', customer_login: { expires_at: clock.now() } },
      },
      'after_expiration[customer_login][expires_at]',
    );
    await refused(
      { customer: customer.id, after_expiration: { type: 'email' as never } },
      'after_expiration[type]',
    );
  });

  test('unknown params and restricted keys', async () => {
    await refused({ customer: customer.id, theme: 'dark' } as never, 'theme', 'parameter_unknown');
    const key = await createRestrictedKey(
      server.app.store.db,
      { accountId: server.app.boot.accountId, livemode: false },
      clock.now(),
      { billing_portal: 'read', customers: 'write' },
    );
    const denied = await stripeError(
      server.stripe(key).billingPortal.sessions.create({ customer: customer.id }),
      E.StripePermissionError,
      403,
    );
    assert.match(denied.message, /'rak_billing_portal_write'/);
  });
});
