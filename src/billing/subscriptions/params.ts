import { type Infer, listParams, p, searchParams } from '../../core/params.ts';
import { currency } from '../prices/params.ts';
import { taxRateIds } from '../tax-rates/params.ts';

const discount = p.object({ coupon: p.string(), discount: p.string(), promotion_code: p.string() });
const discounts = p.clearable(p.array(discount, { max: 20 }));
const interval = p.enumOf(['day', 'week', 'month', 'year']);
/** `price_data`: a price made for this subscription only (Stripe's inline price). */
const priceData = p.object({
  currency: p.required(currency()),
  product: p.required(p.string()),
  recurring: p.required(p.object({ interval: p.required(interval), interval_count: p.integer({ min: 1 }) })),
  tax_behavior: p.enumOf(['exclusive', 'inclusive', 'unspecified']),
  unit_amount: p.amount({ min: 0 }),
  unit_amount_decimal: p.amountDecimal({ min: 0 }),
});
const prorationBehavior = p.enumOf(['always_invoice', 'create_prorations', 'none']);
const cancellationDetails = p.object({
  comment: p.clearable(p.string({ max: 5000 })),
  feedback: p.clearable(
    p.enumOf([
      'customer_service',
      'low_quality',
      'missing_features',
      'other',
      'switched_service',
      'too_complex',
      'too_expensive',
      'unused',
    ]),
  ),
  feedback_option: p.string(),
});
const trialSettings = p.object({
  end_behavior: p.required(
    p.object({ missing_payment_method: p.required(p.enumOf(['cancel', 'create_invoice', 'pause'])) }),
  ),
});

const createItem = p.object({
  discounts,
  metadata: p.metadata(),
  // The legacy name of `price`: a plan is a recurring price.
  plan: p.string(),
  price: p.string(),
  price_data: priceData,
  quantity: p.quantity(),
  tax_rates: taxRateIds,
});

/** `pending_invoice_item_interval`: stored and returned (see pending-interval.ts). */
const pendingInvoiceItemInterval = p.clearable(
  p.object({
    interval: p.required(p.enumOf(['day', 'week', 'month', 'year'])),
    interval_count: p.integer({ min: 1 }),
  }),
);

export const createSubscriptionParams = p.object({
  customer: p.string(),
  customer_account: p.string(),
  items: p.array(createItem, { max: 20 }),
  backdate_start_date: p.integer({ min: 0 }),
  billing_cycle_anchor: p.integer({ min: 0 }),
  billing_cycle_anchor_config: p.object({
    day_of_month: p.required(p.integer({ min: 1, max: 31 })),
    hour: p.integer({ min: 0, max: 23 }),
    minute: p.integer({ min: 0, max: 59 }),
    month: p.integer({ min: 1, max: 12 }),
    second: p.integer({ min: 0, max: 59 }),
  }),
  cancel_at: p.integer({ min: 0 }),
  cancel_at_period_end: p.boolean(),
  collection_method: p.enumOf(['charge_automatically', 'send_invoice']),
  days_until_due: p.integer({ min: 0, max: 730 }),
  default_payment_method: p.string(),
  default_tax_rates: taxRateIds,
  description: p.string({ max: 500 }),
  discounts,
  expand: p.array(p.string()),
  metadata: p.metadata(),
  off_session: p.boolean(),
  on_behalf_of: p.string(),
  pending_invoice_item_interval: pendingInvoiceItemInterval,
  payment_behavior: p.enumOf([
    'allow_incomplete',
    'default_incomplete',
    'error_if_incomplete',
    'pending_if_incomplete',
  ]),
  proration_behavior: prorationBehavior,
  trial_end: p.timestamp({ now: true }),
  trial_from_plan: p.boolean(),
  trial_period_days: p.integer({ min: 0, max: 730 }),
  trial_settings: trialSettings,
});

const updateItem = p.object({
  clear_usage: p.boolean(),
  deleted: p.boolean(),
  discounts,
  id: p.string(),
  metadata: p.metadata(),
  plan: p.string(),
  price: p.string(),
  price_data: priceData,
  quantity: p.quantity(),
  tax_rates: taxRateIds,
});

export const updateSubscriptionParams = p.object({
  items: p.array(updateItem, { max: 20 }),
  billing_cycle_anchor: p.enumOf(['now', 'unchanged']),
  cancel_at: p.clearable(p.integer({ min: 0 })),
  cancel_at_period_end: p.boolean(),
  cancellation_details: cancellationDetails,
  collection_method: p.enumOf(['charge_automatically', 'send_invoice']),
  days_until_due: p.integer({ min: 0, max: 730 }),
  default_payment_method: p.clearable(p.string()),
  default_tax_rates: taxRateIds,
  description: p.clearable(p.string({ max: 500 })),
  discounts,
  expand: p.array(p.string()),
  metadata: p.metadata(),
  off_session: p.boolean(),
  on_behalf_of: p.clearable(p.string()),
  pending_invoice_item_interval: pendingInvoiceItemInterval,
  pause_collection: p.clearable(
    p.object({
      behavior: p.required(p.enumOf(['keep_as_draft', 'mark_uncollectible', 'void'])),
      resumes_at: p.integer({ min: 0 }),
    }),
  ),
  payment_behavior: p.enumOf([
    'allow_incomplete',
    'default_incomplete',
    'error_if_incomplete',
    'pending_if_incomplete',
  ]),
  proration_behavior: prorationBehavior,
  proration_date: p.integer({ min: 0 }),
  trial_end: p.timestamp({ now: true }),
  trial_from_plan: p.boolean(),
  trial_settings: trialSettings,
});

export const cancelSubscriptionParams = p.object({
  cancellation_details: cancellationDetails,
  expand: p.array(p.string()),
  invoice_now: p.boolean(),
  prorate: p.boolean(),
});

export const resumeSubscriptionParams = p.object({
  billing_cycle_anchor: p.enumOf(['now', 'unchanged']),
  expand: p.array(p.string()),
  payment_behavior: p.enumOf(['allow_incomplete', 'error_if_incomplete', 'pending_if_incomplete']),
  proration_behavior: prorationBehavior,
  proration_date: p.integer({ min: 0 }),
});

export const pauseSubscriptionParams = p.object({
  bill_for: p.object({
    outstanding_usage_through: p.object({ type: p.required(p.enumOf(['none', 'now'])) }),
    unused_time_from: p.object({ type: p.required(p.enumOf(['item_current_period_start', 'none', 'now'])) }),
  }),
  expand: p.array(p.string()),
  invoicing_behavior: p.enumOf(['invoice', 'pending_invoice_item']),
  type: p.enumOf(['subscription']),
});

export const listSubscriptionParams = listParams({
  collection_method: p.enumOf(['charge_automatically', 'send_invoice']),
  current_period_end: p.range(),
  current_period_start: p.range(),
  customer: p.string(),
  customer_account: p.string(),
  // The legacy name of `price`.
  plan: p.string(),
  price: p.string(),
  status: p.enumOf([
    'active',
    'all',
    'canceled',
    'ended',
    'incomplete',
    'incomplete_expired',
    'past_due',
    'paused',
    'trialing',
    'unpaid',
  ]),
  test_clock: p.string(),
});

/** What `/v1/subscription_items` create and update both take. */
const itemChange = {
  discounts,
  expand: p.array(p.string()),
  metadata: p.metadata(),
  payment_behavior: p.enumOf([
    'allow_incomplete',
    'default_incomplete',
    'error_if_incomplete',
    'pending_if_incomplete',
  ]),
  // The legacy name of `price`.
  plan: p.string(),
  price: p.string(),
  price_data: priceData,
  proration_behavior: prorationBehavior,
  proration_date: p.integer({ min: 0 }),
  quantity: p.quantity(),
  tax_rates: taxRateIds,
};

export const createItemParams = p.object({ subscription: p.required(p.string()), ...itemChange });

export const updateItemParams = p.object({ off_session: p.boolean(), ...itemChange });

export const deleteItemParams = p.object({
  clear_usage: p.boolean(),
  proration_behavior: prorationBehavior,
  proration_date: p.integer({ min: 0 }),
});

export const listItemParams = listParams({ subscription: p.required(p.string()) });

export const searchSubscriptionParams = searchParams();
export type SearchSubscriptionParams = Infer<typeof searchSubscriptionParams>;

export type CreateSubscriptionParams = Infer<typeof createSubscriptionParams>;
export type UpdateSubscriptionParams = Infer<typeof updateSubscriptionParams>;
export type CancelSubscriptionParams = Infer<typeof cancelSubscriptionParams>;
export type ResumeSubscriptionParams = Infer<typeof resumeSubscriptionParams>;
export type PauseSubscriptionParams = Infer<typeof pauseSubscriptionParams>;
export type ListSubscriptionParams = Infer<typeof listSubscriptionParams>;
export type CreateItemParams = Infer<typeof createItemParams>;
export type UpdateItemParams = Infer<typeof updateItemParams>;
export type DeleteItemParams = Infer<typeof deleteItemParams>;
export type ListItemParams = Infer<typeof listItemParams>;
export type DiscountParams = Infer<typeof discount>;
export type PriceDataParams = Infer<typeof priceData>;
export type ProrationBehavior = 'always_invoice' | 'create_prorations' | 'none';
