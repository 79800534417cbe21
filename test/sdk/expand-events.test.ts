import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

const API_VERSION = '2026-10-28.endive';

describe('expand[] through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let customer: Stripe.Customer;

  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    customer = await stripe.customers.create({
      email: 'expand@example.com',
      address: { city: 'Paris', country: 'FR' },
    });
  });
  after(() => server.close());

  test('expanding test_clock on a customer without a clock leaves it null', async () => {
    const fetched = (await stripe.customers.retrieve(customer.id, {
      expand: ['test_clock'],
    })) as Stripe.Customer;
    assert.equal(fetched.test_clock, null);
    // lastResponse is not enumerable: the objects compare as plain data.
    assert.deepEqual(fetched, customer);

    const updated = await stripe.customers.update(customer.id, { name: 'Expanded', expand: ['test_clock'] });
    assert.equal(updated.test_clock, null);
    assert.equal(updated.name, 'Expanded');
  });

  test('expanding a field that is not expandable is 400 "This property cannot be expanded"', async () => {
    const error = await stripeError(
      stripe.customers.retrieve(customer.id, { expand: ['email'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.message, 'This property cannot be expanded (email).');

    const nested = await stripeError(
      stripe.customers.retrieve(customer.id, { expand: ['address.city'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(nested.message, 'This property cannot be expanded (address.city).');
  });

  test('a non-expandable field is refused whatever its value, null included', async () => {
    const bare = await stripe.customers.create({ name: 'No email' });
    assert.equal(bare.email, null);
    const error = await stripeError(
      stripe.customers.retrieve(bare.id, { expand: ['email'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.message, 'This property cannot be expanded (email).');
  });

  test('more than 4 levels is 400', async () => {
    const error = await stripeError(
      stripe.customers.retrieve(customer.id, { expand: ['invoice_settings.default_payment_method.a.b.c'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.message, 'You cannot expand more than 4 levels of a property.');
    const onList = await stripeError(
      stripe.customers.list({ expand: ['data.test_clock.a.b.c'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(onList.message, 'You cannot expand more than 4 levels of a property.');
  });

  test('expand on a list applies to every item through data.', async () => {
    const list = await stripe.customers.list({ expand: ['data.test_clock'] });
    assert.ok(list.data.length >= 1);
    for (const c of list.data) assert.equal(c.test_clock, null);
    assert.deepEqual(
      list.data.map((c) => c.id),
      (await stripe.customers.list()).data.map((c) => c.id),
    );

    const error = await stripeError(
      stripe.customers.list({ expand: ['data.email'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(error.message, /^This property cannot be expanded \((data\.)?email\)\.$/);
  });

  test('expand on a create is honoured: a bad path rejects the create and creates nothing', async () => {
    const created = await stripe.customers.create({
      email: 'post-expand@example.com',
      expand: ['test_clock'],
    });
    assert.equal(created.test_clock, null);
    assert.equal(created.email, 'post-expand@example.com');

    const error = await stripeError(
      stripe.customers.create({ email: 'refused@example.com', expand: ['email'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.message, 'This property cannot be expanded (email).');
    assert.deepEqual((await stripe.customers.list({ email: 'refused@example.com' })).data, []);
    const events = await stripe.events.list({ type: 'customer.created', limit: 100 });
    assert.ok(
      !events.data.some((e) => (e.data.object as Stripe.Customer).email === 'refused@example.com'),
      'no event for the refused create',
    );
  });
});

describe('customer events through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  let created: Stripe.Response<Stripe.Customer>;
  let updated: Stripe.Response<Stripe.Customer>;
  let deleted: Stripe.Response<Stripe.DeletedCustomer>;
  /** This customer's events, newest first. */
  let events: Stripe.Event[];

  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    created = await stripe.customers.create({
      email: 'events@example.com',
      metadata: { plan: 'pro', region: 'eu', keep: 'yes' },
    });
    updated = await stripe.customers.update(created.id, {
      name: 'Jenny Rosen',
      metadata: { plan: 'team', region: '', seats: '3' },
    });
    deleted = await stripe.customers.del(created.id);
    const all = await stripe.events.list({ type: 'customer.*', limit: 100 });
    events = all.data.filter((e) => (e.data.object as { id: string }).id === created.id);
  });
  after(() => server.close());

  test('create, update and delete each emit one event, newest first', () => {
    assert.deepEqual(
      events.map((e) => e.type),
      ['customer.deleted', 'customer.updated', 'customer.created'],
    );
    for (const event of events) {
      assert.match(event.id, /^evt_[A-Za-z0-9]{22,}$/);
      assert.equal(event.object, 'event');
      assert.equal(event.api_version, API_VERSION);
      assert.equal(event.livemode, false);
      assert.equal(typeof event.created, 'number');
      assert.equal(event.account, undefined);
    }
    assert.equal(new Set(events.map((e) => e.id)).size, 3);
  });

  test('customer.created carries the object and the request that made it', () => {
    const event = events.find((e) => e.type === 'customer.created')!;
    assert.deepEqual(event.data.object, created);
    assert.equal(event.data.previous_attributes, undefined);
    assert.equal(event.request?.id, created.lastResponse.requestId);
    assert.equal(event.request?.idempotency_key, created.lastResponse.idempotencyKey);
    assert.match(event.request?.idempotency_key ?? '', /^stripe-node-retry-/);
  });

  test('customer.updated carries the new object and the old values, metadata key by key', () => {
    const event = events.find((e) => e.type === 'customer.updated')!;
    assert.deepEqual(event.data.object, updated);
    assert.deepEqual(updated.metadata, { plan: 'team', keep: 'yes', seats: '3' });
    assert.deepEqual(event.data.previous_attributes, {
      name: null,
      metadata: { plan: 'pro', region: 'eu', seats: null },
    });
    assert.equal(event.request?.id, updated.lastResponse.requestId);
  });

  test('customer.deleted carries the customer as it was, and the DELETE request', () => {
    const event = events.find((e) => e.type === 'customer.deleted')!;
    assert.deepEqual(event.data.object, updated);
    assert.equal(event.data.previous_attributes, undefined);
    assert.equal(event.request?.id, deleted.lastResponse.requestId);
    assert.equal(event.request?.idempotency_key, null);
  });

  test('events.retrieve returns the same event as the list', async () => {
    for (const event of events) {
      const fetched = await stripe.events.retrieve(event.id);
      assert.deepEqual(fetched, event);
    }
    const error = await stripeError(stripe.events.retrieve('evt_missing'), E.StripeInvalidRequestError, 404);
    assert.equal(error.code, 'resource_missing');
  });

  test('events.list filters by exact type, by types[], and by a type group', async () => {
    const other = await stripe.customers.create({ email: 'other@example.com' });
    const exact = await stripe.events.list({ type: 'customer.updated' });
    assert.deepEqual(
      exact.data.map((e) => e.id),
      [events.find((e) => e.type === 'customer.updated')!.id],
    );

    const some = await stripe.events.list({ types: ['customer.created', 'customer.deleted'] });
    assert.deepEqual(
      some.data.map((e) => [e.type, (e.data.object as { id: string }).id]),
      [
        ['customer.created', other.id],
        ['customer.deleted', created.id],
        ['customer.created', created.id],
      ],
    );

    const group = await stripe.events.list({ type: 'customer.*' });
    assert.deepEqual(
      group.data.map((e) => e.type),
      ['customer.created', 'customer.deleted', 'customer.updated', 'customer.created'],
    );
    assert.deepEqual((await stripe.events.list({ type: 'account.*' })).data, []);

    const paged = await stripe.events
      .list({ type: 'customer.*', limit: 1 })
      .autoPagingToArray({ limit: 100 });
    assert.deepEqual(
      paged.map((e) => e.id),
      group.data.map((e) => e.id),
    );
  });
});
