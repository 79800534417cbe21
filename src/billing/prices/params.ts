import { fail } from '../../core/errors.ts';
import { type Infer, listParams, p, type Schema, searchParams } from '../../core/params.ts';
import { currencyDecimals } from '../money/currencies.ts';

/** A supported ISO currency, returned in lower case as Stripe stores it. */
export const currency = (): Schema<string> => ({
  optional: true,
  parse(value, path) {
    const code = p.string({ max: 3 }).parse(value, path).toLowerCase();
    checkCurrency(code, path);
    return code;
  },
});

export function checkCurrency(code: string, path: string): void {
  if (currencyDecimals(code) === undefined) {
    throw fail('currency_unsupported', { currency: code }, path);
  }
}

/** `up_to`: a positive whole number of units, or `inf` for the last tier. */
const upTo: Schema<number | 'inf'> = {
  optional: true,
  parse(value, path) {
    if (value === 'inf') return 'inf';
    return p.integer({ min: 1 }).parse(value, path);
  },
};

const tier = p.object({
  flat_amount: p.amount({ min: 0 }),
  flat_amount_decimal: p.amountDecimal({ min: 0 }),
  unit_amount: p.amount({ min: 0 }),
  unit_amount_decimal: p.amountDecimal({ min: 0 }),
  up_to: p.required(upTo),
});
const tiers = p.array(tier, { max: 250 });
const taxBehavior = p.enumOf(['exclusive', 'inclusive', 'unspecified']);
const customUnitAmount = p.object({
  enabled: p.required(p.boolean()),
  maximum: p.integer({ min: 0 }),
  minimum: p.integer({ min: 0 }),
  preset: p.integer({ min: 0 }),
});
const currencyOption = p.object({
  custom_unit_amount: customUnitAmount,
  tax_behavior: taxBehavior,
  tiers,
  unit_amount: p.amount({ min: 0 }),
  unit_amount_decimal: p.amountDecimal({ min: 0 }),
});
const currencyOptions = p.record(currencyOption, (code, path) => checkCurrency(code.toLowerCase(), path));
const lookupKey = p.string({ max: 200 });

export const createPriceParams = p.object({
  currency: p.required(currency()),
  active: p.boolean(),
  billing_scheme: p.enumOf(['per_unit', 'tiered']),
  currency_options: currencyOptions,
  custom_unit_amount: customUnitAmount,
  expand: p.array(p.string()),
  lookup_key: lookupKey,
  metadata: p.metadata(),
  nickname: p.string({ max: 5000 }),
  product: p.string(),
  product_data: p.object({
    name: p.required(p.string({ max: 250 })),
    active: p.boolean(),
    id: p.string({
      max: 250,
      pattern: /^[A-Za-z0-9_-]+$/,
      invalid: 'object_id_invalid',
    }),
    metadata: p.metadata(),
    statement_descriptor: p.string({ max: 22 }),
    tax_code: p.string(),
    tax_details: p.object({ performance_location: p.string(), tax_code: p.clearable(p.string()) }),
    unit_label: p.string({ max: 12 }),
  }),
  recurring: p.object({
    interval: p.required(p.enumOf(['day', 'week', 'month', 'year'])),
    interval_count: p.integer({ min: 1 }),
    meter: p.string(),
    trial_period_days: p.integer({ min: 1, max: 730 }),
    usage_type: p.enumOf(['licensed', 'metered']),
  }),
  tax_behavior: taxBehavior,
  tiers,
  tiers_mode: p.enumOf(['graduated', 'volume']),
  transfer_lookup_key: p.boolean(),
  transform_quantity: p.object({
    divide_by: p.required(p.integer({ min: 1 })),
    round: p.required(p.enumOf(['down', 'up'])),
  }),
  unit_amount: p.amount({ min: 0 }),
  unit_amount_decimal: p.amountDecimal({ min: 0 }),
});

/** A product's `default_price_data`: a price made with the product, which becomes its default. */
export const defaultPriceData = p.object({
  currency: p.required(currency()),
  currency_options: currencyOptions,
  custom_unit_amount: customUnitAmount,
  metadata: p.metadata(),
  recurring: p.object({
    interval: p.required(p.enumOf(['day', 'week', 'month', 'year'])),
    interval_count: p.integer({ min: 1 }),
  }),
  tax_behavior: taxBehavior,
  unit_amount: p.amount({ min: 0 }),
  unit_amount_decimal: p.amountDecimal({ min: 0 }),
});

export const updatePriceParams = p.object({
  active: p.boolean(),
  currency_options: p.clearable(currencyOptions),
  expand: p.array(p.string()),
  lookup_key: p.clearable(lookupKey),
  metadata: p.metadata(),
  nickname: p.clearable(p.string({ max: 5000 })),
  tax_behavior: taxBehavior,
  transfer_lookup_key: p.boolean(),
});

export const listPriceParams = listParams({
  active: p.boolean(),
  currency: currency(),
  lookup_keys: p.array(lookupKey, { max: 10 }),
  product: p.string(),
  recurring: p.object({
    interval: p.enumOf(['day', 'week', 'month', 'year']),
    meter: p.string(),
    usage_type: p.enumOf(['licensed', 'metered']),
  }),
  type: p.enumOf(['one_time', 'recurring']),
});

export const searchPriceParams = searchParams();

export type CreatePriceParams = Infer<typeof createPriceParams>;
export type UpdatePriceParams = Infer<typeof updatePriceParams>;
export type ListPriceParams = Infer<typeof listPriceParams>;
export type SearchPriceParams = Infer<typeof searchPriceParams>;
export type TierParams = Infer<typeof tier>;
export type CurrencyOptionParams = Infer<typeof currencyOption>;
