import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

/** `payment_method_data[card]` is what Stripe.js sends; the server SDK's types leave it out. */
type ConfirmParams = Stripe.SetupIntentConfirmParams & {
  client_secret?: string;
  payment_method_data?: {
    type: string;
    card?: { number?: string; exp_month?: number; exp_year?: number; cvc?: string; token?: string };
    billing_details?: { name?: string };
    metadata?: Record<string, string>;
  };
};

describe('SetupIntent confirmation params through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  const confirm = (id: string, params: ConfirmParams) =>
    stripe.setupIntents.confirm(id, params as Stripe.SetupIntentConfirmParams);

  test('payment_method_data makes the card it confirms with; mandate_data and use_stripe_sdk are taken', async () => {
    const customer = await stripe.customers.create({ name: 'Card form' });
    const intent = await stripe.setupIntents.create({ customer: customer.id });
    const confirmed = await confirm(intent.id, {
      payment_method_data: {
        type: 'card',
        card: { number: '4000056655665556', exp_month: 12, exp_year: 2040, cvc: '123' },
        billing_details: { name: 'Ada Lovelace' },
        metadata: { source: 'form' },
      },
      mandate_data: {
        customer_acceptance: {
          type: 'online',
          online: { ip_address: '203.0.113.9', user_agent: 'Mozilla/5.0' },
        },
      },
      use_stripe_sdk: true,
      client_secret: intent.client_secret!,
      allowed_payment_method_types: ['card'],
      expand: ['payment_method'],
    });
    assert.equal(confirmed.status, 'succeeded');
    const pm = confirmed.payment_method as Stripe.PaymentMethod;
    assert.equal(pm.card?.brand, 'visa');
    assert.equal(pm.card?.funding, 'debit');
    assert.equal(pm.billing_details.name, 'Ada Lovelace');
    assert.deepEqual(pm.metadata, { source: 'form' });
    assert.equal(pm.customer, customer.id);
  });

  test('refusals name their params and change nothing', async () => {
    const intent = await stripe.setupIntents.create({});
    const cases: [ConfirmParams, string, string][] = [
      [
        {
          payment_method: 'pm_card_visa',
          payment_method_data: { type: 'card', card: { token: 'tok_visa' } },
        },
        'payment_method',
        'parameters_exclusive',
      ],
      [{ payment_method_data: { type: 'card' } }, 'payment_method_data[card]', 'parameter_missing'],
      [
        { payment_method_data: { type: 'card', card: { number: '4242424242424241' } } },
        'payment_method_data[card][number]',
        'incorrect_number',
      ],
      [{ confirmation_token: 'ctoken_nope' }, 'confirmation_token', 'resource_missing'],
      [{ payment_method: 'pm_card_visa', client_secret: 'seti_x_secret_y' }, 'client_secret', ''],
      [
        {
          payment_method: 'pm_card_visa',
          mandate_data: { customer_acceptance: { online: { ip_address: '203.0.113.9' } } } as never,
        },
        'mandate_data[customer_acceptance][type]',
        'parameter_missing',
      ],
    ];
    for (const [params, param, code] of cases) {
      const error = await stripeError(confirm(intent.id, params), E.StripeError, error402or400(code));
      assert.match(
        String(error.param),
        new RegExp(`^${param.replace(/[[\]]/g, '\\$&')}`),
        JSON.stringify(params),
      );
      if (code) assert.equal(error.code, code, JSON.stringify(params));
    }
    const after = await stripe.setupIntents.retrieve(intent.id);
    assert.equal(after.status, 'requires_payment_method');
    assert.equal(after.payment_method, null);
  });
});

/** A card number the network refuses is a card error (402); everything else is a bad request (400). */
function error402or400(code: string): number {
  return code === 'incorrect_number' ? 402 : 400;
}
