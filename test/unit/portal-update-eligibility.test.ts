import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import type Stripe from 'stripe';
import {
  decreasesAmount,
  type ItemTerms,
  priceChoices,
  type ScheduleOwner,
  scheduleCondition,
  shortensInterval,
  updateBlock,
} from '../../src/billing/portal/hosted/eligibility.ts';

type Feature = Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate;

function price(
  id: string,
  product: string,
  amount: number,
  interval: 'day' | 'week' | 'month' | 'year' = 'month',
  extra: Partial<Stripe.Price> = {},
): Stripe.Price {
  return {
    id,
    product,
    active: true,
    currency: 'usd',
    unit_amount: amount,
    unit_amount_decimal: String(amount),
    billing_scheme: 'per_unit',
    tiers_mode: null,
    transform_quantity: null,
    tax_behavior: 'exclusive',
    recurring: { interval, interval_count: 1, usage_type: 'licensed', meter: null, trial_period_days: null },
    ...extra,
  } as Stripe.Price;
}

function subscription(prices: Stripe.Price[], extra: Partial<Stripe.Subscription> = {}): Stripe.Subscription {
  return {
    id: 'sub_1',
    status: 'active',
    currency: 'usd',
    collection_method: 'charge_automatically',
    items: { data: prices.map((p, i) => ({ id: `si_${i}`, price: p, quantity: 1 })) },
    ...extra,
  } as Stripe.Subscription;
}

function feature(extra: Partial<Feature> = {}): Feature {
  return {
    enabled: true,
    billing_cycle_anchor: null,
    default_allowed_updates: ['price', 'quantity', 'promotion_code'],
    proration_behavior: 'create_prorations',
    schedule_at_period_end: { conditions: [] },
    trial_update_behavior: 'end_trial',
    products: [
      {
        product: 'prod_pro',
        prices: ['price_pro', 'price_pro_year'],
        adjustable_quantity: { enabled: false, minimum: 1, maximum: null },
      },
      {
        product: 'prod_basic',
        prices: ['price_basic'],
        adjustable_quantity: { enabled: false, minimum: 1, maximum: null },
      },
    ],
    ...extra,
  };
}

const pro = price('price_pro', 'prod_pro', 1500);
const proYear = price('price_pro_year', 'prod_pro', 15000, 'year');
const basic = price('price_basic', 'prod_basic', 500);

describe('updateBlock: which subscriptions the portal may update (§9.5, §9.12)', () => {
  const cases: [
    string,
    Stripe.Subscription,
    { schedule?: ScheduleOwner; multiItem?: boolean; feature?: Feature },
    string | null,
  ][] = [
    ['an active subscription of a listed product', subscription([pro]), {}, null],
    ['a trialing one', subscription([pro], { status: 'trialing' }), {}, null],
    ['past due', subscription([pro], { status: 'past_due' }), {}, 'status'],
    ['paused', subscription([pro], { status: 'paused' }), {}, 'status'],
    ['canceled', subscription([pro], { status: 'canceled' }), {}, 'status'],
    ['items of two products', subscription([pro, basic]), {}, 'several_products'],
    ['items of two products, multi-item updates on', subscription([pro, basic]), { multiItem: true }, null],
    [
      'a metered price',
      subscription([
        price('price_m', 'prod_pro', 1, 'month', {
          recurring: {
            interval: 'month',
            interval_count: 1,
            usage_type: 'metered',
            meter: 'm',
            trial_period_days: null,
          },
        }),
      ]),
      {},
      'usage_based',
    ],
    ['invoices sent', subscription([pro], { collection_method: 'send_invoice' }), {}, 'send_invoice'],
    [
      'set to cancel at the period end',
      subscription([pro], { cancel_at_period_end: true }),
      {},
      'cancel_pending',
    ],
    ['set to cancel at a date', subscription([pro], { cancel_at: 1_800_000_000 }), {}, 'cancel_pending'],
    ['a merchant’s schedule', subscription([pro]), { schedule: 'foreign' }, 'foreign_schedule'],
    ['the portal’s own pending change', subscription([pro]), { schedule: 'portal' }, null],
    [
      'tax_behavior unspecified',
      subscription([price('price_u', 'prod_pro', 1500, 'month', { tax_behavior: 'unspecified' })]),
      {},
      'tax_unspecified',
    ],
    [
      'a product the configuration does not list',
      subscription([price('price_x', 'prod_x', 900)]),
      {},
      'product_not_offered',
    ],
  ];
  for (const [name, sub, options, expected] of cases) {
    test(name, () => {
      assert.equal(
        updateBlock({
          subscription: sub,
          feature: options.feature ?? feature(),
          schedule: options.schedule ?? 'none',
          multiItem: options.multiItem ?? false,
        }),
        expected,
      );
    });
  }
});

describe('priceChoices: what an item may switch to', () => {
  const all = new Map([pro, proYear, basic].map((p) => [p.id, p]));
  const ids = (choices: ReturnType<typeof priceChoices>) => choices.map((c) => [c.price.id, c.current]);

  test('the current price first, then the listed ones', () => {
    const sub = subscription([pro]);
    assert.deepEqual(ids(priceChoices(sub, sub.items.data[0]!, feature(), all)), [
      ['price_pro', true],
      ['price_pro_year', false],
      ['price_basic', false],
    ]);
  });

  test('without `price` in default_allowed_updates, only the current price', () => {
    const sub = subscription([pro]);
    const f = feature({ default_allowed_updates: ['quantity'] });
    assert.deepEqual(ids(priceChoices(sub, sub.items.data[0]!, f, all)), [['price_pro', true]]);
  });

  test('other currencies, other tax behaviours, archived prices and a second price per interval are left out', () => {
    const eur = price('price_eur', 'prod_basic', 500, 'month', { currency: 'eur' });
    const inclusive = price('price_incl', 'prod_basic', 500, 'month', { tax_behavior: 'inclusive' });
    const archived = price('price_old', 'prod_basic', 400, 'month', { active: false });
    const second = price('price_basic2', 'prod_basic', 450);
    const prices = new Map([pro, basic, eur, inclusive, archived, second].map((p) => [p.id, p]));
    const f = feature({
      products: [
        {
          product: 'prod_pro',
          prices: ['price_pro'],
          adjustable_quantity: { enabled: false, minimum: 1, maximum: null },
        },
        {
          product: 'prod_basic',
          prices: ['price_eur', 'price_incl', 'price_old', 'price_basic', 'price_basic2'],
          adjustable_quantity: { enabled: false, minimum: 1, maximum: null },
        },
      ],
    });
    const sub = subscription([pro]);
    assert.deepEqual(ids(priceChoices(sub, sub.items.data[0]!, f, prices)), [
      ['price_pro', true],
      ['price_basic', false],
    ]);
  });
});

describe('priceChoices beside other items (multi-item updates)', () => {
  test('only prices with the other items’ billing interval are offered', () => {
    const all = new Map([pro, proYear, basic].map((p) => [p.id, p]));
    const sub = subscription([pro, basic]);
    const choices = priceChoices(sub, sub.items.data[0]!, feature(), all).map((c) => c.price.id);
    assert.deepEqual(choices, ['price_pro', 'price_basic']);
  });
});

describe('schedule_at_period_end conditions (Portico rules)', () => {
  const terms = (p: Stripe.Price, quantity = 1): ItemTerms => ({ price: p, quantity });
  const cases: [string, ItemTerms, ItemTerms, boolean, boolean][] = [
    // name, from, to, decreases amount, shortens interval
    ['Pro → Basic (monthly)', terms(pro), terms(basic), true, false],
    ['Basic → Pro', terms(basic), terms(pro), false, false],
    ['3 → 2 seats', terms(pro, 3), terms(pro, 2), true, false],
    ['monthly 15.00 → yearly 150.00: less per year', terms(pro), terms(proYear), true, false],
    [
      'monthly 15.00 → yearly 180.00: the same per year',
      terms(pro),
      terms(price('y', 'prod_pro', 18000, 'year')),
      false,
      false,
    ],
    [
      'yearly 150.00 → monthly 15.00: more per year, a shorter interval',
      terms(proYear),
      terms(pro),
      false,
      true,
    ],
    [
      'monthly → weekly 3.00 (156.00 a year)',
      terms(pro),
      terms(price('w', 'prod_pro', 300, 'week')),
      true,
      true,
    ],
  ];
  for (const [name, from, to, decreases, shortens] of cases) {
    test(name, () => {
      assert.equal(decreasesAmount(from, to), decreases, 'decreasing_item_amount');
      assert.equal(shortensInterval(from, to), shortens, 'shortening_interval');
    });
  }

  test('the first configured condition that holds decides; none configured, nothing waits', () => {
    const both = feature({
      schedule_at_period_end: {
        conditions: [{ type: 'shortening_interval' }, { type: 'decreasing_item_amount' }],
      },
    });
    assert.equal(scheduleCondition(both, terms(proYear), terms(pro)), 'shortening_interval');
    assert.equal(scheduleCondition(both, terms(pro), terms(basic)), 'decreasing_item_amount');
    assert.equal(scheduleCondition(both, terms(basic), terms(pro)), null);
    assert.equal(scheduleCondition(feature(), terms(pro), terms(basic)), null);
  });
});
