import { type Infer, listParams, p } from '../../core/params.ts';
import { currency } from '../prices/params.ts';
import { taxRateIds } from '../tax-rates/params.ts';

/**
 * Param schemas mirroring `SubscriptionScheduleCreateParams` and friends in stripe@23.1.0. What
 * Portico does not do (automatic tax, Connect transfers, billing thresholds, pauses, add-on invoice items,
 * flexible billing) is left out, so it is refused as `parameter_unknown`.
 */

const interval = p.enumOf(['day', 'week', 'month', 'year']);
const prorationBehavior = p.enumOf(['always_invoice', 'create_prorations', 'none']);
const collectionMethod = p.enumOf(['charge_automatically', 'send_invoice']);
const billingCycleAnchor = p.enumOf(['automatic', 'phase_start']);
const discount = p.object({ coupon: p.string(), discount: p.string(), promotion_code: p.string() });
const invoiceSettings = p.object({ days_until_due: p.integer({ min: 0, max: 730 }) });

const priceData = p.object({
  currency: p.required(currency()),
  product: p.required(p.string()),
  recurring: p.required(p.object({ interval: p.required(interval), interval_count: p.integer({ min: 1 }) })),
  tax_behavior: p.enumOf(['exclusive', 'inclusive', 'unspecified']),
  unit_amount: p.amount({ min: 0 }),
  unit_amount_decimal: p.amountDecimal({ min: 0 }),
});

const phaseItem = p.object({
  metadata: p.metadata(),
  /** The legacy name of `price`: Portico's plans are its prices. */
  plan: p.string(),
  price: p.string(),
  price_data: priceData,
  quantity: p.quantity(),
  tax_rates: taxRateIds,
});

/** The fields a phase has on create and on update (update adds `start_date` and `now`). */
const phaseFields = {
  billing_cycle_anchor: billingCycleAnchor,
  collection_method: collectionMethod,
  currency: currency(),
  default_payment_method: p.string(),
  default_tax_rates: taxRateIds,
  description: p.clearable(p.string({ max: 500 })),
  discounts: p.clearable(p.array(discount, { max: 20 })),
  duration: p.object({ interval: p.required(interval), interval_count: p.integer({ min: 1 }) }),
  invoice_settings: invoiceSettings,
  items: p.required(p.array(phaseItem, { max: 20 })),
  metadata: p.metadata(),
  proration_behavior: prorationBehavior,
  trial: p.boolean(),
};

const createPhase = p.object({
  ...phaseFields,
  end_date: p.integer({ min: 0 }),
  trial_end: p.integer({ min: 0 }),
});

const updatePhase = p.object({
  ...phaseFields,
  end_date: p.timestamp({ now: true }),
  start_date: p.timestamp({ now: true }),
  trial_end: p.timestamp({ now: true }),
});

const defaultSettings = p.object({
  billing_cycle_anchor: billingCycleAnchor,
  collection_method: collectionMethod,
  default_payment_method: p.string(),
  description: p.clearable(p.string({ max: 500 })),
  invoice_settings: invoiceSettings,
});

const endBehavior = p.enumOf(['cancel', 'release']);

export const createScheduleParams = p.object({
  billing_mode: p.object({ type: p.required(p.enumOf(['classic', 'flexible'])) }),
  customer: p.string(),
  customer_account: p.string(),
  default_settings: defaultSettings,
  end_behavior: endBehavior,
  expand: p.array(p.string()),
  from_subscription: p.string(),
  metadata: p.metadata(),
  phases: p.array(createPhase),
  start_date: p.timestamp({ now: true }),
});

export const updateScheduleParams = p.object({
  default_settings: defaultSettings,
  end_behavior: endBehavior,
  expand: p.array(p.string()),
  metadata: p.metadata(),
  phases: p.array(updatePhase),
  proration_behavior: prorationBehavior,
});

export const cancelScheduleParams = p.object({
  expand: p.array(p.string()),
  invoice_now: p.boolean(),
  prorate: p.boolean(),
});

export const releaseScheduleParams = p.object({
  expand: p.array(p.string()),
  preserve_cancel_date: p.boolean(),
});

export const listScheduleParams = listParams({
  canceled_at: p.range(),
  completed_at: p.range(),
  customer: p.string(),
  customer_account: p.string(),
  released_at: p.range(),
  scheduled: p.boolean(),
});

export type CreateScheduleParams = Infer<typeof createScheduleParams>;
export type UpdateScheduleParams = Infer<typeof updateScheduleParams>;
export type CancelScheduleParams = Infer<typeof cancelScheduleParams>;
export type ReleaseScheduleParams = Infer<typeof releaseScheduleParams>;
export type ListScheduleParams = Infer<typeof listScheduleParams>;
export type DefaultSettingsParams = Infer<typeof defaultSettings>;
export type PhaseItemParams = Infer<typeof phaseItem>;
export type PhaseDiscountParams = Infer<typeof discount>;
/** A phase as sent: on create (`end_date`, `trial_end` numbers) or on update (also `now`, `start_date`). */
export type PhaseParams = Infer<typeof updatePhase>;
export type ProrationBehavior = 'always_invoice' | 'create_prorations' | 'none';
