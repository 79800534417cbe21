import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startServer, type TestServer } from '../support/server.ts';

describe('customers through the official SDK', () => {
  let server: TestServer;
  before(async () => {
    server = await startServer();
  });
  after(() => server.close());

  test('create, retrieve, update, delete', async () => {
    const stripe = server.stripe();
    const created = await stripe.customers.create({
      email: 'jenny@example.com',
      name: 'Jenny Rosen',
      metadata: { plan: 'pro' },
      address: { line1: '1 Main St', city: 'Paris', country: 'FR' },
    });
    assert.match(created.id, /^cus_[A-Za-z0-9]{22,}$/);
    assert.equal(created.object, 'customer');
    assert.equal(created.livemode, false);
    assert.equal(created.email, 'jenny@example.com');
    assert.deepEqual(created.metadata, { plan: 'pro' });
    assert.equal(created.address?.city, 'Paris');

    const fetched = await stripe.customers.retrieve(created.id);
    assert.deepEqual(fetched, created);

    const updated = await stripe.customers.update(created.id, { metadata: { seats: '3' }, phone: '+33123' });
    assert.deepEqual(updated.metadata, { plan: 'pro', seats: '3' });
    assert.equal(updated.phone, '+33123');

    const deleted = await stripe.customers.del(created.id);
    assert.deepEqual(deleted, { id: created.id, object: 'customer', deleted: true });
    const again = await stripe.customers.retrieve(created.id);
    assert.equal(again.deleted, true);
  });
});
