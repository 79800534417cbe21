import type Stripe from 'stripe';
import { wireDecimal } from '../../core/decimal.ts';
import { errors, fail } from '../../core/errors.ts';
import type { CreatePriceParams, CurrencyOptionParams, TierParams } from './params.ts';

/**
 * Stripe's rules for how a price is charged, applied to create params: one way to give the
 * amount, tiers that make sense, an interval of at most three years. Each refusal names its param.
 */

type Amounts = Pick<
  Stripe.Price,
  | 'billing_scheme'
  | 'custom_unit_amount'
  | 'tiers_mode'
  | 'transform_quantity'
  | 'unit_amount'
  | 'unit_amount_decimal'
> & { tiers?: Stripe.Price.Tier[] };

/** The longest interval Stripe bills on: three years, in each unit. */
const MAX_INTERVAL_COUNT = { day: 1095, week: 156, month: 36, year: 3 } as const;

/** `unit_amount` and `unit_amount_decimal` describe one number; the object carries both. */
function amountPair(
  integer: number | undefined,
  decimal: string | undefined,
  names: [string, string],
): { amount: number | null; decimal: string | null } {
  if (integer !== undefined && decimal !== undefined) throw errors.parametersExclusive(names[0], names[1]);
  if (integer !== undefined) return { amount: integer, decimal: String(integer) };
  if (decimal !== undefined) {
    return { amount: /^\d+$/.test(decimal) ? Number(decimal) : null, decimal };
  }
  return { amount: null, decimal: null };
}

export function buildTiers(tiers: TierParams[], param: string): Stripe.Price.Tier[] {
  let previous = 0;
  return tiers.map((tier, i) => {
    const path = `${param}[${i}]`;
    const unit = amountPair(tier.unit_amount, tier.unit_amount_decimal, [
      `${path}[unit_amount]`,
      `${path}[unit_amount_decimal]`,
    ]);
    const flat = amountPair(tier.flat_amount, tier.flat_amount_decimal, [
      `${path}[flat_amount]`,
      `${path}[flat_amount_decimal]`,
    ]);
    if (unit.decimal === null && flat.decimal === null) {
      throw fail('price_tier_amount_missing', {}, path);
    }
    const last = i === tiers.length - 1;
    if (tier.up_to === 'inf' && !last) {
      throw fail('price_tier_inf_not_last', {}, `${path}[up_to]`);
    }
    if (tier.up_to !== 'inf') {
      if (last) {
        throw fail('price_tier_last_not_inf', {}, `${path}[up_to]`);
      }
      if (tier.up_to <= previous) {
        throw fail('price_tier_up_to_not_increasing', {}, `${path}[up_to]`);
      }
      previous = tier.up_to;
    }
    return {
      flat_amount: flat.amount,
      flat_amount_decimal: flat.decimal === null ? null : wireDecimal(flat.decimal),
      unit_amount: unit.amount,
      unit_amount_decimal: unit.decimal === null ? null : wireDecimal(unit.decimal),
      up_to: tier.up_to === 'inf' ? null : tier.up_to,
    };
  });
}

type CustomParams = NonNullable<CreatePriceParams['custom_unit_amount']>;

function buildCustom(custom: CustomParams, param: string): Stripe.Price.CustomUnitAmount {
  if (!custom.enabled) {
    throw fail('price_custom_amount_disabled', {}, `${param}[enabled]`);
  }
  const { minimum, maximum, preset } = custom;
  if (minimum !== undefined && maximum !== undefined && minimum > maximum) {
    throw fail('price_custom_amount_minimum_above_maximum', {}, `${param}[minimum]`);
  }
  if (
    preset !== undefined &&
    ((minimum !== undefined && preset < minimum) || (maximum !== undefined && preset > maximum))
  ) {
    throw fail('price_custom_amount_preset_out_of_range', {}, `${param}[preset]`);
  }
  return { maximum: maximum ?? null, minimum: minimum ?? null, preset: preset ?? null };
}

/** What `recurring` becomes on the object, checked against Stripe's three-year ceiling. */
export function buildRecurring(
  recurring: NonNullable<CreatePriceParams['recurring']>,
): Stripe.Price.Recurring {
  const count = recurring.interval_count ?? 1;
  const max = MAX_INTERVAL_COUNT[recurring.interval];
  if (count > max) {
    throw fail(
      'price_interval_too_long',
      { max, interval: recurring.interval, count },
      'recurring[interval_count]',
    );
  }
  const usage = recurring.usage_type ?? 'licensed';
  // Metered prices bill from a billing meter's usage; Portico has no meters, so none can be named.
  if (recurring.meter !== undefined)
    throw errors.noSuchParam('billing meter', recurring.meter, 'recurring[meter]');
  if (usage === 'metered') {
    throw fail('price_metered_unsupported', {}, 'recurring[usage_type]');
  }
  return {
    interval: recurring.interval,
    interval_count: count,
    meter: null,
    trial_period_days: recurring.trial_period_days ?? null,
    usage_type: usage,
  };
}

/** How the price computes its amount: per unit (fixed or customer-chosen) or by tiers. */
export function buildAmounts(params: CreatePriceParams): Amounts {
  const scheme = params.billing_scheme ?? 'per_unit';
  const transform = params.transform_quantity ?? null;
  if (scheme === 'tiered') {
    for (const name of ['unit_amount', 'unit_amount_decimal', 'custom_unit_amount'] as const) {
      if (params[name] !== undefined) {
        throw fail('price_tiered_field', { field: name }, name);
      }
    }
    if (!params.tiers) throw fail('price_tiers_missing', {}, 'tiers');
    if (!params.tiers_mode) throw fail('price_tiers_mode_missing', {}, 'tiers_mode');
    if (transform) {
      throw fail('price_tiered_transform_quantity', {}, 'transform_quantity');
    }
    return {
      billing_scheme: 'tiered',
      custom_unit_amount: null,
      tiers: buildTiers(params.tiers, 'tiers'),
      tiers_mode: params.tiers_mode,
      transform_quantity: null,
      unit_amount: null,
      unit_amount_decimal: null,
    };
  }
  if (params.tiers) throw fail('price_tiered_only', { field: 'tiers' }, 'tiers');
  if (params.tiers_mode) {
    throw fail('price_tiered_only', { field: 'tiers_mode' }, 'tiers_mode');
  }
  const unit = amountPair(params.unit_amount, params.unit_amount_decimal, [
    'unit_amount',
    'unit_amount_decimal',
  ]);
  let custom: Stripe.Price.CustomUnitAmount | null = null;
  if (params.custom_unit_amount) {
    if (unit.decimal !== null) throw errors.parametersExclusive('unit_amount', 'custom_unit_amount');
    if (params.recurring) {
      throw fail('price_custom_amount_recurring', {}, 'custom_unit_amount');
    }
    if (transform) {
      throw fail('price_custom_amount_transform_quantity', {}, 'transform_quantity');
    }
    custom = buildCustom(params.custom_unit_amount, 'custom_unit_amount');
  } else if (unit.decimal === null) {
    throw fail('price_amount_missing', {}, 'unit_amount');
  }
  return {
    billing_scheme: 'per_unit',
    custom_unit_amount: custom,
    tiers_mode: null,
    transform_quantity: transform,
    unit_amount: unit.amount,
    unit_amount_decimal: unit.decimal === null ? null : wireDecimal(unit.decimal),
  };
}

/**
 * `currency_options[<cur>]`: the same price in other currencies, shaped like the price itself
 * (tiers for tiered prices, an amount or custom amount for per-unit ones).
 */
export function buildCurrencyOption(
  option: CurrencyOptionParams,
  price: Pick<Stripe.Price, 'billing_scheme' | 'tax_behavior' | 'tiers'>,
  param: string,
): Stripe.Price.CurrencyOptions {
  const tiered = price.billing_scheme === 'tiered';
  if (tiered && !option.tiers) throw fail('price_currency_option_tiers_missing', {}, `${param}[tiers]`);
  if (!tiered && option.tiers) {
    throw fail('price_tiered_only', { field: 'tiers' }, `${param}[tiers]`);
  }
  const unit = amountPair(option.unit_amount, option.unit_amount_decimal, [
    `${param}[unit_amount]`,
    `${param}[unit_amount_decimal]`,
  ]);
  if (tiered && unit.decimal !== null) {
    throw fail('price_currency_option_tiered_amount', {}, `${param}[unit_amount]`);
  }
  if (!tiered && unit.decimal === null && !option.custom_unit_amount) {
    throw fail('price_currency_option_amount_missing', {}, `${param}[unit_amount]`);
  }
  const tiers = option.tiers ? buildTiers(option.tiers, `${param}[tiers]`) : undefined;
  if (tiers && price.tiers && tiers.length !== price.tiers.length) {
    throw fail('price_currency_option_tiers_count', {}, `${param}[tiers]`);
  }
  return {
    custom_unit_amount: option.custom_unit_amount
      ? buildCustom(option.custom_unit_amount, `${param}[custom_unit_amount]`)
      : null,
    tax_behavior: option.tax_behavior ?? price.tax_behavior,
    ...(tiers ? { tiers } : {}),
    unit_amount: unit.amount,
    unit_amount_decimal: unit.decimal === null ? null : wireDecimal(unit.decimal),
  };
}
