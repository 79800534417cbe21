import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Stripe from 'stripe';
import {
  blocksCancellation,
  subscriptionActions,
  type Unavailable,
  unavailability,
} from '../../src/billing/portal/hosted/subscription-actions.ts';
import { pauseChoices } from '../../src/billing/portal/hosted/subscription-pause.ts';

const JAN_1 = Date.UTC(2027, 0, 1) / 1000;
const FEB_1 = Date.UTC(2027, 1, 1) / 1000;
const JAN_16 = Date.UTC(2027, 0, 16) / 1000;

/** The fields the portal's eligibility reads; the rest of the object plays no part. */
function sub(fields: Partial<Stripe.Subscription> = {}): Stripe.Subscription {
  return {
    id: 'sub_1',
    status: 'active',
    collection_method: 'charge_automatically',
    cancel_at_period_end: false,
    cancel_at: null,
    schedule: null,
    items: { data: [{ current_period_start: JAN_1, current_period_end: FEB_1 }] },
    ...fields,
  } as unknown as Stripe.Subscription;
}

const pausedByCustomer = {
  status: 'paused' as const,
  status_details: {
    paused: { subscription: { type: 'pause_requested' }, transitioned_at: JAN_1, type: 'subscription' },
  },
} as unknown as Partial<Stripe.Subscription>;

function config(
  features: { cancel?: boolean; pause?: boolean; duration?: unknown } = {},
): Stripe.BillingPortal.Configuration {
  return {
    features: {
      subscription_cancel: { enabled: features.cancel ?? true },
      subscription_pause: {
        enabled: features.pause ?? true,
        duration: features.duration ?? { type: 'indefinite', interval_options: [] },
      },
    },
  } as unknown as Stripe.BillingPortal.Configuration;
}

describe('which subscription actions the portal offers', () => {
  const cases: [
    string,
    Stripe.Subscription,
    Stripe.BillingPortal.Configuration,
    Record<string, Unavailable | null>,
  ][] = [
    [
      'an active subscription',
      sub(),
      config(),
      { cancel: null, renew: 'not_eligible', pause: null, resume: 'not_eligible' },
    ],
    ['a trialing one', sub({ status: 'trialing' }), config(), { cancel: null, pause: 'not_eligible' }],
    ['a past-due one', sub({ status: 'past_due' }), config(), { cancel: null, pause: 'not_eligible' }],
    ['an unpaid one', sub({ status: 'unpaid' }), config(), { cancel: null, pause: 'not_eligible' }],
    [
      'one the customer paused',
      sub(pausedByCustomer),
      config(),
      { cancel: null, pause: 'not_eligible', resume: null },
    ],
    [
      'one paused for a missing payment method at the trial end',
      sub({
        status: 'paused',
        status_details: {
          paused: {
            subscription: { type: 'trial_end_without_payment_method' },
            transitioned_at: JAN_1,
            type: 'subscription',
          },
        },
      } as unknown as Partial<Stripe.Subscription>),
      config(),
      { resume: 'not_eligible', cancel: null },
    ],
    [
      'a canceled one',
      sub({ status: 'canceled' }),
      config(),
      { cancel: 'ended', renew: 'ended', pause: 'ended', resume: 'ended' },
    ],
    ['an incomplete one', sub({ status: 'incomplete' }), config(), { cancel: 'ended', pause: 'ended' }],
    [
      'one set to cancel at its period end',
      sub({ cancel_at_period_end: true }),
      config(),
      { cancel: 'cancel_pending', renew: null, pause: 'cancel_pending' },
    ],
    [
      'one with a cancellation date',
      sub({ cancel_at: FEB_1 }),
      config(),
      { cancel: 'cancel_pending', renew: 'not_eligible' },
    ],
    [
      'one with a schedule',
      sub({ schedule: 'sub_sched_1' }),
      config(),
      { cancel: 'not_eligible', pause: 'not_eligible' },
    ],
    [
      'one sent invoices to pay',
      sub({ collection_method: 'send_invoice' }),
      config(),
      { cancel: null, pause: 'not_eligible' },
    ],
    [
      'cancellation switched off',
      sub({ cancel_at_period_end: true }),
      config({ cancel: false }),
      { cancel: 'not_eligible', renew: 'not_eligible' },
    ],
    [
      'pausing switched off',
      sub(pausedByCustomer),
      config({ pause: false }),
      { pause: 'not_eligible', resume: 'not_eligible' },
    ],
  ];
  for (const [name, subscription, configuration, expected] of cases) {
    test(name, () => {
      for (const [action, reason] of Object.entries(expected)) {
        assert.equal(
          unavailability(configuration, subscription, action as 'cancel', JAN_16),
          reason,
          `${name}: ${action}`,
        );
      }
    });
  }

  test('renewing is offered only until the period ends', () => {
    const ending = sub({ cancel_at_period_end: true });
    assert.equal(unavailability(config(), ending, 'renew', FEB_1 - 1), null);
    assert.equal(unavailability(config(), ending, 'renew', FEB_1), 'not_eligible');
  });

  test('the homepage lists the allowed actions, renew and resume first', () => {
    assert.deepEqual(subscriptionActions(config(), sub(), JAN_16), ['pause', 'cancel']);
    assert.deepEqual(subscriptionActions(config(), sub({ cancel_at_period_end: true }), JAN_16), ['renew']);
    assert.deepEqual(subscriptionActions(config(), sub(pausedByCustomer), JAN_16), ['resume', 'cancel']);
    assert.deepEqual(subscriptionActions(config({ cancel: false, pause: false }), sub(), JAN_16), []);
  });

  test('a schedule blocks cancellation, whether named or expanded', () => {
    assert.equal(blocksCancellation(sub()), false);
    assert.equal(blocksCancellation(sub({ schedule: 'sub_sched_1' })), true);
    assert.equal(
      blocksCancellation(sub({ schedule: { id: 'sub_sched_1' } as Stripe.SubscriptionSchedule })),
      true,
    );
  });

  test("the portal's own pending change does not block cancellation; a merchant's schedule does", () => {
    const scheduled = sub({ schedule: 'sub_sched_1' });
    assert.equal(blocksCancellation(scheduled, 'portal'), false);
    assert.equal(blocksCancellation(scheduled, 'foreign'), true);
    assert.equal(unavailability(config(), scheduled, 'cancel', JAN_16, 'portal'), null);
    assert.equal(unavailability(config(), scheduled, 'cancel', JAN_16, 'foreign'), 'not_eligible');
  });
});

describe('pause durations', () => {
  test('indefinite: one choice that never resumes by itself', () => {
    assert.deepEqual(pauseChoices(config(), JAN_16), [
      { key: 'indefinite', interval: null, count: null, resumesAt: null },
    ]);
  });

  test('preset options: each resumes that long after now, month ends clamped', () => {
    const presets = config({
      duration: {
        type: 'interval_options',
        interval_options: [
          { interval: 'day', interval_count: 10 },
          { interval: 'week', interval_count: 2 },
          { interval: 'month', interval_count: 1 },
          { interval: 'year', interval_count: 1 },
        ],
      },
    });
    const jan31 = Date.UTC(2027, 0, 31) / 1000;
    assert.deepEqual(
      pauseChoices(presets, jan31).map((c) => [
        c.key,
        new Date(c.resumesAt! * 1000).toISOString().slice(0, 10),
      ]),
      [
        ['day-10', '2027-02-10'],
        ['week-2', '2027-02-14'],
        ['month-1', '2027-02-28'],
        ['year-1', '2028-01-31'],
      ],
    );
  });
});
