import assert from 'node:assert/strict';
import { after, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { deleteExpiredClocks } from '../../src/billing/test-clocks/expiry.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { freshStore } from '../support/store.ts';

const DAY = 24 * 60 * 60;

describe('test clocks end 30 days after they are made', () => {
  const store = freshStore();
  const clock = fixedClock(1_800_000_000);
  let server: TestServer | undefined;
  after(async () => {
    await server?.close();
    await store.dispose();
  });

  test('past deletes_after a clock is gone; the sweep deletes it with its customers and their events', async () => {
    server = await startServer({ clock, store });
    const stripe = server.stripe();
    const testClock = await stripe.testHelpers.testClocks.create({ frozen_time: 1_700_000_000 });
    assert.equal(testClock.created, 1_800_000_000);
    assert.equal(testClock.deletes_after, 1_800_000_000 + 30 * DAY);
    const customer = await stripe.customers.create({
      test_clock: testClock.id,
      tax_id_data: [{ type: 'us_ein', value: '12-3456789' }],
    });

    clock.set(testClock.deletes_after - 1);
    assert.equal((await stripe.testHelpers.testClocks.retrieve(testClock.id)).id, testClock.id);
    assert.equal(await deleteExpiredClocks(server.app.operations), 0, 'not yet');

    clock.set(testClock.deletes_after);
    const gone = await stripeError(
      stripe.testHelpers.testClocks.retrieve(testClock.id),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(gone.code, 'resource_missing');
    assert.deepEqual((await stripe.testHelpers.testClocks.list()).data, []);
    const attach = await stripeError(
      stripe.customers.create({ test_clock: testClock.id }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(attach.param, 'test_clock');

    assert.equal(await deleteExpiredClocks(server.app.operations), 1);
    assert.equal((await stripe.customers.retrieve(customer.id)).deleted, true);
    const events = (await stripe.events.list({ limit: 3 })).data;
    assert.deepEqual(
      events.map((e) => e.type),
      ['test_helpers.test_clock.deleted', 'customer.deleted', 'customer.tax_id.deleted'],
    );
    for (const event of events) assert.deepEqual(event.request, { id: null, idempotency_key: null });
    assert.equal((events[0]!.data.object as Stripe.TestHelpers.TestClock).id, testClock.id);
    assert.equal(await deleteExpiredClocks(server.app.operations), 0, 'a deleted clock is not deleted again');
  });

  test('a Portico started after the 30 days deletes the clock at once', async () => {
    const stripe = server!.stripe();
    const testClock = await stripe.testHelpers.testClocks.create({ frozen_time: 1_700_000_000 });
    const customer = await stripe.customers.create({ test_clock: testClock.id });
    await server!.close();
    clock.set(testClock.deletes_after + DAY);
    server = await startServer({ clock, store });
    const restarted = server.stripe();
    const deadline = Date.now() + 5000;
    while (!(await restarted.customers.retrieve(customer.id)).deleted) {
      assert.ok(Date.now() < deadline, 'the customer was deleted by the sweep at start');
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    const [event] = (await restarted.events.list({ type: 'test_helpers.test_clock.deleted', limit: 1 })).data;
    assert.equal((event!.data.object as Stripe.TestHelpers.TestClock).id, testClock.id);
  });
});
