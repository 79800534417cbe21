import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createSecretKey } from '../../src/accounts/keys.ts';
import { createPlatformAccount } from '../../src/accounts/service.ts';
import { API_VERSION } from '../../src/core/version.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { fastWebhooks } from '../support/webhooks.ts';

const ids = (list: { id: string }[]) => list.map((o) => o.id);

describe('webhook endpoints API', () => {
  let server: TestServer;
  let stripe: Stripe;
  let live: Stripe;
  let other: Stripe;
  let otherAccountId: string;

  before(async () => {
    server = await startServer({ config: { webhooks: fastWebhooks() } });
    stripe = server.stripe();
    const now = Math.floor(Date.now() / 1000);
    const db = server.app.store.db;
    live = server.stripe(
      await createSecretKey(db, { accountId: server.app.boot.accountId, livemode: true }, now),
    );
    const account = await createPlatformAccount(db, now, 'Other platform');
    otherAccountId = account.id;
    other = server.stripe(await createSecretKey(db, { accountId: account.id, livemode: false }, now));
  });
  after(() => server.close());

  test('create returns every field given, and the signing secret once', async () => {
    const endpoint = await stripe.webhookEndpoints.create({
      url: 'https://example.com/hooks/stripe?x=1',
      enabled_events: ['customer.created', 'customer.updated'],
      description: 'Production receiver',
      metadata: { team: 'billing', region: 'eu' },
      api_version: API_VERSION as Stripe.WebhookEndpointCreateParams.ApiVersion,
    });
    assert.match(endpoint.id, /^we_[A-Za-z0-9]+$/);
    assert.equal(endpoint.object, 'webhook_endpoint');
    assert.equal(endpoint.url, 'https://example.com/hooks/stripe?x=1');
    assert.deepEqual(endpoint.enabled_events, ['customer.created', 'customer.updated']);
    assert.equal(endpoint.description, 'Production receiver');
    assert.deepEqual(endpoint.metadata, { team: 'billing', region: 'eu' });
    assert.equal(endpoint.api_version, API_VERSION);
    assert.equal(endpoint.status, 'enabled');
    assert.equal(endpoint.livemode, false);
    assert.equal(endpoint.application, null);
    assert.equal(typeof endpoint.created, 'number');
    assert.ok(Math.abs(endpoint.created - Date.now() / 1000) < 120, 'created is now, in unix seconds');
    assert.match(endpoint.secret!, /^whsec_[A-Za-z0-9]{20,}$/);

    const retrieved = await stripe.webhookEndpoints.retrieve(endpoint.id);
    assert.equal(retrieved.secret, undefined, 'retrieve never shows the secret');
    const { secret: _secret, ...withoutSecret } = endpoint;
    assert.deepEqual({ ...retrieved }, { ...withoutSecret });

    const listed = await stripe.webhookEndpoints.list({ limit: 100 });
    const inList = listed.data.find((e) => e.id === endpoint.id);
    assert.ok(inList, 'the endpoint is listed');
    assert.equal(inList.secret, undefined, 'list never shows the secret');
    assert.ok(!JSON.stringify(listed).includes(endpoint.secret!), 'the secret appears nowhere in the list');
  });

  test('create with `*` and connect: true; defaults for the optional fields', async () => {
    const all = await stripe.webhookEndpoints.create({
      url: 'http://127.0.0.1:9/all',
      enabled_events: ['*'],
    });
    assert.deepEqual(all.enabled_events, ['*']);
    assert.equal(all.description, null);
    assert.deepEqual(all.metadata, {});
    assert.equal(all.api_version, null);
    const connect = await stripe.webhookEndpoints.create({
      url: 'https://example.com/connect',
      enabled_events: ['account.updated'],
      connect: true,
    });
    assert.equal(connect.status, 'enabled');
    assert.match(connect.secret!, /^whsec_/);
    assert.notEqual(connect.secret, all.secret, 'each endpoint has its own secret');
  });

  test('update url, enabled_events, description, metadata; the secret stays hidden', async () => {
    const endpoint = await stripe.webhookEndpoints.create({
      url: 'https://example.com/a',
      enabled_events: ['customer.created'],
      description: 'first',
      metadata: { keep: '1', drop: '2' },
    });
    const updated = await stripe.webhookEndpoints.update(endpoint.id, {
      url: 'https://example.com/b',
      enabled_events: ['customer.updated', 'customer.deleted'],
      description: 'second',
      metadata: { drop: '', added: '3' },
    });
    assert.equal(updated.id, endpoint.id);
    assert.equal(updated.url, 'https://example.com/b');
    assert.deepEqual(updated.enabled_events, ['customer.updated', 'customer.deleted']);
    assert.equal(updated.description, 'second');
    assert.deepEqual(updated.metadata, { keep: '1', added: '3' }, 'an empty value removes a metadata key');
    assert.equal(updated.secret, undefined, 'update never shows the secret');
    assert.deepEqual(await stripe.webhookEndpoints.retrieve(endpoint.id), updated);

    const cleared = await stripe.webhookEndpoints.update(endpoint.id, { description: '' });
    assert.equal(cleared.description, null, 'an empty description clears it');
    assert.equal(cleared.url, 'https://example.com/b', 'what is not sent is kept');
  });

  test('disabled: true and false switch the status', async () => {
    const endpoint = await stripe.webhookEndpoints.create({
      url: 'https://example.com/toggle',
      enabled_events: ['*'],
    });
    const disabled = await stripe.webhookEndpoints.update(endpoint.id, { disabled: true });
    assert.equal(disabled.status, 'disabled');
    assert.equal((await stripe.webhookEndpoints.retrieve(endpoint.id)).status, 'disabled');
    const listed = await stripe.webhookEndpoints.list({ limit: 100 });
    assert.equal(listed.data.find((e) => e.id === endpoint.id)?.status, 'disabled');
    const enabled = await stripe.webhookEndpoints.update(endpoint.id, { disabled: false });
    assert.equal(enabled.status, 'enabled');
    assert.equal((await stripe.webhookEndpoints.retrieve(endpoint.id)).status, 'enabled');
  });

  test('delete answers the deleted shape; afterwards the endpoint is gone everywhere', async () => {
    const endpoint = await stripe.webhookEndpoints.create({
      url: 'https://example.com/bye',
      enabled_events: ['*'],
    });
    const deleted = await stripe.webhookEndpoints.del(endpoint.id);
    assert.deepEqual({ ...deleted }, { id: endpoint.id, object: 'webhook_endpoint', deleted: true });

    const missing = await stripeError(
      stripe.webhookEndpoints.retrieve(endpoint.id),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(missing.code, 'resource_missing');
    assert.equal(missing.param, 'id');
    assert.match(missing.message, new RegExp(endpoint.id));
    const again = await stripeError(
      stripe.webhookEndpoints.del(endpoint.id),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(again.code, 'resource_missing');
    const update = await stripeError(
      stripe.webhookEndpoints.update(endpoint.id, { description: 'x' }),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(update.code, 'resource_missing');
    const listed = await stripe.webhookEndpoints.list({ limit: 100 });
    assert.ok(!ids(listed.data).includes(endpoint.id), 'a deleted endpoint is not listed');
  });

  test('retrieving an id that never existed: 404 resource_missing', async () => {
    const error = await stripeError(
      stripe.webhookEndpoints.retrieve('we_doesnotexist'),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(error.code, 'resource_missing');
    assert.equal(error.type, 'StripeInvalidRequestError');
  });

  describe('bad input answers Stripe-shaped 400s', () => {
    for (const url of ['ftp://x', 'http://user:pass@host/', 'not a url', 'https://user@example.com/x']) {
      test(`url ${JSON.stringify(url)} is url_invalid on create and on update`, async () => {
        const error = await stripeError(
          stripe.webhookEndpoints.create({ url, enabled_events: ['*'] }),
          E.StripeInvalidRequestError,
          400,
        );
        assert.equal(error.code, 'url_invalid');
        assert.equal(error.param, 'url');
        assert.equal(error.raw && (error.raw as { type?: string }).type, 'invalid_request_error');
        assert.ok(error.message.length > 0);

        const endpoint = await stripe.webhookEndpoints.create({
          url: 'https://example.com/valid',
          enabled_events: ['*'],
        });
        const onUpdate = await stripeError(
          stripe.webhookEndpoints.update(endpoint.id, { url }),
          E.StripeInvalidRequestError,
          400,
        );
        assert.equal(onUpdate.code, 'url_invalid');
        assert.equal(onUpdate.param, 'url');
        assert.equal((await stripe.webhookEndpoints.retrieve(endpoint.id)).url, 'https://example.com/valid');
        await stripe.webhookEndpoints.del(endpoint.id);
      });
    }

    test('an unknown event type names the array element', async () => {
      const first = await stripeError(
        stripe.webhookEndpoints.create({
          url: 'https://example.com/x',
          enabled_events: ['customer.exploded' as 'customer.created'],
        }),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(first.param, 'enabled_events[0]');
      assert.match(first.message, /customer\.exploded/);

      const second = await stripeError(
        stripe.webhookEndpoints.create({
          url: 'https://example.com/x',
          enabled_events: ['customer.created', 'nope' as 'customer.created'],
        }),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(second.param, 'enabled_events[1]');

      const endpoint = await stripe.webhookEndpoints.create({
        url: 'https://example.com/valid-events',
        enabled_events: ['customer.created'],
      });
      const onUpdate = await stripeError(
        stripe.webhookEndpoints.update(endpoint.id, {
          enabled_events: ['customer.bogus' as 'customer.created'],
        }),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(onUpdate.param, 'enabled_events[0]');
      assert.deepEqual((await stripe.webhookEndpoints.retrieve(endpoint.id)).enabled_events, [
        'customer.created',
      ]);
      await stripe.webhookEndpoints.del(endpoint.id);
    });

    test('missing url or enabled_events: parameter_missing', async () => {
      const noUrl = await stripeError(
        stripe.webhookEndpoints.create({ enabled_events: ['*'] } as Stripe.WebhookEndpointCreateParams),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(noUrl.code, 'parameter_missing');
      assert.equal(noUrl.param, 'url');
      const noEvents = await stripeError(
        stripe.webhookEndpoints.create({
          url: 'https://example.com/x',
        } as Stripe.WebhookEndpointCreateParams),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(noEvents.code, 'parameter_missing');
      assert.equal(noEvents.param, 'enabled_events');
    });

    test('a failed create leaves no endpoint behind', async () => {
      const before = (await stripe.webhookEndpoints.list({ limit: 100 })).data.length;
      await stripeError(
        stripe.webhookEndpoints.create({ url: 'ftp://x', enabled_events: ['*'] }),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal((await stripe.webhookEndpoints.list({ limit: 100 })).data.length, before);
    });
  });

  test('endpoints of one account or mode are invisible to the others', async () => {
    const testEndpoint = await stripe.webhookEndpoints.create({
      url: 'https://example.com/test-mode',
      enabled_events: ['*'],
    });
    const liveEndpoint = await live.webhookEndpoints.create({
      url: 'https://example.com/live-mode',
      enabled_events: ['*'],
    });
    assert.equal(liveEndpoint.livemode, true);
    assert.equal(testEndpoint.livemode, false);
    const otherEndpoint = await other.webhookEndpoints.create({
      url: 'https://example.com/other-account',
      enabled_events: ['*'],
    });

    const clients: [string, Stripe, Stripe.WebhookEndpoint][] = [
      ['test', stripe, testEndpoint],
      ['live', live, liveEndpoint],
      [`other account ${otherAccountId}`, other, otherEndpoint],
    ];
    for (const [name, client, own] of clients) {
      const listed = ids(
        await client.webhookEndpoints.list({ limit: 100 }).autoPagingToArray({ limit: 100 }),
      );
      assert.ok(listed.includes(own.id), `${name} lists its own endpoint`);
      for (const [otherName, , foreign] of clients) {
        if (foreign === own) continue;
        assert.ok(!listed.includes(foreign.id), `${name} does not list the ${otherName} endpoint`);
        const retrieve = await stripeError(
          client.webhookEndpoints.retrieve(foreign.id),
          E.StripeInvalidRequestError,
          404,
        );
        assert.equal(retrieve.code, 'resource_missing');
        await stripeError(
          client.webhookEndpoints.update(foreign.id, { description: 'hijack' }),
          E.StripeInvalidRequestError,
          404,
        );
        await stripeError(client.webhookEndpoints.del(foreign.id), E.StripeInvalidRequestError, 404);
      }
    }
    // None of the foreign calls changed anything.
    assert.equal((await live.webhookEndpoints.retrieve(liveEndpoint.id)).description, null);
    assert.equal((await other.webhookEndpoints.retrieve(otherEndpoint.id)).description, null);
  });
});

describe('webhook endpoints: list pagination and the per-mode limit', () => {
  let server: TestServer;
  let stripe: Stripe;
  let live: Stripe;

  before(async () => {
    server = await startServer({ config: { webhooks: fastWebhooks() } });
    stripe = server.stripe();
    const now = Math.floor(Date.now() / 1000);
    live = server.stripe(
      await createSecretKey(
        server.app.store.db,
        { accountId: server.app.boot.accountId, livemode: true },
        now,
      ),
    );
  });
  after(() => server.close());

  const made: Stripe.WebhookEndpoint[] = [];

  test('lists newest first, in pages, with starting_after and ending_before', async () => {
    for (let i = 0; i < 7; i++) {
      made.push(
        await stripe.webhookEndpoints.create({ url: `https://example.com/page/${i}`, enabled_events: ['*'] }),
      );
    }
    const newestFirst = ids(made).reverse();
    const page1 = await stripe.webhookEndpoints.list({ limit: 3 });
    assert.equal(page1.object, 'list');
    assert.equal(page1.url, '/v1/webhook_endpoints');
    assert.equal(page1.has_more, true);
    assert.deepEqual(ids(page1.data), newestFirst.slice(0, 3));
    const page2 = await stripe.webhookEndpoints.list({ limit: 3, starting_after: page1.data[2]!.id });
    assert.deepEqual(ids(page2.data), newestFirst.slice(3, 6));
    assert.equal(page2.has_more, true);
    const page3 = await stripe.webhookEndpoints.list({ limit: 3, starting_after: page2.data[2]!.id });
    assert.deepEqual(ids(page3.data), newestFirst.slice(6));
    assert.equal(page3.has_more, false);
    const back = await stripe.webhookEndpoints.list({ limit: 3, ending_before: page2.data[0]!.id });
    assert.deepEqual(ids(back.data), newestFirst.slice(0, 3));
    const all = await stripe.webhookEndpoints.list({ limit: 2 }).autoPagingToArray({ limit: 100 });
    assert.deepEqual(ids(all), newestFirst);
    for (const e of all) assert.equal(e.secret, undefined);
  });

  test('the 17th endpoint of a mode is refused; deleting one frees a place; the other mode is separate', async () => {
    while (made.length < 16) {
      made.push(
        await stripe.webhookEndpoints.create({
          url: `https://example.com/fill/${made.length}`,
          enabled_events: ['customer.created'],
        }),
      );
    }
    // A disabled endpoint still counts.
    await stripe.webhookEndpoints.update(made[0]!.id, { disabled: true });
    const error = await stripeError(
      stripe.webhookEndpoints.create({ url: 'https://example.com/17th', enabled_events: ['*'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal((error.raw as { type?: string }).type, 'invalid_request_error');
    assert.match(error.message, /16/);
    const listed = await stripe.webhookEndpoints.list({ limit: 100 });
    assert.equal(listed.data.length, 16);
    assert.ok(!listed.data.some((e) => e.url === 'https://example.com/17th'));

    // Live mode has its own 16.
    const liveOne = await live.webhookEndpoints.create({
      url: 'https://example.com/live',
      enabled_events: ['*'],
    });
    assert.equal(liveOne.livemode, true);

    await stripe.webhookEndpoints.del(made[5]!.id);
    const replacement = await stripe.webhookEndpoints.create({
      url: 'https://example.com/replacement',
      enabled_events: ['*'],
    });
    assert.equal(replacement.url, 'https://example.com/replacement');
  });
});
