import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Stripe from 'stripe';
import { subscriptionAfter } from '../../src/billing/subscriptions/apply-plan.ts';
import type { ResolvedItemEntry } from '../../src/billing/subscriptions/item-changes.ts';
import { newItem } from '../../src/billing/subscriptions/items.ts';
import {
  type ChangePlan,
  type ChangeRequest,
  checkChangeTimes,
  type PlanSettings,
  planChange,
  unusedTimeCredits,
} from '../../src/billing/subscriptions/plan.ts';
import { asWire } from '../support/refusal.ts';

const at = (iso: string) => Date.parse(`${iso}Z`) / 1000;
const DAY = 86_400;

// January 2027 has 31 days; on 16 Jan at midnight 16 of them are left.
const JAN_1 = at('2027-01-01T00:00:00');
const JAN_11 = at('2027-01-11T00:00:00');
const JAN_16 = at('2027-01-16T00:00:00');
const FEB_1 = at('2027-02-01T00:00:00');
const FEB_16 = at('2027-02-16T00:00:00');
const JANUARY = { start: JAN_1, end: FEB_1 };

function price(
  id: string,
  product: string,
  unitAmount: number,
  interval: Stripe.Price.Recurring.Interval = 'month',
): Stripe.Price {
  return {
    id,
    object: 'price',
    active: true,
    billing_scheme: 'per_unit',
    created: JAN_1,
    currency: 'usd',
    custom_unit_amount: null,
    livemode: false,
    lookup_key: null,
    metadata: {},
    nickname: null,
    product,
    recurring: { interval, interval_count: 1, meter: null, trial_period_days: null, usage_type: 'licensed' },
    tax_behavior: 'unspecified',
    tiers_mode: null,
    transform_quantity: null,
    type: 'recurring',
    unit_amount: unitAmount,
    unit_amount_decimal: String(unitAmount) as unknown as Stripe.Decimal,
  };
}

const BASIC = price('price_basic', 'prod_basic', 1000);
const PRO = price('price_pro', 'prod_pro', 3000);
const PRO_YEARLY = price('price_pro_yearly', 'prod_pro', 30000, 'year');
const SEATS = price('price_seats', 'prod_seats', 500);

const settings: PlanSettings = {
  productNames: new Map([
    ['prod_basic', 'Basic'],
    ['prod_pro', 'Pro'],
    ['prod_seats', 'Seats'],
  ]),
  defaultProrationBehavior: 'create_prorations',
};

/** A subscription billing `items` (price, quantity) monthly since 1 Jan, in January's period. */
function subscription(
  items: [Stripe.Price, number][],
  options: { status?: Stripe.Subscription.Status; trialEnd?: number } = {},
): Stripe.Subscription {
  const data = items.map(([itemPrice, quantity], i) =>
    newItem({
      id: `si_${i + 1}`,
      subscription: 'sub_1',
      price: itemPrice,
      quantity,
      metadata: {},
      created: JAN_1,
      period: JANUARY,
      discounts: [],
    }),
  );
  return {
    id: 'sub_1',
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: JAN_1,
    billing_cycle_anchor_config: null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: null,
    cancel_at_period_end: false,
    canceled_at: null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: 'charge_automatically',
    created: JAN_1,
    currency: 'usd',
    customer: 'cus_1',
    customer_account: null,
    days_until_due: null,
    default_payment_method: null,
    default_source: null,
    description: null,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: { object: 'list', data, has_more: false, url: '/v1/subscription_items?subscription=sub_1' },
    latest_invoice: null,
    livemode: false,
    managed_payments: null,
    metadata: {},
    next_pending_invoice_item_invoice: null,
    on_behalf_of: null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: null,
    start_date: JAN_1,
    status: options.status ?? 'active',
    test_clock: null,
    transfer_data: null,
    trial_end: options.trialEnd ?? null,
    trial_settings: {
      end_behavior: { billing_cycle_anchor: null, missing_payment_method: 'create_invoice' },
    },
    trial_start: options.trialEnd ? JAN_1 : null,
  };
}

const change = (id: string, fields: { price?: Stripe.Price; quantity?: number } = {}): ResolvedItemEntry => ({
  kind: 'change',
  id,
  metadata: {},
  discounts: [],
  tax_rates: [],
  ...fields,
});
const add = (id: string, itemPrice: Stripe.Price, quantity = 1): ResolvedItemEntry => ({
  kind: 'add',
  id,
  price: itemPrice,
  quantity,
  metadata: {},
  discounts: [],
  tax_rates: [],
});
const remove = (id: string): ResolvedItemEntry => ({ kind: 'delete', id });

/** The prorations as [description, amount], the way an invoice reads them. */
const prorations = (plan: ChangePlan) => plan.prorations.map((p) => [p.description, p.amount]);
const items = (plan: ChangePlan) => plan.items.map((i) => [i.id, i.price.id, i.quantity, i.status]);

describe('planChange: an upgrade mid-period, Basic (10.00) → Pro (30.00) on 16 Jan', () => {
  const sub = subscription([[BASIC, 1]]);
  const upgrade = (request: Omit<ChangeRequest, 'items'> = {}, base = settings) =>
    planChange(sub, { items: [change('si_1', { price: PRO })], ...request }, JAN_16, base);
  // 16 of 31 days left: Basic 1000 × 16/31 = 516.13, Pro 3000 × 16/31 = 1548.39.
  const credit = ['Unused time on Basic after 16 Jan 2027', -516];
  const charge = ['Remaining time on Pro after 16 Jan 2027', 1548];

  const cases: [string, Omit<ChangeRequest, 'items'>, PlanSettings, unknown[][], ChangePlan['invoice']][] = [
    ['create_prorations: pending for the next invoice', {}, settings, [credit, charge], null],
    [
      'always_invoice: invoiced now, for the rest of the period',
      { prorationBehavior: 'always_invoice' },
      settings,
      [credit, charge],
      { period: { start: JAN_16, end: FEB_1 }, billsNewPeriod: false },
    ],
    ['none: nothing prorated, nothing invoiced', { prorationBehavior: 'none' }, settings, [], null],
    [
      'no behaviour named and a default of always_invoice (a change that waits for its payment)',
      {},
      { ...settings, defaultProrationBehavior: 'always_invoice' },
      [credit, charge],
      { period: { start: JAN_16, end: FEB_1 }, billsNewPeriod: false },
    ],
    [
      'proration_date 11 Jan: 21 of 31 days priced (1000 × 21/31 = 677.42, 3000 × 21/31 = 2032.26)',
      { prorationDate: JAN_11 },
      settings,
      [
        ['Unused time on Basic after 11 Jan 2027', -677],
        ['Remaining time on Pro after 11 Jan 2027', 2032],
      ],
      null,
    ],
  ];
  for (const [name, request, base, expected, invoice] of cases) {
    test(name, () => {
      const plan = upgrade(request, base);
      assert.deepEqual(prorations(plan), expected);
      assert.deepEqual(plan.invoice, invoice);
      assert.deepEqual(items(plan), [['si_1', 'price_pro', 1, 'changed']]);
      assert.deepEqual(plan.trial, { action: 'keep' });
      assert.deepEqual(plan.cycle, { reset: false, anchor: JAN_1, period: JANUARY });
    });
  }

  test('each proration names its item, its price and the rest of the period', () => {
    const plan = upgrade();
    assert.deepEqual(
      plan.prorations.map((p) => [p.subscriptionItem, p.pricing.price_details?.price, p.period, p.quantity]),
      [
        ['si_1', 'price_basic', { start: JAN_16, end: FEB_1 }, 1],
        ['si_1', 'price_pro', { start: JAN_16, end: FEB_1 }, 1],
      ],
    );
  });
});

describe('planChange: quantities and items', () => {
  test('quantity 2 → 3 of Basic on 16 Jan: 2000 × 16/31 = 1032.26 credited, 3000 × 16/31 = 1548.39 charged', () => {
    const plan = planChange(
      subscription([[BASIC, 2]]),
      { items: [change('si_1', { quantity: 3 })] },
      JAN_16,
      settings,
    );
    assert.deepEqual(prorations(plan), [
      ['Unused time on 2 × Basic after 16 Jan 2027', -1032],
      ['Remaining time on 3 × Basic after 16 Jan 2027', 1548],
    ]);
    assert.deepEqual(items(plan), [['si_1', 'price_basic', 3, 'changed']]);
  });

  test('an item added and one removed: the new one charged, the old one credited', () => {
    const sub = subscription([
      [BASIC, 1],
      [PRO, 1],
    ]);
    const plan = planChange(sub, { items: [add('si_new', SEATS, 2), remove('si_1')] }, JAN_16, settings);
    assert.deepEqual(prorations(plan), [
      ['Remaining time on 2 × Seats after 16 Jan 2027', 516], // 500 × 2 × 16/31 = 516.13
      ['Unused time on Basic after 16 Jan 2027', -516],
    ]);
    assert.deepEqual(items(plan), [
      ['si_2', 'price_pro', 1, 'kept'],
      ['si_new', 'price_seats', 2, 'new'],
    ]);
    assert.deepEqual(
      plan.removed.map((item) => item.id),
      ['si_1'],
    );
    assert.equal(plan.invoice, null);
  });

  test('entries apply in order: 2 → 3 seats then deleted is prorated step by step, netting a 2-seat credit', () => {
    const plan = planChange(
      subscription([
        [BASIC, 1],
        [SEATS, 2],
      ]),
      { items: [change('si_2', { quantity: 3 }), remove('si_2')] },
      JAN_16,
      settings,
    );
    assert.deepEqual(prorations(plan), [
      ['Unused time on 2 × Seats after 16 Jan 2027', -516],
      ['Remaining time on 3 × Seats after 16 Jan 2027', 774], // 1500 × 16/31 = 774.19
      ['Unused time on 3 × Seats after 16 Jan 2027', -774],
    ]);
    assert.deepEqual(items(plan), [['si_1', 'price_basic', 1, 'kept']]);
  });

  test('metadata alone changes nothing billed', () => {
    const entry: ResolvedItemEntry = {
      kind: 'change',
      id: 'si_1',
      metadata: { team: 'a' },
      discounts: [],
      tax_rates: [],
    };
    const plan = planChange(subscription([[BASIC, 1]]), { items: [entry] }, JAN_16, settings);
    assert.deepEqual(prorations(plan), []);
    assert.deepEqual(items(plan), [['si_1', 'price_basic', 1, 'kept']]);
    assert.deepEqual(plan.items[0]!.metadata, { team: 'a' });
  });

  test('a change at the very end of the period prorates nothing', () => {
    const plan = planChange(
      subscription([[BASIC, 1]]),
      { items: [change('si_1', { price: PRO })], prorationDate: FEB_1 },
      JAN_16,
      settings,
    );
    assert.deepEqual(prorations(plan), []);
  });

  const refusals: [string, ResolvedItemEntry[], string, string][] = [
    [
      'deleting every item',
      [remove('si_1')],
      'items',
      'A subscription needs at least one item; cancel it instead of deleting them all.',
    ],
    [
      'a yearly item beside a monthly one',
      [add('si_new', PRO_YEARLY)],
      'items',
      'Currency and interval fields must match across all prices on this subscription.',
    ],
    [
      'the same price twice',
      [add('si_new', BASIC)],
      'items[1][price]',
      'Cannot add multiple subscription items with the same price: price_basic.',
    ],
  ];
  for (const [name, entries, param, message] of refusals) {
    test(`refused: ${name}`, () => {
      assert.throws(
        () => planChange(subscription([[BASIC, 1]]), { items: entries }, JAN_16, settings),
        (error) => {
          const wire = asWire(error);
          assert.deepEqual([wire?.status, wire?.body.param, wire?.body.message], [400, param, message]);
          return true;
        },
      );
    });
  }
});

describe('planChange: the billing cycle restarts now', () => {
  test('monthly Basic → yearly Pro on 16 Jan: the unused month credited, a year billed from 16 Jan', () => {
    const plan = planChange(
      subscription([[BASIC, 1]]),
      { items: [change('si_1', { price: PRO_YEARLY })] },
      JAN_16,
      settings,
    );
    const year = { start: JAN_16, end: at('2028-01-16T00:00:00') };
    assert.deepEqual(plan.cycle, { reset: true, anchor: JAN_16, period: year });
    assert.deepEqual(prorations(plan), [['Unused time on Basic after 16 Jan 2027', -516]]);
    assert.deepEqual(plan.invoice, { period: year, billsNewPeriod: true });
    assert.deepEqual(items(plan), [['si_1', 'price_pro_yearly', 1, 'changed']]);
  });

  test('monthly → yearly ignores proration_date: the old period is credited as of now', () => {
    const plan = planChange(
      subscription([[BASIC, 1]]),
      { items: [change('si_1', { price: PRO_YEARLY })], prorationDate: JAN_11 },
      JAN_16,
      settings,
    );
    assert.deepEqual(prorations(plan), [['Unused time on Basic after 16 Jan 2027', -516]]);
  });

  const anchorNow: [string, ChangeRequest, unknown[][]][] = [
    [
      'billing_cycle_anchor=now credits every item',
      { billingCycleAnchor: 'now' },
      [
        ['Unused time on Basic after 16 Jan 2027', -516],
        ['Unused time on 2 × Seats after 16 Jan 2027', -516],
      ],
    ],
    [
      'billing_cycle_anchor=now with proration_behavior=none credits nothing',
      { billingCycleAnchor: 'now', prorationBehavior: 'none' },
      [],
    ],
  ];
  for (const [name, request, expected] of anchorNow) {
    test(`${name}, and bills a new month from 16 Jan`, () => {
      const plan = planChange(
        subscription([
          [BASIC, 1],
          [SEATS, 2],
        ]),
        request,
        JAN_16,
        settings,
      );
      const month = { start: JAN_16, end: FEB_16 };
      assert.deepEqual(prorations(plan), expected);
      assert.deepEqual(plan.cycle, { reset: true, anchor: JAN_16, period: month });
      assert.deepEqual(plan.invoice, { period: month, billsNewPeriod: true });
      assert.deepEqual(plan.trial, { action: 'keep' });
    });
  }

  test('billing_cycle_anchor=unchanged changes nothing', () => {
    const plan = planChange(
      subscription([[BASIC, 1]]),
      { billingCycleAnchor: 'unchanged' },
      JAN_16,
      settings,
    );
    assert.deepEqual(plan.cycle, { reset: false, anchor: JAN_1, period: JANUARY });
    assert.equal(plan.invoice, null);
  });
});

describe('planChange: trials', () => {
  const trialing = () => subscription([[BASIC, 1]], { status: 'trialing', trialEnd: FEB_1 });

  test('trial_end=now on a trialing subscription: active now, a new month billed, nothing credited', () => {
    const plan = planChange(trialing(), { trialEnd: 'now' }, JAN_16, settings);
    const month = { start: JAN_16, end: FEB_16 };
    assert.deepEqual(plan.trial, { action: 'end_now' });
    assert.deepEqual(plan.cycle, { reset: true, anchor: JAN_16, period: month });
    assert.deepEqual(prorations(plan), []);
    assert.deepEqual(plan.invoice, { period: month, billsNewPeriod: true });
  });

  test('trial_end=now on an active subscription: nothing to end, nothing changes', () => {
    const plan = planChange(subscription([[BASIC, 1]]), { trialEnd: 'now' }, JAN_16, settings);
    assert.deepEqual(plan.trial, { action: 'keep' });
    assert.deepEqual(plan.cycle, { reset: false, anchor: JAN_1, period: JANUARY });
    assert.equal(plan.invoice, null);
  });

  const later = at('2027-03-01T00:00:00');
  const until: [string, Stripe.Subscription][] = [
    ['a trialing subscription', trialing()],
    ['an active one (a trial starts)', subscription([[BASIC, 1]])],
  ];
  for (const [name, sub] of until) {
    test(`a new trial_end on ${name}: trialing until then, the period running to it, an upgrade not prorated`, () => {
      const plan = planChange(
        sub,
        { trialEnd: later, items: [change('si_1', { price: PRO })], prorationBehavior: 'always_invoice' },
        JAN_16,
        settings,
      );
      assert.deepEqual(plan.trial, { action: 'until', end: later });
      assert.deepEqual(plan.cycle, { reset: false, anchor: later, period: { start: JAN_1, end: later } });
      assert.deepEqual(prorations(plan), []);
      assert.equal(plan.invoice, null);
      assert.deepEqual(items(plan), [['si_1', 'price_pro', 1, 'changed']]);
    });
  }

  test('an upgrade during a trial, even to another interval: no prorations and the cycle kept', () => {
    const plan = planChange(
      trialing(),
      { items: [change('si_1', { price: PRO_YEARLY })], prorationBehavior: 'always_invoice' },
      JAN_16,
      settings,
    );
    assert.deepEqual(prorations(plan), []);
    assert.equal(plan.invoice, null);
    assert.equal(plan.cycle.reset, false);
  });
});

describe('subscriptionAfter: the subscription a plan leaves', () => {
  test('a cycle restart moves every item to the new period; the original is untouched', () => {
    const before = subscription([[BASIC, 1]], { status: 'trialing', trialEnd: FEB_1 });
    const plan = planChange(before, { trialEnd: 'now', items: [add('si_new', SEATS, 2)] }, JAN_16, settings);
    const after = subscriptionAfter(before, plan, JAN_16);
    assert.deepEqual([after.status, after.trial_end, after.billing_cycle_anchor], ['active', JAN_16, JAN_16]);
    assert.deepEqual(
      after.items.data.map((i) => [
        i.id,
        i.price.id,
        i.quantity,
        i.current_period_start,
        i.current_period_end,
      ]),
      [
        ['si_1', 'price_basic', 1, JAN_16, FEB_16],
        ['si_new', 'price_seats', 2, JAN_16, FEB_16],
      ],
    );
    assert.equal(after.items.data[1]!.plan.id, 'price_seats');
    assert.deepEqual([before.status, before.items.data.length], ['trialing', 1]);
  });

  test('a new trial end starts a trial now when there was none', () => {
    const later = at('2027-03-01T00:00:00');
    const before = subscription([[BASIC, 1]]);
    const after = subscriptionAfter(
      before,
      planChange(before, { trialEnd: later }, JAN_16, settings),
      JAN_16,
    );
    assert.deepEqual([after.status, after.trial_start, after.trial_end], ['trialing', JAN_16, later]);
  });
});

describe('unusedTimeCredits (a cancellation now)', () => {
  const cases: [string, Stripe.Subscription, 'create_prorations' | 'none', number, unknown[][]][] = [
    [
      'mid-period',
      subscription([[PRO, 1]]),
      'create_prorations',
      JAN_16,
      [['Unused time on Pro after 16 Jan 2027', -1548]],
    ],
    ['proration_behavior=none', subscription([[PRO, 1]]), 'none', JAN_16, []],
    [
      'during a trial',
      subscription([[PRO, 1]], { status: 'trialing', trialEnd: FEB_1 }),
      'create_prorations',
      JAN_16,
      [],
    ],
    ['at the period start', subscription([[PRO, 1]]), 'create_prorations', JAN_1, []],
  ];
  for (const [name, sub, behavior, now, expected] of cases) {
    test(name, () => {
      const credits = unusedTimeCredits(sub, behavior, now, settings.productNames);
      assert.deepEqual(
        credits.map((p) => [p.description, p.amount]),
        expected,
      );
    });
  }
});

describe('checkChangeTimes', () => {
  const cases: [
    string,
    { proration_date?: number; trial_end?: number | 'now' },
    string | null,
    string | null,
  ][] = [
    ['a proration_date within the period', { proration_date: JAN_11 }, null, null],
    ['the period end itself', { proration_date: FEB_1 }, null, null],
    [
      'a proration_date before the period',
      { proration_date: JAN_1 - DAY },
      'proration_date',
      '`proration_date` must be within the current billing period.',
    ],
    [
      'a trial_end now or past',
      { trial_end: JAN_16 },
      'trial_end',
      'Invalid timestamp: must be an integer Unix timestamp in the future.',
    ],
    [
      'a trial_end over two years ahead',
      { trial_end: JAN_16 + 731 * DAY },
      'trial_end',
      'Invalid timestamp: can be no more than two years in the future.',
    ],
    ['trial_end=now', { trial_end: 'now' }, null, null],
    ['a trial_end exactly two years ahead', { trial_end: JAN_16 + 730 * DAY }, null, null],
  ];
  for (const [name, request, param, message] of cases) {
    test(name, () => {
      let refused: unknown = null;
      try {
        checkChangeTimes(request, JANUARY, JAN_16);
      } catch (error) {
        refused = error;
      }
      const wire = refused === null ? null : asWire(refused);
      assert.deepEqual(
        wire && [wire.status, wire.body.param, wire.body.message],
        param && [400, param, message],
      );
    });
  }
});
