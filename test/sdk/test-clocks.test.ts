import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createSecretKey } from '../../src/accounts/keys.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

const DAY = 24 * 60 * 60;

describe('test clocks through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  const start = 1_790_000_000;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test('create, retrieve and list', async () => {
    const clock = await stripe.testHelpers.testClocks.create({
      frozen_time: start,
      name: 'Monthly renewals',
    });
    assert.match(clock.id, /^clock_/);
    assert.equal(clock.object, 'test_helpers.test_clock');
    assert.equal(clock.frozen_time, start);
    assert.equal(clock.status, 'ready');
    assert.equal(clock.name, 'Monthly renewals');
    assert.equal(clock.livemode, false);
    assert.equal(clock.deletes_after, clock.created + 30 * DAY);
    assert.deepEqual(await stripe.testHelpers.testClocks.retrieve(clock.id), clock);
    const listed = await stripe.testHelpers.testClocks.list();
    assert.ok(listed.data.some((c) => c.id === clock.id));
    const events = await stripe.events.list({ type: 'test_helpers.test_clock.created', limit: 1 });
    assert.equal((events.data[0]!.data.object as Stripe.TestHelpers.TestClock).id, clock.id);
  });

  test('customers live on a clock: listed only with it, expandable, at most three', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customers = [];
    for (let i = 0; i < 3; i++) customers.push(await stripe.customers.create({ test_clock: clock.id }));
    assert.equal(customers[0]!.test_clock, clock.id);
    const onClock = await stripe.customers.list({ test_clock: clock.id });
    assert.deepEqual(onClock.data.map((c) => c.id).sort(), customers.map((c) => c.id).sort());
    const everywhere = await stripe.customers.list({ limit: 100 });
    assert.ok(
      everywhere.data.every((c) => c.test_clock === null),
      'a plain list leaves clock customers out',
    );
    const expanded = await stripe.customers.retrieve(customers[0]!.id, { expand: ['test_clock'] });
    assert.equal(
      ((expanded as Stripe.Customer).test_clock as Stripe.TestHelpers.TestClock).frozen_time,
      start,
    );
    const full = await stripeError(
      stripe.customers.create({ test_clock: clock.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(full.param, 'test_clock');
    assert.match(full.message, /maximum number of customers \(3\)/);
  });

  test('advancing moves frozen_time forward and emits advancing then ready', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const backwards = await stripeError(
      stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(backwards.param, 'frozen_time');
    const advanced = await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: start + 31 * DAY });
    assert.equal(advanced.frozen_time, start + 31 * DAY);
    assert.equal(advanced.status, 'ready');
    assert.equal((await stripe.testHelpers.testClocks.retrieve(clock.id)).frozen_time, start + 31 * DAY);
    const events = await stripe.events.list({ type: 'test_helpers.test_clock.*', limit: 3 });
    assert.deepEqual(
      events.data.map((e) => e.type),
      [
        'test_helpers.test_clock.ready',
        'test_helpers.test_clock.advancing',
        'test_helpers.test_clock.created',
      ],
    );
    const advancing = events.data[1]!.data.object as Stripe.TestHelpers.TestClock;
    assert.equal(advancing.status, 'advancing');
    assert.equal(advancing.status_details.advancing?.target_frozen_time, start + 31 * DAY);
  });

  test('create with an existing customer attaches it, once', async () => {
    const customer = await stripe.customers.create({ email: 'later@example.com' });
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start, customer: customer.id });
    assert.equal(((await stripe.customers.retrieve(customer.id)) as Stripe.Customer).test_clock, clock.id);
    const again = await stripeError(
      stripe.testHelpers.testClocks.create({ frozen_time: start, customer: customer.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(again.param, 'customer');
    const missing = await stripeError(
      stripe.testHelpers.testClocks.create({ frozen_time: start, customer: 'cus_missing' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.code, 'resource_missing');
  });

  test('deleting a clock deletes its customers', async () => {
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customer = await stripe.customers.create({ test_clock: clock.id });
    const deleted = await stripe.testHelpers.testClocks.del(clock.id);
    assert.deepEqual(deleted, { id: clock.id, object: 'test_helpers.test_clock', deleted: true });
    assert.equal((await stripe.customers.retrieve(customer.id)).deleted, true);
    const gone = await stripeError(
      stripe.testHelpers.testClocks.retrieve(clock.id),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(gone.code, 'resource_missing');
    const onDeleted = await stripeError(
      stripe.customers.create({ test_clock: clock.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(onDeleted.param, 'test_clock');
    const events = await stripe.events.list({
      types: ['customer.deleted', 'test_helpers.test_clock.deleted'],
      limit: 2,
    });
    assert.deepEqual(
      events.data.map((e) => e.type),
      ['test_helpers.test_clock.deleted', 'customer.deleted'],
    );
  });

  test('test clocks are for test mode only', async () => {
    const live = server.stripe(
      await createSecretKey(
        server.app.store.db,
        { accountId: server.app.boot.accountId, livemode: true },
        start,
      ),
    );
    const error = await stripeError(
      live.testHelpers.testClocks.create({ frozen_time: start }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.code, 'livemode_mismatch');
  });
});
