import type Stripe from 'stripe';
import { addInterval } from '../math/periods.ts';

const HOUR = 3600;
const DAY = 24 * HOUR;
/** Stripe sends `customer.subscription.trial_will_end` three days before a trial ends. */
export const TRIAL_NOTICE_SECONDS = 3 * DAY;
/**
 * Stripe's reminder email ("Send a reminder email 7 days before a free trial ends") goes out
 * seven days before; a trial of seven days or less gets none. The engine wakes for it whatever
 * the account's switch says, which is read when the moment comes.
 */
export const TRIAL_REMINDER_SECONDS = 7 * DAY;
/** An `incomplete` subscription whose first invoice is not paid within 23 hours expires. */
export const INCOMPLETE_EXPIRY_SECONDS = 23 * HOUR;
/** A pending update (`payment_behavior=pending_if_incomplete`) waits 23 hours for its payment. */
export const PENDING_UPDATE_SECONDS = 23 * HOUR;

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
 * When the engine next has work for a subscription, seen at `now`: the trial reminder mail and
 * notice (each only while it is still ahead), the end of the trial or of the period, a cancellation date, the end of a
 * pause, or an incomplete subscription's expiry. Obligations stay due when they are overdue, so a
 * late worker still does them. `upcomingDays` before a renewal that will be charged
 * automatically, the `invoice.upcoming` notice (0 for none).
 */
export function nextActionAt(sub: Stripe.Subscription, now: number, upcomingDays = 0): number | null {
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') return null;
  const due: number[] = [];
  if (sub.status === 'incomplete') due.push(sub.created + INCOMPLETE_EXPIRY_SECONDS);
  if (sub.cancel_at !== null) due.push(sub.cancel_at);
  if (sub.pause_collection?.resumes_at) due.push(sub.pause_collection.resumes_at);
  if (sub.pending_update) due.push(sub.pending_update.expires_at);
  if (sub.status === 'trialing' && sub.trial_end !== null) {
    if (sub.trial_end - TRIAL_REMINDER_SECONDS > now) due.push(sub.trial_end - TRIAL_REMINDER_SECONDS);
    if (sub.trial_end - TRIAL_NOTICE_SECONDS > now) due.push(sub.trial_end - TRIAL_NOTICE_SECONDS);
    due.push(sub.trial_end);
  } else if (sub.status !== 'incomplete' && sub.status !== 'paused') {
    const end = currentPeriod(sub).end;
    due.push(end);
    const notice = upcomingNoticeAt(sub, upcomingDays);
    if (notice !== null && notice > now) due.push(notice);
  }
  return due.length ? Math.min(...due) : null;
}

/**
 * When `invoice.upcoming` is due: `days` before a renewal that will be charged automatically, for
 * an active or past-due subscription that is not ending first. Null when there is none.
 */
export function upcomingNoticeAt(sub: Stripe.Subscription, days: number): number | null {
  if (days <= 0 || sub.collection_method !== 'charge_automatically') return null;
  if (sub.status !== 'active' && sub.status !== 'past_due') return null;
  const end = currentPeriod(sub).end;
  if (sub.cancel_at_period_end || (sub.cancel_at !== null && sub.cancel_at <= end)) return null;
  const notice = end - days * DAY;
  return notice > currentPeriod(sub).start ? notice : null;
}
