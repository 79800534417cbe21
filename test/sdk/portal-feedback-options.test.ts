import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey } from '../../src/accounts/keys.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { E, stripeError } from '../support/errors.ts';
import { assertConforms } from '../support/openapi.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('billing feedback options through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  const clock = fixedClock(1_800_000_000);
  before(async () => {
    server = await startServer({ clock });
    stripe = server.stripe();
  });
  after(() => server.close());

  test('create, retrieve, update and deactivate, each answer conforming to the schema', async () => {
    const made = await stripe.billing.feedbackOptions.create({ description: 'Missing integrations' });
    assert.match(made.id, /^bfo_[A-Za-z0-9]{29}$/);
    assert.deepEqual(made, {
      id: made.id,
      object: 'billing.feedback_option',
      description: 'Missing integrations',
      livemode: false,
      status: 'active',
      status_transitions: { deactivated_at: null },
    });
    assertConforms('billing.feedback_option', made);
    assert.deepEqual(await stripe.billing.feedbackOptions.retrieve(made.id), made);

    const renamed = await stripe.billing.feedbackOptions.update(made.id, { description: 'Needs Slack' });
    assert.equal(renamed.description, 'Needs Slack');
    assert.deepEqual(await stripe.billing.feedbackOptions.retrieve(made.id), renamed);

    clock.advance(60);
    const off = await stripe.billing.feedbackOptions.deactivate(made.id);
    assert.equal(off.status, 'inactive');
    assert.equal(off.status_transitions.deactivated_at, clock.now());
    assertConforms('billing.feedback_option', off);
    // Deactivating again changes nothing: the first time stays.
    clock.advance(60);
    assert.deepEqual(await stripe.billing.feedbackOptions.deactivate(made.id), off);
    // An inactive option can still be renamed.
    assert.equal(
      (await stripe.billing.feedbackOptions.update(made.id, { description: 'Old reason' })).status,
      'inactive',
    );
  });

  test('description is required and 1 to 100 characters', async () => {
    const missing = await stripeError(
      stripe.billing.feedbackOptions.create({} as Stripe.Billing.FeedbackOptionCreateParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(missing.code, 'parameter_missing');
    assert.equal(missing.param, 'description');
    const long = await stripeError(
      stripe.billing.feedbackOptions.create({ description: 'x'.repeat(101) }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(long.code, 'parameter_invalid_string_too_long');
    assert.equal(long.param, 'description');
    assert.equal(
      (await stripe.billing.feedbackOptions.create({ description: 'y'.repeat(100) })).description.length,
      100,
    );
    const empty = await stripeError(
      stripe.billing.feedbackOptions.update('bfo_missing', { description: '' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(empty.code, 'parameter_invalid_empty');
    const unknown = await stripeError(
      stripe.billing.feedbackOptions.create({ description: 'ok', status: 'inactive' } as never),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(unknown.code, 'parameter_unknown');
    assert.equal(unknown.param, 'status');
  });

  test('unknown ids are 404s on every path', async () => {
    for (const call of [
      () => stripe.billing.feedbackOptions.retrieve('bfo_nope'),
      () => stripe.billing.feedbackOptions.update('bfo_nope', { description: 'x' }),
      () => stripe.billing.feedbackOptions.deactivate('bfo_nope'),
    ]) {
      const error = await stripeError(call(), E.StripeInvalidRequestError, 404);
      assert.equal(error.code, 'resource_missing');
      assert.equal(error.param, 'id');
      assert.equal(error.message, "No such feedback_option: 'bfo_nope'");
    }
  });

  test('lists newest first, filter by status and page both ways', async () => {
    const own = await startServer({ clock });
    try {
      const client = own.stripe();
      const made: Stripe.Billing.FeedbackOption[] = [];
      for (let i = 0; i < 5; i++) {
        made.push(await client.billing.feedbackOptions.create({ description: `Reason ${i}` }));
      }
      await client.billing.feedbackOptions.deactivate(made[1]!.id);
      await client.billing.feedbackOptions.deactivate(made[3]!.id);
      const ids = (list: { data: { id: string }[] }) => list.data.map((o) => o.id);
      const all = await client.billing.feedbackOptions.list();
      assert.equal(all.url, '/v1/billing/feedback_options');
      assert.deepEqual(
        ids(all),
        [...made].reverse().map((o) => o.id),
      );
      for (const option of all.data) assertConforms('billing.feedback_option', option);
      assert.deepEqual(ids(await client.billing.feedbackOptions.list({ status: 'inactive' })), [
        made[3]!.id,
        made[1]!.id,
      ]);
      assert.deepEqual(ids(await client.billing.feedbackOptions.list({ status: 'active' })), [
        made[4]!.id,
        made[2]!.id,
        made[0]!.id,
      ]);
      const first = await client.billing.feedbackOptions.list({ limit: 2 });
      assert.deepEqual(ids(first), [made[4]!.id, made[3]!.id]);
      assert.equal(first.has_more, true);
      const next = await client.billing.feedbackOptions.list({ limit: 2, starting_after: made[3]!.id });
      assert.deepEqual(ids(next), [made[2]!.id, made[1]!.id]);
      const back = await client.billing.feedbackOptions.list({ limit: 2, ending_before: made[2]!.id });
      assert.deepEqual(ids(back), [made[4]!.id, made[3]!.id]);
      assert.equal(back.has_more, false);
      const paged = await client.billing.feedbackOptions.list({ limit: 2 }).autoPagingToArray({ limit: 10 });
      assert.equal(paged.length, 5);
      const bad = await stripeError(
        client.billing.feedbackOptions.list({ status: 'archived' as never }),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(bad.param, 'status');
      // Feedback options have no creation time to filter on.
      const created = await stripeError(
        client.billing.feedbackOptions.list({ created: 1 } as never),
        E.StripeInvalidRequestError,
        400,
      );
      assert.equal(created.code, 'parameter_unknown');
    } finally {
      await own.close();
    }
  });

  test('restricted keys need the feedback option permission', async () => {
    const key = await createRestrictedKey(
      server.app.store.db,
      { accountId: server.app.boot.accountId, livemode: false },
      clock.now(),
      { feedback_options: 'read' },
    );
    const reader = server.stripe(key);
    assert.ok(Array.isArray((await reader.billing.feedbackOptions.list()).data));
    const denied = await stripeError(
      reader.billing.feedbackOptions.create({ description: 'Nope' }),
      E.StripePermissionError,
      403,
    );
    assert.match(denied.message, /'rak_billing_feedback_option_write'/);
  });
});
