import type Stripe from 'stripe';
import { errors, fail } from '../../core/errors.ts';
import type { LineInput } from '../invoices/lines.ts';
import { pricingOf } from '../invoices/lines.ts';
import { addInterval, anchorFromConfig, type Period, periodContaining } from '../math/periods.ts';
import { priceAmount } from '../math/price-amount.ts';
import { prorationLines } from '../math/proration.ts';
import { periodLines } from './invoicing.ts';
import type { CreateSubscriptionParams } from './params.ts';
import { checkTrialEnd } from './plan.ts';

/**
 * When a new subscription starts and how its cycle runs, decided from the params alone (no
 * database, no clock): the trial, the billing cycle anchor, the first period, and the lines of
 * the first invoice.
 */

const DAY = 86_400;

export interface StartPlan {
  /** `backdate_start_date`, or now. */
  start: number;
  /** The trial's end, or null without a trial. */
  trialEnd: number | null;
  /** The cycle's anchor as asked (`billing_cycle_anchor`, its config), or the start. */
  anchor: number;
  /** The first period: the trial, a stub up to a later anchor, or a whole period from the start. */
  period: Period;
}

/** Plans the start of a subscription billing `prices` (checked, on one cycle) created at `now`. */
export function planStart(params: CreateSubscriptionParams, prices: Stripe.Price[], now: number): StartPlan {
  checkStartTimes(params, now);
  const recurring = prices[0]!.recurring!;
  const start = params.backdate_start_date ?? now;
  const trialEnd = trialEndOf(params, prices, now);
  const anchor = anchorOf(params, { start, trialEnd, now }, recurring);
  const end =
    trialEnd ??
    (anchor > start
      ? anchor
      : periodContaining(anchor, recurring.interval, recurring.interval_count, now).end);
  return { start, trialEnd, anchor, period: { start, end } };
}

/** A backdated start lies in the past; a cancellation date in the future, and only one way to cancel. */
function checkStartTimes(params: CreateSubscriptionParams, now: number): void {
  if (params.backdate_start_date !== undefined && params.backdate_start_date >= now) {
    throw fail('backdate_start_not_past', {}, 'backdate_start_date');
  }
  if (params.cancel_at !== undefined && params.cancel_at <= now) {
    throw fail('cancel_at_not_future', {}, 'cancel_at');
  }
  if (params.cancel_at !== undefined && params.cancel_at_period_end) {
    throw errors.parametersExclusive('cancel_at', 'cancel_at_period_end');
  }
}

/** `trial_end`, `trial_period_days`, or the price's own trial with `trial_from_plan`. */
function trialEndOf(params: CreateSubscriptionParams, prices: Stripe.Price[], now: number): number | null {
  if (params.trial_end !== undefined && params.trial_period_days !== undefined) {
    throw errors.parametersExclusive('trial_end', 'trial_period_days');
  }
  if (params.trial_end === 'now') return null;
  if (params.trial_end !== undefined) {
    checkTrialEnd(params.trial_end, now);
    return params.trial_end;
  }
  if (params.trial_period_days) return now + params.trial_period_days * DAY;
  const fromPlan = prices[0]?.recurring?.trial_period_days;
  if (params.trial_from_plan && fromPlan) return now + fromPlan * DAY;
  return null;
}

/**
 * `billing_cycle_anchor` (between now and the end of the first whole period, or of the trial),
 * or one from `billing_cycle_anchor_config` (ignored during a trial: the trial's end anchors).
 */
function anchorOf(
  params: CreateSubscriptionParams,
  times: { start: number; trialEnd: number | null; now: number },
  recurring: Stripe.Price.Recurring,
): number {
  const { start, trialEnd, now } = times;
  if (params.billing_cycle_anchor !== undefined && params.billing_cycle_anchor_config !== undefined) {
    throw errors.parametersExclusive('billing_cycle_anchor', 'billing_cycle_anchor_config');
  }
  if (params.billing_cycle_anchor !== undefined) {
    const natural = addInterval(start, recurring.interval, recurring.interval_count, 1);
    if (params.billing_cycle_anchor < now || params.billing_cycle_anchor > (trialEnd ?? natural)) {
      throw fail('billing_cycle_anchor_out_of_range', {}, 'billing_cycle_anchor');
    }
    return params.billing_cycle_anchor;
  }
  if (params.billing_cycle_anchor_config !== undefined && trialEnd === null) {
    return anchorFromConfig(start, params.billing_cycle_anchor_config);
  }
  return trialEnd ?? start;
}

/** The first invoice's lines: a free trial, a prorated stub up to a later anchor, or whole periods. */
export function firstLines(
  sub: Stripe.Subscription,
  params: CreateSubscriptionParams,
  plan: StartPlan,
  names: Map<string, string>,
): LineInput[] {
  const { period, anchor, start } = plan;
  if (plan.trialEnd !== null) return periodLines(sub, period, names, { trial: true });
  const recurring = sub.items.data[0]!.price.recurring!;
  if (anchor > start && params.backdate_start_date === undefined) {
    if (params.proration_behavior === 'none')
      return periodLines(sub, period, names, { trial: true }).map((l) => ({
        ...l,
        description: l.description.replace('Trial period for', 'Free period for'),
      }));
    return stubLines(sub, { start, anchor }, names);
  }
  // Backdated: every whole period from the start up to now, at once.
  const periods = params.backdate_start_date === undefined ? 1 : countPeriods(start, period.end, recurring);
  return periodLines(sub, period, names).map((l) => ({ ...l, amount: l.amount * periods }));
}

/** A stub period up to the anchor, billed as the remaining share of the full period ending at the anchor. */
function stubLines(
  sub: Stripe.Subscription,
  times: { start: number; anchor: number },
  names: Map<string, string>,
): LineInput[] {
  const recurring = sub.items.data[0]!.price.recurring!;
  const full = {
    start: addInterval(times.anchor, recurring.interval, recurring.interval_count, -1),
    end: times.anchor,
  };
  return sub.items.data.flatMap((item) => {
    const quantity = item.quantity ?? 1;
    const name = names.get(String(item.price.product)) ?? String(item.price.product);
    return prorationLines({
      period: full,
      prorationDate: times.start,
      to: { amount: priceAmount(item.price, quantity), quantity, name },
    }).map((l) => ({
      amount: l.amount,
      description: l.description,
      period: l.period,
      quantity,
      pricing: pricingOf(item.price),
      discountable: true,
      proration: false,
      subscription: sub.id,
      subscriptionItem: item.id,
      discounts: item.discounts.map((d) => (typeof d === 'string' ? d : d.id)),
      taxRates: item.tax_rates ?? [],
    }));
  });
}

function countPeriods(start: number, end: number, recurring: Stripe.Price.Recurring): number {
  let n = 1;
  while (addInterval(start, recurring.interval, recurring.interval_count, n) < end) n += 1;
  return n;
}
