import type Stripe from 'stripe';
import { errors, fail } from '../../core/errors.ts';
import { hasEnded } from './cancel.ts';
import type { UpdateSubscriptionParams } from './params.ts';
import { checkChangeTimes } from './plan.ts';
import { currentPeriod } from './schedule.ts';

/** An ended subscription keeps its record: only what describes the ending may still change. */
const ENDED_MAY_CHANGE = new Set(['metadata', 'cancellation_details', 'expand']);

/** With `pending_if_incomplete`, only what a payment can wait for may change. */
const PENDING_ALLOWED = new Set([
  'billing_cycle_anchor',
  'expand',
  'items',
  'off_session',
  'payment_behavior',
  'proration_behavior',
  'proration_date',
  'trial_end',
  'trial_from_plan',
]);

/**
 * The refusals an update makes before it loads anything, in the order a request with several
 * faults meets them: an ended subscription, the change's times, the update's own times, then
 * what `pending_if_incomplete` allows.
 */
export function checkUpdateParams(
  params: UpdateSubscriptionParams,
  before: Stripe.Subscription,
  now: number,
): void {
  if (hasEnded(before)) {
    const other = Object.keys(params).find((k) => !ENDED_MAY_CHANGE.has(k));
    if (other) throw fail('subscription_ended_update', {}, other);
  }
  checkChangeTimes(params, currentPeriod(before), now);
  checkUpdateTimes(params, now);
  checkPendingParams(params, before);
}

/** Times only an update names: a cancellation date, a pause's end. */
function checkUpdateTimes(params: UpdateSubscriptionParams, now: number): void {
  if (params.cancel_at !== undefined && params.cancel_at !== null && params.cancel_at <= now) {
    throw fail('cancel_at_not_future', {}, 'cancel_at');
  }
  if (params.cancel_at && params.cancel_at_period_end)
    throw errors.parametersExclusive('cancel_at', 'cancel_at_period_end');
  if (params.pause_collection?.resumes_at !== undefined && params.pause_collection.resumes_at <= now) {
    throw fail('pause_resumes_at_not_future', {}, 'pause_collection[resumes_at]');
  }
}

function checkPendingParams(params: UpdateSubscriptionParams, sub: Stripe.Subscription): void {
  if (params.payment_behavior !== 'pending_if_incomplete') return;
  const other = Object.keys(params).find((k) => !PENDING_ALLOWED.has(k));
  if (other) throw fail('pending_update_param_not_allowed', {}, other);
  if (params.proration_behavior === 'create_prorations') {
    throw fail('pending_update_needs_always_invoice', {}, 'proration_behavior');
  }
  if (sub.pending_update) {
    throw fail('pending_update_exists', {}, 'payment_behavior');
  }
}
