import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import Stripe from 'stripe';
import { type Receiver, startReceiver } from '../support/receiver.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('webhook endpoints and signed delivery', () => {
  let server: TestServer;
  let receiver: Receiver;
  before(async () => {
    server = await startServer();
    receiver = await startReceiver();
  });
  after(async () => {
    await server.close();
    await receiver.close();
  });

  test('an event from an API call reaches the endpoint, signed so the SDK accepts it', async () => {
    const stripe = server.stripe();
    const endpoint = await stripe.webhookEndpoints.create({
      url: receiver.url,
      enabled_events: ['customer.created'],
    });
    assert.match(endpoint.secret!, /^whsec_/);
    assert.equal(endpoint.status, 'enabled');
    const customer = await stripe.customers.create({ email: 'hook@example.com' });
    const [delivery] = await receiver.waitFor(1);
    const event = stripe.webhooks.constructEvent(
      delivery!.body,
      delivery!.headers['stripe-signature'] as string,
      endpoint.secret!,
    );
    assert.equal(event.type, 'customer.created');
    assert.equal((event.data.object as Stripe.Customer).id, customer.id);
    assert.equal(event.pending_webhooks, 1);
    assert.throws(
      () =>
        stripe.webhooks.constructEvent(
          delivery!.body,
          delivery!.headers['stripe-signature'] as string,
          'whsec_wrong',
        ),
      Stripe.errors.StripeSignatureVerificationError,
    );
    const retrieved = await stripe.webhookEndpoints.retrieve(endpoint.id);
    assert.equal(retrieved.secret, undefined, 'the secret is shown on create only');
    // Once delivered, the event no longer waits for any endpoint.
    for (let i = 0; i < 50 && (await stripe.events.retrieve(event.id)).pending_webhooks !== 0; i++) {
      await new Promise((r) => setTimeout(r, 20));
    }
    assert.equal((await stripe.events.retrieve(event.id)).pending_webhooks, 0);
    const delivered = await stripe.events.list({ delivery_success: true, type: 'customer.created' });
    assert.deepEqual(
      delivered.data.map((e) => e.id),
      [event.id],
    );
    const waiting = await stripe.events.list({ delivery_success: false });
    assert.equal(waiting.data.length, 0);
  });

  test('delivery_success=false lists events an endpoint is still waiting for', async () => {
    const stripe = server.stripe();
    receiver.respond = () => 500;
    try {
      const endpoint = await stripe.webhookEndpoints.create({
        url: receiver.url,
        enabled_events: ['customer.updated'],
      });
      const customer = await stripe.customers.list({ limit: 1 });
      await stripe.customers.update(customer.data[0]!.id, { name: 'Failing' });
      const waiting = await stripe.events.list({ delivery_success: false });
      assert.deepEqual(
        waiting.data.map((e) => e.type),
        ['customer.updated'],
      );
      assert.equal(waiting.data[0]!.pending_webhooks, 1, 'only the customer.updated endpoint waits');
      await stripe.webhookEndpoints.del(endpoint.id);
    } finally {
      receiver.respond = () => 200;
    }
  });
});
