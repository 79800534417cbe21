import { type Infer, p } from '../../../core/params.ts';
import { pageParams } from '../list-params.ts';

export const ALLOWED_CUSTOMER_UPDATES = ['address', 'email', 'name', 'phone', 'shipping', 'tax_id'] as const;
export const CANCELLATION_REASONS = [
  'customer_service',
  'low_quality',
  'missing_features',
  'other',
  'switched_service',
  'too_complex',
  'too_expensive',
  'unused',
] as const;
export const ALLOWED_SUBSCRIPTION_UPDATES = ['price', 'promotion_code', 'quantity'] as const;
export const PAUSE_INTERVALS = ['day', 'week', 'month', 'year'] as const;

const bool = p.boolean;
const required = p.required;
const clearable = p.clearable;

// Blocks whose shape is the same on create and update; only what is required differs.
const pauseDuration = p.object({
  interval_options: clearable(
    p.array(
      p.object({
        interval: required(p.enumOf(PAUSE_INTERVALS)),
        interval_count: p.integer({ min: 1 }),
      }),
    ),
  ),
  type: required(p.enumOf(['indefinite', 'interval_options'])),
});

const updateProducts = clearable(
  p.array(
    p.object({
      adjustable_quantity: p.object({
        enabled: required(bool()),
        maximum: p.integer({ min: 0 }),
        minimum: p.integer({ min: 0 }),
      }),
      prices: required(p.array(p.string())),
      product: required(p.string()),
    }),
  ),
);

const condition = p.object({
  type: required(p.enumOf(['decreasing_item_amount', 'shortening_interval'])),
});

const subscriptionUpdateFields = {
  billing_cycle_anchor: p.enumOf(['now', 'unchanged']),
  default_allowed_updates: clearable(p.array(p.enumOf(ALLOWED_SUBSCRIPTION_UPDATES))),
  products: updateProducts,
  proration_behavior: p.enumOf(['always_invoice', 'create_prorations', 'none']),
  trial_update_behavior: p.enumOf(['continue_trial', 'end_trial']),
};

const cancelFields = {
  mode: p.enumOf(['at_period_end', 'immediately']),
  proration_behavior: p.enumOf(['always_invoice', 'create_prorations', 'none']),
};

const loginPage = p.object({ enabled: required(bool()) });

export const createConfigurationParams = p.object({
  business_profile: p.object({
    headline: clearable(p.string({ max: 60 })),
    privacy_policy_url: p.string(),
    terms_of_service_url: p.string(),
  }),
  default_return_url: clearable(p.string()),
  expand: p.array(p.string()),
  features: required(
    p.object({
      customer_update: p.object({
        allowed_updates: clearable(p.array(p.enumOf(ALLOWED_CUSTOMER_UPDATES))),
        enabled: required(bool()),
      }),
      invoice_history: p.object({ enabled: required(bool()) }),
      payment_method_update: p.object({
        enabled: required(bool()),
        payment_method_configuration: clearable(p.string()),
      }),
      subscription_cancel: p.object({
        cancellation_reason: p.object({
          enabled: required(bool()),
          feedback_options: clearable(p.array(p.string())),
          options: required(clearable(p.array(p.enumOf(CANCELLATION_REASONS)))),
        }),
        enabled: required(bool()),
        ...cancelFields,
      }),
      subscription_pause: p.object({ duration: pauseDuration, enabled: bool() }),
      subscription_update: p.object({
        ...subscriptionUpdateFields,
        enabled: required(bool()),
        schedule_at_period_end: p.object({ conditions: p.array(condition) }),
      }),
    }),
  ),
  login_page: loginPage,
  metadata: p.metadata(),
  name: clearable(p.string({ max: 256 })),
});

export const updateConfigurationParams = p.object({
  active: bool(),
  business_profile: p.object({
    headline: clearable(p.string({ max: 60 })),
    privacy_policy_url: clearable(p.string()),
    terms_of_service_url: clearable(p.string()),
  }),
  default_return_url: clearable(p.string()),
  expand: p.array(p.string()),
  features: p.object({
    customer_update: p.object({
      allowed_updates: clearable(p.array(p.enumOf(ALLOWED_CUSTOMER_UPDATES))),
      enabled: bool(),
    }),
    invoice_history: p.object({ enabled: required(bool()) }),
    payment_method_update: p.object({
      enabled: required(bool()),
      payment_method_configuration: clearable(p.string()),
    }),
    subscription_cancel: p.object({
      cancellation_reason: p.object({
        enabled: required(bool()),
        feedback_options: clearable(p.array(p.string())),
        options: clearable(p.array(p.enumOf(CANCELLATION_REASONS))),
      }),
      enabled: bool(),
      ...cancelFields,
    }),
    subscription_pause: p.object({ duration: pauseDuration, enabled: bool() }),
    subscription_update: p.object({
      ...subscriptionUpdateFields,
      enabled: bool(),
      schedule_at_period_end: p.object({ conditions: clearable(p.array(condition)) }),
    }),
  }),
  login_page: loginPage,
  metadata: p.metadata(),
  name: clearable(p.string({ max: 256 })),
});

export const listConfigurationParams = pageParams({
  active: bool(),
  is_default: bool(),
});

export type CreateConfigurationParams = Infer<typeof createConfigurationParams>;
export type UpdateConfigurationParams = Infer<typeof updateConfigurationParams>;
export type ListConfigurationParams = Infer<typeof listConfigurationParams>;
/** The features of either request: every block and field optional, as on update. */
export type FeaturesParams = NonNullable<UpdateConfigurationParams['features']>;
