import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { advance, clockCustomer, utc } from '../scenarios/support.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

const START = utc(2027, 3, 10);

describe('subscription schedule rules', () => {
  let server: TestServer;
  let stripe: Stripe;
  let customer: Stripe.Customer;
  let pro: Stripe.Price;
  let euro: Stripe.Price;
  let yearly: Stripe.Price;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
    ({ customer } = await clockCustomer(stripe, START));
    const product = await stripe.products.create({ name: 'Pro' });
    const price = (currency: string, interval: 'month' | 'year') =>
      stripe.prices.create({ product: product.id, currency, unit_amount: 3000, recurring: { interval } });
    pro = await price('usd', 'month');
    euro = await price('eur', 'month');
    yearly = await price('usd', 'year');
  });
  after(() => server.close());

  async function refused(
    call: Promise<unknown>,
    param: string | undefined,
    code?: string,
  ): Promise<InstanceType<typeof E.StripeInvalidRequestError>> {
    const error = await stripeError(call, E.StripeInvalidRequestError, 400);
    assert.equal(error.type, 'StripeInvalidRequestError');
    assert.equal(error.param, param, error.message);
    if (code) assert.equal(error.code, code, error.message);
    return error;
  }

  const create = (params: Partial<Stripe.SubscriptionScheduleCreateParams>) =>
    stripe.subscriptionSchedules.create({ customer: customer.id, ...params });
  const phase = (extra: Partial<Stripe.SubscriptionScheduleCreateParams.Phase> = {}) => ({
    items: [{ price: pro.id }],
    ...extra,
  });

  test('who the schedule is for', async () => {
    await refused(
      stripe.subscriptionSchedules.create({ phases: [phase()] }),
      'customer',
      'parameter_missing',
    );
    await refused(
      stripe.subscriptionSchedules.create({ customer: 'cus_missing', phases: [phase()] }),
      'customer',
      'resource_missing',
    );
    await refused(create({}), 'phases', 'parameter_missing');
    await refused(create({ customer_account: 'acct_x', phases: [phase()] }), 'customer_account');
    await refused(create({ phases: [phase()], billing_mode: { type: 'flexible' } }), 'billing_mode[type]');
    await refused(
      create({ phases: [{ ...phase(), add_invoice_items: [{ price: pro.id }] }] }),
      'phases[0][add_invoice_items]',
      'parameter_unknown',
    );
    await refused(create({ phases: [phase()], end_behavior: 'renew' }), 'end_behavior');
  });

  test('from_subscription takes nothing else and only a running, unscheduled subscription', async () => {
    const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
    await refused(
      stripe.subscriptionSchedules.create({ from_subscription: 'sub_missing' }),
      'from_subscription',
      'resource_missing',
    );
    await refused(create({ from_subscription: sub.id }), 'customer');
    await refused(
      stripe.subscriptionSchedules.create({ from_subscription: sub.id, phases: [phase()] }),
      'phases',
    );
    await refused(
      stripe.subscriptionSchedules.create({ from_subscription: sub.id, start_date: 'now' }),
      'start_date',
    );
    const schedule = await stripe.subscriptionSchedules.create({ from_subscription: sub.id });
    const twice = await refused(
      stripe.subscriptionSchedules.create({ from_subscription: sub.id }),
      'from_subscription',
    );
    assert.match(twice.message, new RegExp(schedule.id));
    await stripe.subscriptionSchedules.release(schedule.id);
    await stripe.subscriptions.cancel(sub.id);
    await refused(stripe.subscriptionSchedules.create({ from_subscription: sub.id }), 'from_subscription');
  });

  test('dates: no backdating, one way to end a phase, ends after starts', async () => {
    await refused(create({ start_date: START - 60, phases: [phase()] }), 'start_date');
    await refused(
      create({ phases: [phase({ end_date: utc(2027, 5, 1), duration: { interval: 'month' } })] }),
      'phases[0][end_date]',
      'parameters_exclusive',
    );
    await refused(create({ phases: [phase({ end_date: START })] }), 'phases[0][end_date]');
    await refused(
      create({ phases: [phase({ end_date: utc(2027, 5, 1) }), phase({ end_date: utc(2027, 4, 1) })] }),
      'phases[1][end_date]',
    );
    const dated = await create({
      start_date: utc(2027, 4, 1),
      phases: [
        phase({ duration: { interval: 'week', interval_count: 2 } }),
        phase({ items: [{ price: yearly.id }] }),
      ],
    });
    assert.deepEqual(
      dated.phases.map((p) => [p.start_date, p.end_date]),
      [
        [utc(2027, 4, 1), utc(2027, 4, 15)],
        [utc(2027, 4, 15), utc(2028, 4, 15)],
      ],
      'a phase without an end lasts one period of its price',
    );
  });

  test('trials, anchors, collection, payment method and currency', async () => {
    await refused(
      create({ phases: [phase({ trial: true, trial_end: utc(2027, 3, 20), end_date: utc(2027, 4, 1) })] }),
      'phases[0][trial]',
      'parameters_exclusive',
    );
    await refused(
      create({ phases: [phase({ trial_end: utc(2027, 5, 1), end_date: utc(2027, 4, 1) })] }),
      'phases[0][trial_end]',
    );
    await refused(
      create({ phases: [phase({ trial: true, billing_cycle_anchor: 'phase_start' })] }),
      'phases[0][billing_cycle_anchor]',
    );
    await refused(
      create({ phases: [phase({ collection_method: 'send_invoice' })] }),
      'phases[0][invoice_settings][days_until_due]',
    );
    await refused(
      create({ phases: [phase({ invoice_settings: { days_until_due: 10 } })] }),
      'phases[0][invoice_settings][days_until_due]',
    );
    await refused(
      create({ phases: [phase({ default_payment_method: 'pm_missing' })] }),
      'phases[0][default_payment_method]',
      'resource_missing',
    );
    await refused(create({ phases: [phase(), phase({ items: [{ price: euro.id }] })] }), 'phases[1][items]');
    await refused(create({ phases: [phase({ currency: 'eur' })] }), 'phases[0][currency]');
    await refused(
      create({ phases: [phase({ items: [{ price: pro.id }, { price: yearly.id }] })] }),
      'phases[0][items]',
    );
    await refused(
      create({ phases: [phase({ items: [{ price: 'price_missing' }] })] }),
      'phases[0][items][0][price]',
      'resource_missing',
    );
    await refused(
      create({ phases: [phase({ items: [{ price: pro.id, plan: pro.id }] })] }),
      'phases[0][items][0][plan]',
      'parameters_exclusive',
    );
    const viaPlan = await create({
      start_date: utc(2027, 4, 1),
      phases: [
        {
          items: [{ plan: pro.id }],
          collection_method: 'send_invoice',
          invoice_settings: { days_until_due: 7 },
        },
      ],
    });
    assert.equal(viaPlan.phases[0]!.items[0]!.price, pro.id);
    assert.equal(viaPlan.phases[0]!.invoice_settings?.days_until_due, 7);
  });

  test('discounts name one coupon, promotion code or discount each, redeemable', async () => {
    const coupon = await stripe.coupons.create({ percent_off: 10 });
    await refused(
      create({ phases: [phase({ discounts: [{ coupon: 'nope' }] })] }),
      'phases[0][discounts][0][coupon]',
      'resource_missing',
    );
    await refused(
      create({ phases: [phase({ discounts: [{ coupon: coupon.id, promotion_code: 'promo_x' }] })] }),
      'phases[0][discounts][0]',
    );
    await refused(
      create({ phases: [phase({ discounts: [{ discount: 'di_missing' }] })] }),
      'phases[0][discounts][0][discount]',
      'resource_missing',
    );
    const schedule = await create({
      start_date: utc(2027, 4, 1),
      phases: [phase({ discounts: [{ coupon: coupon.id }] })],
    });
    assert.deepEqual(schedule.phases[0]!.discounts, [
      { coupon: coupon.id, discount: null, promotion_code: null },
    ]);
  });

  test('update keeps the past: the current phase keeps its start and ends in the future or now', async () => {
    const { customer: other, clock: otherClock } = await clockCustomer(stripe, START);
    const schedule = await stripe.subscriptionSchedules.create({
      customer: other.id,
      phases: [phase({ end_date: utc(2027, 4, 1) }), phase({ end_date: utc(2027, 5, 1) })],
    });
    await advance(stripe, otherClock.id, utc(2027, 4, 10));
    const current = { start_date: utc(2027, 4, 1), end_date: utc(2027, 5, 1) };
    assert.deepEqual((await stripe.subscriptionSchedules.retrieve(schedule.id)).current_phase, current);
    await refused(
      stripe.subscriptionSchedules.update(schedule.id, {
        phases: [{ ...phase(), start_date: utc(2027, 4, 2), end_date: utc(2027, 6, 1) }],
      }),
      'phases[0][start_date]',
    );
    await refused(
      stripe.subscriptionSchedules.update(schedule.id, {
        phases: [
          { ...phase(), start_date: START, end_date: utc(2027, 3, 20) },
          { ...phase(), end_date: utc(2027, 6, 1) },
        ],
      }),
      'phases[0]',
    );
    await refused(
      stripe.subscriptionSchedules.update(schedule.id, {
        phases: [{ ...phase(), start_date: current.start_date, end_date: utc(2027, 4, 5) }],
      }),
      'phases[0][end_date]',
    );
    const kept = await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [
        { ...phase(), start_date: START, end_date: utc(2027, 4, 1) },
        { ...phase(), end_date: utc(2027, 7, 1) },
      ],
    });
    assert.deepEqual(
      kept.phases.map((p) => [p.start_date, p.end_date]),
      [
        [START, utc(2027, 4, 1)],
        [utc(2027, 4, 1), utc(2027, 7, 1)],
      ],
      'a past phase sent unchanged is accepted',
    );
    const omitted = await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [{ ...phase(), end_date: utc(2027, 8, 1) }],
    });
    assert.deepEqual(
      omitted.phases.map((p) => [p.start_date, p.end_date]),
      [
        [START, utc(2027, 4, 1)],
        [utc(2027, 4, 1), utc(2027, 8, 1)],
      ],
      'past phases may be left out; the first phase sent is the current one',
    );
    const ended = await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [{ ...phase(), start_date: current.start_date, end_date: 'now' }],
    });
    assert.equal(ended.status, 'released', 'ending the last phase now ends the schedule');
    assert.equal(ended.released_at, utc(2027, 4, 10));
  });

  test('a not-started schedule: its start stays ahead, and phases join end to start', async () => {
    const schedule = await create({ start_date: utc(2027, 4, 1), phases: [phase()] });
    await refused(
      stripe.subscriptionSchedules.update(schedule.id, {
        phases: [{ ...phase(), start_date: START - 86_400 }],
      }),
      'phases[0][start_date]',
    );
    await refused(
      stripe.subscriptionSchedules.update(schedule.id, {
        phases: [
          { ...phase(), end_date: utc(2027, 5, 1) },
          { ...phase(), start_date: utc(2027, 5, 2) },
        ],
      }),
      'phases[1][start_date]',
    );
    const joined = await stripe.subscriptionSchedules.update(schedule.id, {
      phases: [phase(), { ...phase(), start_date: utc(2027, 4, 20) }],
    });
    assert.deepEqual(
      joined.phases.map((p) => [p.start_date, p.end_date]),
      [
        [utc(2027, 4, 1), utc(2027, 4, 20)],
        [utc(2027, 4, 20), utc(2027, 5, 20)],
      ],
      'a phase without an end ends where the next one starts',
    );
    assert.equal(joined.status, 'not_started');
  });
});
