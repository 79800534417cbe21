import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCustomer } from '../customers/service.ts';
import { hasEnded } from '../subscriptions/cancel.ts';
import { currentPeriod } from '../subscriptions/schedule.ts';
import { requireSubscription } from '../subscriptions/store.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { linkSubscription, syncCancelDate } from './apply.ts';
import { begin } from './lifecycle.ts';
import type { CreateScheduleParams } from './params.ts';
import { buildPhases } from './phases.ts';
import { emptySettings, mergeSettings } from './settings.ts';
import { idOf, insertSchedule } from './store.ts';

type Schedule = Stripe.SubscriptionSchedule;

/** What `from_subscription` leaves no room for: the schedule is made from the subscription alone. */
const NOT_WITH_FROM_SUBSCRIPTION = [
  'customer',
  'phases',
  'start_date',
  'end_behavior',
  'default_settings',
] as const;

function newSchedule(
  ctx: Ctx,
  customer: Stripe.Customer,
  fields: Pick<Schedule, 'default_settings' | 'end_behavior' | 'metadata' | 'phases'>,
): Schedule {
  return {
    id: newId('sub_sched'),
    object: 'subscription_schedule',
    application: null,
    billing_mode: { flexible: null, type: 'classic' },
    canceled_at: null,
    completed_at: null,
    created: ctx.clock.now(),
    current_phase: null,
    customer: customer.id,
    customer_account: null,
    livemode: ctx.scope.livemode,
    pause_schedules: [],
    released_at: null,
    released_subscription: null,
    status: 'not_started',
    subscription: null,
    test_clock: idOf(customer.test_clock),
    ...fields,
  };
}

/**
 * `from_subscription`: the schedule takes over a running subscription with one phase, its
 * current period, and lets go of it at the end (`release`). A subscription set to cancel at the
 * end of its period (or before) gives a phase that ends then and `end_behavior=cancel`.
 */
async function fromSubscription(base: Ctx, id: string, metadata: CreateScheduleParams['metadata']) {
  const sub = await requireSubscription(base, id, 'from_subscription');
  if (sub.schedule) {
    throw fail(
      'schedule_subscription_managed',
      { subscription: id, schedule: idOf(sub.schedule) },
      'from_subscription',
    );
  }
  if (hasEnded(sub)) {
    throw fail('schedule_subscription_ended', { subscription: id, status: sub.status }, 'from_subscription');
  }
  const customer = await requireCustomer(base, idOf(sub.customer)!);
  const ctx = await ctxForCustomer(base, customer);
  const period = currentPeriod(sub);
  const cancelAt = sub.cancel_at_period_end ? period.end : sub.cancel_at;
  const ending = cancelAt !== null && cancelAt <= period.end;
  const settings = emptySettings();
  settings.collection_method = sub.collection_method;
  settings.invoice_settings.days_until_due = sub.days_until_due;
  settings.default_payment_method = idOf(sub.default_payment_method);
  settings.description = sub.description;
  const phase: Stripe.SubscriptionSchedule.Phase = {
    add_invoice_items: [],
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: null,
    billing_thresholds: null,
    collection_method: null,
    currency: sub.currency,
    default_payment_method: null,
    default_tax_rates: sub.default_tax_rates ?? [],
    description: null,
    discounts: sub.discounts.map((d) => ({ coupon: null, discount: idOf(d), promotion_code: null })),
    end_date: ending ? cancelAt! : period.end,
    invoice_settings: null,
    items: sub.items.data.map((item) => ({
      billing_thresholds: null,
      discounts: [],
      metadata: item.metadata,
      plan: item.price.id,
      price: item.price.id,
      quantity: item.quantity ?? 1,
      tax_rates: item.tax_rates ?? [],
    })),
    metadata: {},
    on_behalf_of: null,
    proration_behavior: 'create_prorations',
    start_date: period.start,
    transfer_data: null,
    trial_end: sub.status === 'trialing' ? sub.trial_end : null,
  };
  const schedule = newSchedule(ctx, customer, {
    default_settings: settings,
    end_behavior: ending ? 'cancel' : 'release',
    metadata: mergeMetadata({}, metadata),
    phases: [phase],
  });
  schedule.status = 'active';
  schedule.subscription = sub.id;
  schedule.current_phase = { start_date: phase.start_date, end_date: phase.end_date };
  await insertSchedule(ctx, schedule);
  await linkSubscription(ctx, sub.id, schedule.id);
  await syncCancelDate(ctx, schedule, ending);
  await emitEvent(ctx, 'subscription_schedule.created', schedule);
  return schedule;
}

/**
 * `POST /v1/subscription_schedules`. Either `from_subscription`, or a `customer` with `phases`
 * starting at `start_date` (`now` by default, or later: Portico does not backdate). A schedule
 * that starts now creates its subscription at once; a later one is `not_started` until the
 * billing engine reaches its start.
 */
export async function createSchedule(base: Ctx, params: CreateScheduleParams): Promise<Schedule> {
  if (params.customer_account !== undefined) {
    throw fail('customer_account_unsupported', {}, 'customer_account');
  }
  if (params.billing_mode?.type === 'flexible') {
    throw fail('billing_mode_unsupported', {}, 'billing_mode[type]');
  }
  if (params.from_subscription !== undefined) {
    for (const key of NOT_WITH_FROM_SUBSCRIPTION) {
      if (params[key] !== undefined) {
        throw fail('schedule_from_subscription_conflict', { field: key }, key);
      }
    }
    return fromSubscription(base, params.from_subscription, params.metadata);
  }
  if (params.customer === undefined) throw errors.parameterMissing('customer');
  const customer = await requireCustomer(base, params.customer, 'customer');
  const ctx = await ctxForCustomer(base, customer);
  const now = ctx.clock.now();
  if (!params.phases || params.phases.length === 0) throw errors.parameterMissing('phases');
  const start = params.start_date === undefined || params.start_date === 'now' ? now : params.start_date;
  if (start < now) {
    throw fail('schedule_backdated', {}, 'start_date');
  }
  const defaults = await mergeSettings(ctx, emptySettings(), params.default_settings, customer);
  const phases = await buildPhases(ctx, params.phases, start, {
    customer,
    now,
    defaults,
    discounts: [],
    currency: null,
  });
  const schedule = newSchedule(ctx, customer, {
    default_settings: defaults,
    end_behavior: params.end_behavior ?? 'release',
    metadata: mergeMetadata({}, params.metadata),
    phases,
  });
  if (start <= now) await begin(ctx, schedule, { offSession: false });
  await insertSchedule(ctx, schedule);
  await emitEvent(ctx, 'subscription_schedule.created', schedule);
  return schedule;
}
