import type Stripe from 'stripe';

/**
 * Billing period boundaries, as Stripe's billing-cycle guide describes them. All times are Unix
 * seconds in UTC; nothing here reads a clock.
 *
 * - Boundary n of a cycle is the anchor plus n × `interval_count` intervals. `day` and `week` are
 *   fixed lengths (86 400 s, 7 × 86 400 s).
 * - `month` and `year` keep the anchor's day of the month and time of day; a day the target month
 *   lacks becomes its last day. Each boundary is computed from the anchor, never from the previous
 *   boundary, so an anchor on 31 Jan gives 28 (or 29) Feb, 31 Mar, 30 Apr, and an anchor on
 *   29 Feb gives 28 Feb in the following years and 29 Feb again in leap years.
 * - With `billing_cycle_anchor_config`, the config's `day_of_month` is the day to keep (the anchor
 *   itself may have been clamped to a shorter month): pass it as `dayOfMonth`.
 * - A period is half-open, [start, end): the instant of a boundary belongs to the period it starts.
 */

export type Interval = Stripe.Price.Recurring.Interval;

export interface CycleOptions {
  /** The day of the month boundaries fall on (1–31), when it differs from the anchor's own day. */
  dayOfMonth?: number | null;
}

export interface Period {
  start: number;
  end: number;
}

const DAY = 86_400;

function checkCount(count: number): void {
  if (!Number.isSafeInteger(count) || count < 1)
    throw new RangeError(`interval_count must be ≥ 1, got ${count}`);
}

/**
 * Milliseconds of midnight UTC on a calendar day, for any year. `Date.UTC` reads years 0–99 as
 * 1900–1999, which puts boundaries counted back past year 100 in the wrong century;
 * `setUTCFullYear` takes the year as given. Month and day may overflow as with `Date.UTC`.
 */
function utcMidnight(year: number, month: number, day: number): number {
  return new Date(0).setUTCFullYear(year, month, day);
}

function daysInMonth(year: number, month: number): number {
  return new Date(utcMidnight(year, month + 1, 0)).getUTCDate();
}

/** A UTC instant on `day` of month `month` (0-based, may overflow into other years), clamped to the month's length. */
function atDay(year: number, month: number, day: number, seconds: number): number {
  const first = new Date(utcMidnight(year, month, 1));
  const y = first.getUTCFullYear();
  const m = first.getUTCMonth();
  return utcMidnight(y, m, Math.min(day, daysInMonth(y, m))) / 1000 + seconds;
}

function addMonths(anchor: number, months: number, dayOfMonth?: number | null): number {
  const a = new Date(anchor * 1000);
  const timeOfDay = anchor - utcMidnight(a.getUTCFullYear(), a.getUTCMonth(), a.getUTCDate()) / 1000;
  return atDay(a.getUTCFullYear(), a.getUTCMonth() + months, dayOfMonth ?? a.getUTCDate(), timeOfDay);
}

/** The n-th boundary of the cycle (n = 0 is the anchor; negative n counts back). */
export function addInterval(
  anchor: number,
  interval: Interval,
  count: number,
  n: number,
  options: CycleOptions = {},
): number {
  checkCount(count);
  if (!Number.isSafeInteger(n)) throw new RangeError(`n must be an integer, got ${n}`);
  const boundary = boundaryAt(anchor, interval, count, n, options.dayOfMonth);
  // Past JavaScript's date range (±8.64e12 s) months have no calendar; refuse rather than answer NaN.
  if (!Number.isSafeInteger(boundary) || Math.abs(boundary) > MAX_SECONDS)
    throw new RangeError(`boundary ${n} of the cycle is outside the representable range`);
  return boundary;
}

const MAX_SECONDS = 8.64e12;

function boundaryAt(
  anchor: number,
  interval: Interval,
  count: number,
  n: number,
  dayOfMonth?: number | null,
) {
  switch (interval) {
    case 'day':
      return anchor + n * count * DAY;
    case 'week':
      return anchor + n * count * 7 * DAY;
    case 'month':
      return addMonths(anchor, n * count, dayOfMonth);
    case 'year':
      return addMonths(anchor, n * count * 12, dayOfMonth);
    default:
      throw new RangeError(`Unknown interval: ${interval}`);
  }
}

/** Months from the anchor's month to t's month: a first guess at how many boundaries lie between. */
function monthsBetween(anchor: number, t: number): number {
  const a = new Date(anchor * 1000);
  const b = new Date(t * 1000);
  return (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + (b.getUTCMonth() - a.getUTCMonth());
}

/** The period of the cycle that contains t: start ≤ t < end. Works before the anchor too. */
export function periodContaining(
  anchor: number,
  interval: Interval,
  count: number,
  t: number,
  options: CycleOptions = {},
): Period {
  checkCount(count);
  const boundary = (n: number) => addInterval(anchor, interval, count, n, options);
  let n: number;
  if (interval === 'day' || interval === 'week') {
    n = Math.floor((t - anchor) / ((interval === 'day' ? 1 : 7) * count * DAY));
  } else {
    n = Math.floor(monthsBetween(anchor, t) / (interval === 'year' ? 12 * count : count));
  }
  // The guess is off by at most one either way (clamped days, time of day); settle it.
  while (boundary(n) > t) n -= 1;
  while (boundary(n + 1) <= t) n += 1;
  return { start: boundary(n), end: boundary(n + 1) };
}

/** The first boundary strictly after t: when the current period ends and the next invoice is due. */
export function nextBoundaryAfter(
  anchor: number,
  interval: Interval,
  count: number,
  t: number,
  options: CycleOptions = {},
): number {
  return periodContaining(anchor, interval, count, t, options).end;
}

/** `Stripe.Subscription.BillingCycleAnchorConfig`, or the create params' shape (fields left out). */
export type AnchorConfig = Pick<Stripe.Subscription.BillingCycleAnchorConfig, 'day_of_month'> &
  Partial<Pick<Stripe.Subscription.BillingCycleAnchorConfig, 'month' | 'hour' | 'minute' | 'second'>>;

/**
 * The billing cycle anchor `billing_cycle_anchor_config` describes for a subscription starting at
 * `start`: the first instant at or after `start` on `day_of_month` (the month's last day when it is
 * shorter), in `month` when given (1–12; otherwise the start's month or the next), at `hour`,
 * `minute`, `second` UTC. Portico rule: each of hour, minute and second left out takes the start's
 * own value, so a config of only `day_of_month` keeps the subscription's time of day.
 */
export function anchorFromConfig(start: number, config: AnchorConfig): number {
  const s = new Date(start * 1000);
  const seconds =
    (config.hour ?? s.getUTCHours()) * 3600 +
    (config.minute ?? s.getUTCMinutes()) * 60 +
    (config.second ?? s.getUTCSeconds());
  const year = s.getUTCFullYear();
  const candidates =
    config.month !== null && config.month !== undefined
      ? [0, 1].map((k) => atDay(year + k, config.month! - 1, config.day_of_month, seconds))
      : [0, 1].map((k) => atDay(year, s.getUTCMonth() + k, config.day_of_month, seconds));
  return candidates.find((c) => c >= start)!;
}
