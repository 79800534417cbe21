import { type Infer, listParams, p, type Schema } from '../../core/params.ts';
import { currency } from '../prices/params.ts';

/** Plan params, as typed by stripe@23.1.0's PlanCreateParams and friends. */

const customId = p.string({ max: 250, pattern: /^[A-Za-z0-9_-]+$/, invalid: 'object_id_invalid' });

/** `product[...]`: a product made with the plan (PlanCreateParams.Product). */
const productData = p.object({
  name: p.required(p.string({ max: 250 })),
  active: p.boolean(),
  id: customId,
  metadata: p.metadata(),
  statement_descriptor: p.string({ max: 22 }),
  tax_code: p.string(),
  tax_details: p.object({ performance_location: p.string(), tax_code: p.clearable(p.string()) }),
  unit_label: p.string({ max: 12 }),
});

export type PlanProductData = Infer<typeof productData>;

/** `product`: an existing product's id, or a hash that makes one. */
const product: Schema<string | PlanProductData> = {
  optional: true,
  parse(value, path) {
    return typeof value === 'string' ? p.string().parse(value, path) : productData.parse(value, path);
  },
};

const upTo: Schema<number | 'inf'> = {
  optional: true,
  parse(value, path) {
    return value === 'inf' ? 'inf' : p.integer({ min: 1 }).parse(value, path);
  },
};

const tier = p.object({
  flat_amount: p.amount({ min: 0 }),
  flat_amount_decimal: p.amountDecimal({ min: 0 }),
  unit_amount: p.amount({ min: 0 }),
  unit_amount_decimal: p.amountDecimal({ min: 0 }),
  up_to: p.required(upTo),
});

export const createPlanParams = p.object({
  currency: p.required(currency()),
  interval: p.required(p.enumOf(['day', 'week', 'month', 'year'])),
  active: p.boolean(),
  amount: p.amount({ min: 0 }),
  amount_decimal: p.amountDecimal({ min: 0 }),
  billing_scheme: p.enumOf(['per_unit', 'tiered']),
  expand: p.array(p.string()),
  id: customId,
  interval_count: p.integer({ min: 1 }),
  metadata: p.metadata(),
  meter: p.string(),
  nickname: p.string({ max: 5000 }),
  product,
  tiers: p.array(tier, { max: 250 }),
  tiers_mode: p.enumOf(['graduated', 'volume']),
  transform_usage: p.object({
    divide_by: p.required(p.integer({ min: 1 })),
    round: p.required(p.enumOf(['down', 'up'])),
  }),
  trial_period_days: p.integer({ min: 1, max: 730 }),
  usage_type: p.enumOf(['licensed', 'metered']),
});

export const updatePlanParams = p.object({
  active: p.boolean(),
  expand: p.array(p.string()),
  metadata: p.metadata(),
  nickname: p.clearable(p.string({ max: 5000 })),
  product: p.string(),
  trial_period_days: p.integer({ min: 1, max: 730 }),
});

export const listPlanParams = listParams({
  active: p.boolean(),
  product: p.string(),
});

export type CreatePlanParams = Infer<typeof createPlanParams>;
export type UpdatePlanParams = Infer<typeof updatePlanParams>;
export type ListPlanParams = Infer<typeof listPlanParams>;
