import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { startServer, type TestServer } from '../support/server.ts';

describe('customers.search', () => {
  let server: TestServer;
  let stripe: Stripe;
  const ids: Record<string, string> = {};
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    const people = [
      { key: 'jenny', email: 'Jenny@Example.com', name: 'Jenny Rosen', metadata: { plan: 'pro' } },
      { key: 'john', email: 'john@example.com', name: 'John Doe', metadata: { plan: 'free' } },
      { key: 'jane', email: 'jane@other.org', name: 'Jane Rosenberg', phone: '+4412345' },
      { key: 'gone', email: 'gone@example.com', name: 'Gone Rosen' },
    ];
    for (const { key, ...params } of people) ids[key] = (await stripe.customers.create(params)).id;
    await stripe.customers.del(ids.gone!);
  });
  after(() => server.close());

  const found = async (query: string, extra: Partial<Stripe.CustomerSearchParams> = {}) =>
    (await stripe.customers.search({ query, ...extra })).data.map((c) => c.id);

  test('exact email match ignores case; deleted customers never match', async () => {
    assert.deepEqual(await found("email:'jenny@example.com'"), [ids.jenny]);
    assert.deepEqual(await found('email:"gone@example.com"'), []);
  });

  test('substring on name, metadata, phone, AND and OR, negation', async () => {
    assert.deepEqual(new Set(await found('name~"rosen"')), new Set([ids.jenny, ids.jane]));
    assert.deepEqual(await found('metadata["plan"]:"pro"'), [ids.jenny]);
    assert.deepEqual(await found('name~"rosen" AND metadata["plan"]:"pro"'), [ids.jenny]);
    assert.deepEqual(
      new Set(await found('metadata["plan"]:"free" OR phone:"+4412345"')),
      new Set([ids.john, ids.jane]),
    );
    assert.deepEqual(
      new Set(await found('-email:"john@example.com" AND name~"ros"')),
      new Set([ids.jenny, ids.jane]),
    );
  });

  test('created comparisons and paging with next_page and total_count', async () => {
    const all = await found('created>0');
    assert.equal(all.length, 3);
    const first = await stripe.customers.search({ query: 'created>0', limit: 2, expand: ['total_count'] });
    assert.equal(first.object, 'search_result');
    assert.equal(first.has_more, true);
    assert.equal(first.total_count, 3);
    assert.equal(first.url, '/v1/customers/search');
    assert.ok(first.next_page);
    const second = await stripe.customers.search({ query: 'created>0', limit: 2, page: first.next_page! });
    assert.equal(second.has_more, false);
    assert.equal(second.next_page, null);
    assert.deepEqual(
      [...first.data, ...second.data].map((c) => c.id),
      all,
    );
    const auto = await stripe.customers
      .search({ query: 'created>0', limit: 1 })
      .autoPagingToArray({ limit: 10 });
    assert.deepEqual(
      auto.map((c) => c.id),
      all,
    );
  });

  test('a malformed query is a 400 naming the query param', async () => {
    for (const query of ['email', 'email:jenny', 'name~"ab"', 'a:"1" AND b:"2" OR c:"3"', 'nope:"x"']) {
      await assert.rejects(stripe.customers.search({ query }), (e: Stripe.errors.StripeError) => {
        assert.equal(e.type, 'StripeInvalidRequestError');
        assert.equal(e.statusCode, 400);
        assert.equal(e.param, 'query');
        return true;
      });
    }
  });
});
