import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { fixedClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

const T0 = 1_790_000_000;
const SHARED_EMAIL = 'team@example.com';

const ids = (list: { id: string }[]) => list.map((c) => c.id);

describe('customer lists and pagination through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  /** The 25 customers, oldest first. Five share each second; the seconds are 10 s apart. */
  let created: Stripe.Customer[];
  /** Their ids newest first, the order every list must return. */
  let newestFirst: string[];

  before(async () => {
    const clock = fixedClock(T0);
    server = await startServer({ clock });
    stripe = server.stripe();
    created = [];
    for (let i = 0; i < 25; i++) {
      clock.set(T0 + Math.floor(i / 5) * 10);
      created.push(
        await stripe.customers.create({
          name: `Customer ${i}`,
          email: i % 5 === 2 ? SHARED_EMAIL : `customer${i}@example.com`,
        }),
      );
    }
    newestFirst = ids(created).reverse();
  });
  after(() => server.close());

  test('pages of 10 walk all 25 customers newest first, ties in creation order', async () => {
    const first = await stripe.customers.list({ limit: 10 });
    assert.equal(first.object, 'list');
    assert.equal(first.url, '/v1/customers');
    assert.deepEqual(ids(first.data), newestFirst.slice(0, 10));
    assert.equal(first.has_more, true);

    const second = await stripe.customers.list({ limit: 10, starting_after: first.data[9]!.id });
    assert.deepEqual(ids(second.data), newestFirst.slice(10, 20));
    assert.equal(second.has_more, true);

    const third = await stripe.customers.list({ limit: 10, starting_after: second.data[9]!.id });
    assert.deepEqual(ids(third.data), newestFirst.slice(20));
    assert.equal(third.has_more, false);

    // The objects in a list are the objects themselves.
    assert.deepEqual(third.data.at(-1), created[0]);
  });

  test('the default page size is 10', async () => {
    const page = await stripe.customers.list();
    assert.deepEqual(ids(page.data), newestFirst.slice(0, 10));
    assert.equal(page.has_more, true);
  });

  test('autoPagingToArray returns all 25 newest first, without duplicates', async () => {
    const all = await stripe.customers.list({ limit: 10 }).autoPagingToArray({ limit: 1000 });
    assert.deepEqual(ids(all), newestFirst);
    assert.equal(new Set(ids(all)).size, 25);

    const seen: string[] = [];
    for await (const customer of stripe.customers.list({ limit: 7 })) seen.push(customer.id);
    assert.deepEqual(seen, newestFirst);
  });

  test('ending_before pages towards newer objects; auto-pagination goes from older to newer', async () => {
    const page = await stripe.customers.list({ ending_before: created[0]!.id, limit: 10 });
    // The ten customers just newer than the cursor, still sorted newest first.
    assert.deepEqual(ids(page.data), ids(created.slice(1, 11)).reverse());
    assert.equal(page.has_more, true);

    // The SDK pages backwards with the first item's id and yields each page from its end.
    const backwards = await stripe.customers
      .list({ ending_before: created[0]!.id, limit: 10 })
      .autoPagingToArray({ limit: 1000 });
    assert.deepEqual(ids(backwards), ids(created.slice(1)));

    const fromMiddle = await stripe.customers
      .list({ ending_before: created[12]!.id, limit: 4 })
      .autoPagingToArray({ limit: 1000 });
    assert.deepEqual(ids(fromMiddle), ids(created.slice(13)));
  });

  test('has_more is false when the page ends exactly at the last object, either way', async () => {
    const older = await stripe.customers.list({ starting_after: created[10]!.id, limit: 10 });
    assert.deepEqual(ids(older.data), ids(created.slice(0, 10)).reverse());
    assert.equal(older.has_more, false);

    const newer = await stripe.customers.list({ ending_before: created[14]!.id, limit: 10 });
    assert.deepEqual(ids(newer.data), ids(created.slice(15)).reverse());
    assert.equal(newer.has_more, false);

    const oneShort = await stripe.customers.list({ ending_before: created[13]!.id, limit: 10 });
    assert.deepEqual(ids(oneShort.data), ids(created.slice(14, 24)).reverse());
    assert.equal(oneShort.has_more, true);

    const nothingOlder = await stripe.customers.list({ starting_after: created[0]!.id });
    assert.deepEqual(nothingOlder.data, []);
    assert.equal(nothingOlder.has_more, false);

    const exact = await stripe.customers.list({ limit: 25 });
    assert.equal(exact.data.length, 25);
    assert.equal(exact.has_more, false);
    assert.equal((await stripe.customers.list({ limit: 24 })).has_more, true);
  });

  test('the email filter returns only exact, case-sensitive matches, and pages', async () => {
    const expected = created.filter((c) => c.email === SHARED_EMAIL);
    assert.equal(expected.length, 5);

    const page = await stripe.customers.list({ email: SHARED_EMAIL });
    assert.deepEqual(ids(page.data), ids(expected).reverse());
    assert.equal(page.has_more, false);

    const paged = await stripe.customers
      .list({ email: SHARED_EMAIL, limit: 2 })
      .autoPagingToArray({ limit: 100 });
    assert.deepEqual(ids(paged), ids(expected).reverse());

    const one = await stripe.customers.list({ email: 'customer3@example.com' });
    assert.deepEqual(ids(one.data), [created[3]!.id]);

    assert.deepEqual((await stripe.customers.list({ email: 'TEAM@example.com' })).data, []);
    assert.deepEqual((await stripe.customers.list({ email: 'nobody@example.com' })).data, []);
  });

  test('created filters: gte/lt, gt/lte and an exact timestamp', async () => {
    const window = await stripe.customers.list({ created: { gte: T0 + 10, lt: T0 + 30 }, limit: 100 });
    assert.deepEqual(ids(window.data), ids(created.slice(5, 15)).reverse());
    assert.equal(window.has_more, false);

    const open = await stripe.customers.list({ created: { gt: T0 + 10, lte: T0 + 30 }, limit: 100 });
    assert.deepEqual(ids(open.data), ids(created.slice(10, 20)).reverse());

    const exact = await stripe.customers.list({ created: T0 + 40 });
    assert.deepEqual(ids(exact.data), ids(created.slice(20)).reverse());

    const before = await stripe.customers.list({ created: { lt: T0 + 10 } });
    assert.deepEqual(ids(before.data), ids(created.slice(0, 5)).reverse());

    const paged = await stripe.customers
      .list({ created: { gte: T0 + 10, lt: T0 + 30 }, limit: 3 })
      .autoPagingToArray({ limit: 100 });
    assert.deepEqual(ids(paged), ids(created.slice(5, 15)).reverse());

    const none = await stripe.customers.list({ created: { gt: T0 + 40 } });
    assert.deepEqual(none.data, []);
    assert.equal(none.has_more, false);
  });

  test('limit accepts 1 to 100 and rejects anything else', async () => {
    const one = await stripe.customers.list({ limit: 1 });
    assert.deepEqual(ids(one.data), newestFirst.slice(0, 1));
    assert.equal(one.has_more, true);

    const hundred = await stripe.customers.list({ limit: 100 });
    assert.deepEqual(ids(hundred.data), newestFirst);
    assert.equal(hundred.has_more, false);

    for (const limit of [0, 101]) {
      const error = await stripeError(stripe.customers.list({ limit }), E.StripeInvalidRequestError, 400);
      assert.equal(error.param, 'limit');
    }
  });

  test('an unknown cursor is resource_missing naming the cursor param', async () => {
    const after = await stripeError(
      stripe.customers.list({ starting_after: 'cus_doesNotExist' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(after.code, 'resource_missing');
    assert.equal(after.param, 'starting_after');
    assert.equal(after.message, "No such customer: 'cus_doesNotExist'");

    const before = await stripeError(
      stripe.customers.list({ ending_before: 'cus_doesNotExist' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(before.code, 'resource_missing');
    assert.equal(before.param, 'ending_before');
  });

  test('a deleted customer drops out of every list', async () => {
    const doomed = created[7]!;
    await stripe.customers.del(doomed.id);
    const all = await stripe.customers.list({ limit: 100 });
    assert.deepEqual(
      ids(all.data),
      newestFirst.filter((id) => id !== doomed.id),
    );
    const shared = await stripe.customers.list({ email: SHARED_EMAIL });
    assert.equal(shared.data.length, 4);
    assert.ok(!ids(shared.data).includes(doomed.id));
  });
});
