import type Stripe from 'stripe';
import { fail } from '../../../core/errors.ts';
import type { FeaturesParams } from './params.ts';

type Features = Stripe.BillingPortal.Configuration.Features;
type PauseOption = Stripe.BillingPortal.Configuration.Features.SubscriptionPause.Duration.IntervalOption;
type UpdateProduct = Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.Product;
type ProductParams = NonNullable<NonNullable<FeaturesParams['subscription_update']>['products']>[number];

/**
 * The features of a configuration created without them: every feature off with empty lists,
 * cancellations at period end without prorations, updates without prorations that end trials,
 * and pauses (when turned on) of one month.
 */
export function defaultFeatures(): Features {
  return {
    customer_update: { allowed_updates: [], enabled: false },
    invoice_history: { enabled: false },
    payment_method_update: { enabled: false, payment_method_configuration: null },
    subscription_cancel: {
      cancellation_reason: { enabled: false, feedback_options: null, options: [] },
      enabled: false,
      mode: 'at_period_end',
      proration_behavior: 'none',
    },
    subscription_pause: {
      duration: { interval_options: [{ interval: 'month', interval_count: 1 }], type: 'interval_options' },
      enabled: false,
    },
    subscription_update: {
      billing_cycle_anchor: null,
      default_allowed_updates: [],
      enabled: false,
      products: null,
      proration_behavior: 'none',
      schedule_at_period_end: { conditions: [] },
      trial_update_behavior: 'end_trial',
    },
  };
}

/** Lists of choices keep each choice once, in the order first given. */
const unique = <T>(values: T[]): T[] => [...new Set(values)];

const PAUSE = 'features[subscription_pause][duration]';

/** A duration sent replaces the stored one whole: preset durations are listed each time. */
function pauseOptions(
  sent: NonNullable<NonNullable<FeaturesParams['subscription_pause']>['duration']>,
): PauseOption[] {
  const options = sent.interval_options;
  if (sent.type === 'indefinite') {
    if (options?.length) {
      throw fail('portal_pause_interval_options_unexpected', {}, `${PAUSE}[interval_options]`);
    }
    return [];
  }
  if (!options?.length) {
    throw fail('portal_pause_interval_options_missing', {}, `${PAUSE}[interval_options]`);
  }
  return options.map((o) => ({ interval: o.interval, interval_count: o.interval_count ?? 1 }));
}

function updateProduct(entry: ProductParams): UpdateProduct {
  const quantity = entry.adjustable_quantity;
  return {
    adjustable_quantity: {
      enabled: quantity?.enabled ?? false,
      maximum: quantity?.maximum ?? null,
      minimum: quantity?.minimum ?? 1,
    },
    prices: unique(entry.prices),
    product: entry.product,
  };
}

/**
 * Applies a request's `features` to the current ones: what is not sent keeps its value, and a list
 * that is sent replaces the stored one (`''` empties it).
 */
export function applyFeatures(features: Features, sent: FeaturesParams | undefined): void {
  if (!sent) return;
  const customer = sent.customer_update;
  if (customer?.enabled !== undefined) features.customer_update.enabled = customer.enabled;
  if (customer?.allowed_updates !== undefined) {
    features.customer_update.allowed_updates = unique(customer.allowed_updates ?? []);
  }
  if (sent.invoice_history) features.invoice_history.enabled = sent.invoice_history.enabled;
  const methods = sent.payment_method_update;
  if (methods) {
    features.payment_method_update.enabled = methods.enabled;
    if (methods.payment_method_configuration !== undefined) {
      features.payment_method_update.payment_method_configuration = methods.payment_method_configuration;
    }
  }
  const cancel = sent.subscription_cancel;
  if (cancel) {
    const target = features.subscription_cancel;
    if (cancel.enabled !== undefined) target.enabled = cancel.enabled;
    if (cancel.mode !== undefined) target.mode = cancel.mode;
    if (cancel.proration_behavior !== undefined) target.proration_behavior = cancel.proration_behavior;
    const reason = cancel.cancellation_reason;
    if (reason) {
      target.cancellation_reason.enabled = reason.enabled;
      if (reason.options !== undefined) target.cancellation_reason.options = unique(reason.options ?? []);
      if (reason.feedback_options !== undefined) {
        target.cancellation_reason.feedback_options =
          reason.feedback_options === null ? null : unique(reason.feedback_options);
      }
    }
  }
  const pause = sent.subscription_pause;
  if (pause) {
    const target = features.subscription_pause;
    if (pause.enabled !== undefined) target.enabled = pause.enabled;
    if (pause.duration) {
      target.duration = {
        interval_options: pauseOptions(pause.duration),
        type: pause.duration.type,
      };
    }
  }
  const update = sent.subscription_update;
  if (update) {
    const target = features.subscription_update;
    if (update.enabled !== undefined) target.enabled = update.enabled;
    if (update.billing_cycle_anchor !== undefined) target.billing_cycle_anchor = update.billing_cycle_anchor;
    if (update.default_allowed_updates !== undefined) {
      target.default_allowed_updates = unique(update.default_allowed_updates ?? []);
    }
    if (update.products !== undefined) target.products = update.products?.map(updateProduct) ?? null;
    if (update.proration_behavior !== undefined) target.proration_behavior = update.proration_behavior;
    if (update.trial_update_behavior !== undefined)
      target.trial_update_behavior = update.trial_update_behavior;
    const conditions = update.schedule_at_period_end?.conditions;
    if (conditions !== undefined) {
      const types = unique((conditions ?? []).map((c) => c.type));
      target.schedule_at_period_end = { conditions: types.map((type) => ({ type })) };
    }
  }
}
