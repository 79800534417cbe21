import type Stripe from 'stripe';
import { addInterval } from '../math/periods.ts';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** Stripe sends `customer.subscription.trial_will_end` three days before a trial ends. */
export const TRIAL_NOTICE_SECONDS = 3 * DAY;
/** An `incomplete` subscription whose first invoice is not paid within 23 hours expires. */
export const INCOMPLETE_EXPIRY_SECONDS = 23 * HOUR;

/**
 * The period after the current one, as a renewal makes it: boundaries are counted from the anchor
 * (so month ends clamp and recover), on `billing_cycle_anchor_config.day_of_month` when set.
 */
export function nextPeriod(sub: Stripe.Subscription): { start: number; end: number } {
  const start = currentPeriod(sub).end;
  const recurring = sub.items.data[0]!.price.recurring!;
  const anchor = sub.billing_cycle_anchor;
  let n = 1;
  while (addInterval(anchor, recurring.interval, recurring.interval_count, n) <= start) n += 1;
  const end = addInterval(anchor, recurring.interval, recurring.interval_count, n, {
    dayOfMonth: sub.billing_cycle_anchor_config?.day_of_month,
  });
  return { start, end };
}

/** The subscription's current period (all items share one cycle). */
export function currentPeriod(sub: Stripe.Subscription): { start: number; end: number } {
  const item = sub.items.data[0];
  return {
    start: item?.current_period_start ?? sub.start_date,
    end: item?.current_period_end ?? sub.start_date,
  };
}

/**
 * When the engine next has work for a subscription, seen at `now`: the trial notice (only while
 * it is still ahead), the end of the trial or of the period, a cancellation date, the end of a
 * pause, or an incomplete subscription's expiry. Obligations stay due when they are overdue, so a
 * late worker still does them.
 */
export function nextActionAt(sub: Stripe.Subscription, now: number): number | null {
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') return null;
  const due: number[] = [];
  if (sub.status === 'incomplete') due.push(sub.created + INCOMPLETE_EXPIRY_SECONDS);
  if (sub.cancel_at !== null) due.push(sub.cancel_at);
  if (sub.pause_collection?.resumes_at) due.push(sub.pause_collection.resumes_at);
  if (sub.status === 'trialing' && sub.trial_end !== null) {
    if (sub.trial_end - TRIAL_NOTICE_SECONDS > now) due.push(sub.trial_end - TRIAL_NOTICE_SECONDS);
    due.push(sub.trial_end);
  } else if (sub.status !== 'incomplete' && sub.status !== 'paused') {
    due.push(currentPeriod(sub).end);
  }
  return due.length ? Math.min(...due) : null;
}
