import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createSecretKey } from '../../src/accounts/keys.ts';
import { createPlatformAccount } from '../../src/accounts/service.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

const ids = (list: { id: string }[]) => list.map((o) => o.id);

async function allCustomers(stripe: Stripe, options?: Stripe.RequestOptions): Promise<Stripe.Customer[]> {
  return stripe.customers.list({ limit: 100 }, options).autoPagingToArray({ limit: 1000 });
}

async function allEvents(stripe: Stripe, options?: Stripe.RequestOptions): Promise<Stripe.Event[]> {
  return stripe.events.list({ limit: 100 }, options).autoPagingToArray({ limit: 1000 });
}

const objectId = (event: Stripe.Event) => (event.data.object as { id: string }).id;

describe('accounts and modes are isolated from each other', () => {
  let server: TestServer;
  /** The default account in test mode. */
  let test_: Stripe;
  /** The default account in live mode. */
  let live: Stripe;
  /** A second platform account, test mode. */
  let other: Stripe;
  let otherAccountId: string;

  before(async () => {
    server = await startServer();
    const now = Math.floor(Date.now() / 1000);
    const db = server.app.store.db;
    test_ = server.stripe();
    live = server.stripe(
      await createSecretKey(db, { accountId: server.app.boot.accountId, livemode: true }, now),
    );
    const account = await createPlatformAccount(db, now, 'Second platform');
    otherAccountId = account.id;
    other = server.stripe(await createSecretKey(db, { accountId: account.id, livemode: false }, now));
  });
  after(() => server.close());

  describe('platform accounts and modes', () => {
    const made = new Map<string, Stripe.Customer>();
    let clients: [string, Stripe][];

    before(async () => {
      clients = [
        ['test', test_],
        ['live', live],
        ['other', other],
      ];
      for (const [name, client] of clients) {
        made.set(name, await client.customers.create({ email: `${name}@example.com`, name }));
      }
    });

    test('each key sees only its own customers and events', async () => {
      assert.equal(made.get('test')!.livemode, false);
      assert.equal(made.get('live')!.livemode, true);
      assert.equal(made.get('other')!.livemode, false);
      for (const [name, client] of clients) {
        const own = made.get(name)!;
        assert.deepEqual(ids(await allCustomers(client)), [own.id], `${name} lists only its customer`);
        const events = await allEvents(client);
        assert.deepEqual(
          events.map((e) => [e.type, objectId(e)]),
          [['customer.created', own.id]],
          `${name} lists only its events`,
        );
        for (const e of events) assert.equal(e.livemode, own.livemode);
        // The other scopes' events cannot be fetched one by one either.
        for (const [otherName, otherClient] of clients) {
          if (otherName === name) continue;
          const error = await stripeError(
            otherClient.events.retrieve(events[0]!.id),
            E.StripeInvalidRequestError,
            404,
          );
          assert.equal(error.code, 'resource_missing');
        }
      }
    });

    test('retrieving, updating or deleting another scope’s customer is 404 and changes nothing', async () => {
      for (const [name, client] of clients) {
        for (const [ownerName, customer] of made) {
          if (ownerName === name) continue;
          for (const send of [
            () => client.customers.retrieve(customer.id),
            () => client.customers.update(customer.id, { name: 'hijacked' }),
            () => client.customers.del(customer.id),
          ]) {
            const error = await stripeError(send(), E.StripeInvalidRequestError, 404);
            assert.equal(error.code, 'resource_missing');
            assert.equal(error.param, 'id');
          }
        }
      }
      for (const [name, client] of clients) {
        const customer = made.get(name)!;
        assert.deepEqual(await client.customers.retrieve(customer.id), customer);
      }
    });

    test('a cross-mode miss says a similar object exists in the other mode; a cross-account miss does not', async () => {
      const liveCustomer = made.get('live')!;
      const testCustomer = made.get('test')!;
      const fromTest = await stripeError(
        test_.customers.retrieve(liveCustomer.id),
        E.StripeInvalidRequestError,
        404,
      );
      assert.equal(
        fromTest.message,
        `No such customer: '${liveCustomer.id}'; a similar object exists in live mode, but a test mode key was used to make this request.`,
      );
      const fromLive = await stripeError(
        live.customers.retrieve(testCustomer.id),
        E.StripeInvalidRequestError,
        404,
      );
      assert.equal(
        fromLive.message,
        `No such customer: '${testCustomer.id}'; a similar object exists in test mode, but a live mode key was used to make this request.`,
      );
      const fromOther = await stripeError(
        other.customers.retrieve(testCustomer.id),
        E.StripeInvalidRequestError,
        404,
      );
      assert.equal(fromOther.message, `No such customer: '${testCustomer.id}'`);
    });

    test('a customer of another scope is not a valid list cursor', async () => {
      const error = await stripeError(
        other.customers.list({ starting_after: made.get('test')!.id }),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(error.code, 'resource_missing');
      assert.equal(error.param, 'starting_after');
    });
  });

  describe('connected accounts (Stripe-Account)', () => {
    let connected: Stripe.Account;
    let second: Stripe.Account;
    let customer: Stripe.Customer;

    before(async () => {
      connected = await test_.accounts.create({
        type: 'custom',
        email: 'shop@example.com',
        business_profile: { name: 'The Shop' },
        settings: { branding: { primary_color: '#123456' } },
      });
      second = await test_.accounts.create({ type: 'custom', email: 'second@example.com' });
      customer = await test_.customers.create(
        { email: 'buyer@example.com' },
        { stripeAccount: connected.id },
      );
    });

    test('accounts.create returns the connected account as asked', () => {
      assert.match(connected.id, /^acct_[A-Za-z0-9]{16,}$/);
      assert.equal(connected.object, 'account');
      assert.equal(connected.type, 'custom');
      assert.equal(connected.email, 'shop@example.com');
      assert.equal(connected.business_profile?.name, 'The Shop');
      assert.equal(connected.settings?.branding.primary_color, '#123456');
      assert.notEqual(connected.id, server.app.boot.accountId);
    });

    test("a connected account's customers are invisible to the platform without the header", async () => {
      const error = await stripeError(
        test_.customers.retrieve(customer.id),
        E.StripeInvalidRequestError,
        404,
      );
      assert.equal(error.code, 'resource_missing');
      assert.ok(!ids(await allCustomers(test_)).includes(customer.id));
      assert.ok(!(await allEvents(test_)).some((e) => objectId(e) === customer.id));

      // Nor to another connected account of the same platform.
      await stripeError(
        test_.customers.retrieve(customer.id, {}, { stripeAccount: second.id }),
        E.StripeInvalidRequestError,
        404,
      );
      assert.deepEqual(await allCustomers(test_, { stripeAccount: second.id }), []);
    });

    test('with the header they are visible, and their events carry the account', async () => {
      const options = { stripeAccount: connected.id };
      const fetched = await test_.customers.retrieve(customer.id, {}, options);
      assert.equal(fetched.id, customer.id);
      assert.deepEqual(ids(await allCustomers(test_, options)), [customer.id]);

      const events = (await allEvents(test_, options)).filter((e) => e.type.startsWith('customer.'));
      assert.deepEqual(
        events.map((e) => [e.type, objectId(e)]),
        [['customer.created', customer.id]],
      );
      assert.equal(events[0]!.account, connected.id);

      // The platform's own events carry no account.
      const own = await test_.customers.create({ email: 'platform-buyer@example.com' });
      const platformEvent = (await allEvents(test_)).find((e) => objectId(e) === own.id)!;
      assert.equal(platformEvent.account, undefined);
    });

    test('other platforms and the other mode cannot act for the connected account (403)', async () => {
      for (const client of [other, live]) {
        const error = await stripeError(
          client.customers.list({}, { stripeAccount: connected.id }),
          E.StripePermissionError,
          403,
        );
        assert.ok(error.message.includes(connected.id));
      }
      const platformAsConnected = await stripeError(
        test_.customers.list({}, { stripeAccount: otherAccountId }),
        E.StripePermissionError,
        403,
      );
      assert.ok(platformAsConnected.message.includes(otherAccountId));
    });

    test('accounts.retrieve() with the header is the connected account; without it the platform', async () => {
      const current = await test_.accounts.retrieve(null, {}, { stripeAccount: connected.id });
      assert.equal(current.id, connected.id);
      assert.equal(current.email, 'shop@example.com');
      const platform = await test_.accounts.retrieve(null);
      assert.equal(platform.id, server.app.boot.accountId);
      const byId = await test_.accounts.retrieve(connected.id);
      assert.deepEqual(byId, connected);
    });

    test('accounts.list lists the connected accounts of this platform only', async () => {
      const list = await test_.accounts.list();
      assert.deepEqual(ids(list.data), [second.id, connected.id]);
      assert.equal(list.has_more, false);
      assert.deepEqual((await other.accounts.list()).data, []);
      assert.deepEqual((await live.accounts.list()).data, []);
    });

    test('accounts.update changes the branding and emits account.updated on the connected account', async () => {
      const updated = await test_.accounts.update(connected.id, {
        settings: { branding: { primary_color: '#abcdef' } },
      });
      assert.equal(updated.settings?.branding.primary_color, '#abcdef');
      const fetched = await test_.accounts.retrieve(connected.id);
      assert.equal(fetched.settings?.branding.primary_color, '#abcdef');
      assert.equal(fetched.business_profile?.name, 'The Shop');

      const events = await test_.events.list({ type: 'account.updated' }, { stripeAccount: connected.id });
      assert.equal(events.data.length, 1);
      const event = events.data[0]!;
      assert.equal(event.account, connected.id);
      assert.equal(event.request?.id, updated.lastResponse.requestId);
      const object = event.data.object as Stripe.Account;
      assert.equal(object.id, connected.id);
      assert.equal(object.settings?.branding.primary_color, '#abcdef');
      assert.deepEqual(event.data.previous_attributes, {
        settings: { branding: { primary_color: '#123456' } },
      });
    });

    test('after accounts.del the platform can no longer act for the account', async () => {
      // In use just before the deletion, as in a real integration.
      assert.equal((await allCustomers(test_, { stripeAccount: second.id })).length, 0);

      const deleted = await test_.accounts.del(second.id);
      assert.deepEqual(deleted, { id: second.id, object: 'account', deleted: true });
      assert.deepEqual(ids((await test_.accounts.list()).data), [connected.id]);

      const error = await stripeError(
        test_.customers.list({}, { stripeAccount: second.id }),
        E.StripePermissionError,
        403,
      );
      assert.ok(error.message.includes(second.id));
      await stripeError(
        test_.customers.create({ email: 'late@example.com' }, { stripeAccount: second.id }),
        E.StripePermissionError,
        403,
      );
    });
  });
});
