import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { call, startServer, type TestServer } from '../support/server.ts';

type Response = Awaited<ReturnType<typeof call>>;

/** A refusal in Stripe's shape: 400 `invalid_request_error` naming the param. */
function refused(response: Response, param: string, label: string): void {
  assert.equal(response.status, 400, `${label}: ${JSON.stringify(response.json)}`);
  assert.equal(response.json.error?.type, 'invalid_request_error', label);
  assert.equal(response.json.error?.param, param, label);
  assert.equal(typeof response.json.error?.message, 'string', label);
}

describe('lists, searches and amounts at the edges of the store', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  const form = (fields: Record<string, string | number>) =>
    new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, String(v)])).toString();

  test('subscriptions filtered by a price nobody subscribes to: an empty list', async () => {
    const price = await call(server, 'POST', '/v1/prices', {
      body: form({
        currency: 'usd',
        unit_amount: 1500,
        'recurring[interval]': 'month',
        'product_data[name]': 'Lonely',
      }),
    });
    assert.equal(price.status, 200);
    const listed = await call(server, 'GET', `/v1/subscriptions?price=${price.json.id}`);
    assert.equal(listed.status, 200, JSON.stringify(listed.json));
    assert.deepEqual(listed.json.data, []);
    assert.equal(listed.json.has_more, false);
    const all = await call(server, 'GET', `/v1/subscriptions?status=all&price=${price.json.id}`);
    assert.equal(all.status, 200, JSON.stringify(all.json));
    assert.deepEqual(all.json.data, []);
  });

  test('a search on a number past the integers a timestamp can be is refused on query', async () => {
    const huge = ['99999999999999999999', '9'.repeat(400), '-99999999999999999999', 'Infinity'];
    for (const resource of ['customers', 'products', 'prices', 'subscriptions', 'invoices']) {
      for (const n of huge) {
        const query = encodeURIComponent(`created>${n}`);
        const response = await call(server, 'GET', `/v1/${resource}/search?query=${query}`);
        refused(response, 'query', `${resource} created>${n.slice(0, 24)}`);
      }
      const ok = await call(server, 'GET', `/v1/${resource}/search?query=${encodeURIComponent('created>1')}`);
      assert.equal(ok.status, 200, `${resource}: ${JSON.stringify(ok.json)}`);
    }
  });
  test("amounts past Stripe's maximum are refused naming the param, never computed", async () => {
    const customer = await call(server, 'POST', '/v1/customers', { body: form({ name: 'Big' }) });
    const item = (fields: Record<string, string | number>) =>
      call(server, 'POST', '/v1/invoiceitems', {
        body: form({ customer: String(customer.json.id), currency: 'usd', ...fields }),
      });
    refused(
      await item({ unit_amount_decimal: '-9999999999999999' }),
      'unit_amount_decimal',
      'negative decimal',
    );
    refused(await item({ amount: 9007199254740991 }), 'amount', 'amount 2^53 - 1');
    refused(await item({ amount: 100_000_000 }), 'amount', 'amount past the maximum');
    assert.equal((await item({ amount: 99_999_999 })).status, 200, 'the maximum itself');
    const price = await call(server, 'POST', '/v1/prices', {
      body: form({ currency: 'usd', unit_amount_decimal: '9007199254740993', 'product_data[name]': 'Huge' }),
    });
    refused(price, 'unit_amount_decimal', 'price decimal past 2^53');
  });
});
