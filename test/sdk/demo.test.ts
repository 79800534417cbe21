import assert from 'node:assert/strict';
import { after, before, test } from 'node:test';
import type Stripe from 'stripe';
import { seedDemo } from '../../src/cli/demo.ts';
import { startServer, type TestServer } from '../support/server.ts';

let server: TestServer;
before(async () => {
  server = await startServer();
});
after(() => server.close());

test('the demo seeds a branded business and a customer, and hands out a working portal URL', async () => {
  const url = await seedDemo({ apiBase: server.baseUrl, apiKey: server.key, print: () => undefined });
  assert.match(url, /\/p\/session\/test_[A-Za-z0-9]{32}$/);
  const stripe = server.stripe();
  const account = await stripe.accounts.retrieveCurrent();
  assert.equal(account.business_profile?.name, 'Acme Cloud');
  const [customer] = (await stripe.customers.list({ email: 'jenny.rosen@example.com' }))
    .data as Stripe.Customer[];
  assert.ok(customer);
  const subscriptions = await stripe.subscriptions.list({ customer: customer.id });
  assert.equal(subscriptions.data[0]?.status, 'active');
  const invoices = await stripe.invoices.list({ customer: customer.id });
  assert.deepEqual(invoices.data.map((i) => i.status).sort(), ['open', 'paid']);
  const entry = await fetch(`${server.baseUrl}${new URL(url).pathname}`, { redirect: 'manual' });
  assert.equal(entry.status, 303);
  const home = await fetch(`${server.baseUrl}${entry.headers.get('location')}`, {
    headers: { cookie: entry.headers.get('set-cookie')!.split(';')[0]! },
  });
  assert.equal(home.status, 200);
  const html = await home.text();
  assert.match(html, /Acme Cloud/);
  // The subscription can be switched, paused and cancelled from the demo's portal.
  for (const action of ['update', 'pause', 'cancel']) {
    assert.match(html, new RegExp(`/subscriptions/sub_[A-Za-z0-9]+/${action}"`), action);
  }
});
