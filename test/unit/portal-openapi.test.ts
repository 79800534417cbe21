import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { schemaErrors } from '../support/openapi.ts';

// The portal's SDK tests trust this checker to catch a wrong answer, so it is checked on objects
// known to be wrong in each way it must notice.
const option = {
  id: 'bfo_1',
  object: 'billing.feedback_option',
  description: 'Too slow',
  livemode: false,
  status: 'active',
  status_transitions: { deactivated_at: null },
};

describe('the OpenAPI checker of portal objects', () => {
  test('a conforming object has no errors', () => {
    assert.deepEqual(schemaErrors('billing.feedback_option', option), []);
  });

  test('a missing required field, a bad enum, a wrong type, an extra field and a bad null', () => {
    const { status: _status, ...missing } = option;
    assert.match(schemaErrors('billing.feedback_option', missing).join(), /status: required but missing/);
    assert.match(
      schemaErrors('billing.feedback_option', { ...option, status: 'paused' }).join(),
      /"paused" is not one of/,
    );
    assert.match(
      schemaErrors('billing.feedback_option', { ...option, livemode: 'no' }).join(),
      /expected boolean, got string/,
    );
    assert.match(
      schemaErrors('billing.feedback_option', { ...option, extra: 1 }).join(),
      /extra: not in the schema/,
    );
    assert.match(
      schemaErrors('billing.feedback_option', { ...option, description: null }).join(),
      /description: null is not allowed/,
    );
  });

  test('complete objects carry every declared field; nested references and anyOf are followed', () => {
    const session = {
      id: 'bps_1',
      object: 'billing_portal.session',
      configuration: 'bpc_1',
      created: 1,
      customer: 'cus_1',
      livemode: false,
      url: 'https://example.com',
    };
    const errors = schemaErrors('billing_portal.session', session);
    for (const field of [
      'after_expiration',
      'customer_account',
      'flow',
      'locale',
      'on_behalf_of',
      'return_url',
    ]) {
      assert.ok(errors.includes(`billing_portal.session.${field}: absent`), field);
    }
    assert.deepEqual(schemaErrors('billing_portal.session', session, { complete: false }), []);
    const flow = {
      after_completion: { hosted_confirmation: null, redirect: null, type: 'elsewhere' },
      customer_update: null,
      subscription_cancel: null,
      subscription_pause: null,
      subscription_update: null,
      subscription_update_confirm: null,
      type: 'subscription_pause',
    };
    assert.match(
      schemaErrors('billing_portal.session', { ...session, flow }, { complete: false }).join(),
      /flow: matches none of anyOf \(billing_portal.session.flow.after_completion.type: "elsewhere"/,
    );
    // The 2026-10-28 additions are part of the schemas: `subscription_pause` is a flow type.
    flow.after_completion.type = 'portal_homepage';
    assert.deepEqual(schemaErrors('billing_portal.session', { ...session, flow }, { complete: false }), []);
  });
});
