import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { requirePlan } from '../plans/service.ts';
import { insertPrice, requirePrice } from '../prices/service.ts';
import { requireProduct } from '../products/service.ts';
import type { PriceDataParams } from './params.ts';

/**
 * A phase of a subscription schedule was checked when it was scheduled; when the engine applies it
 * later, a price archived since still applies, as on Stripe.
 */
export interface PriceOptions {
  allowArchivedPrices?: boolean;
}

/**
 * The price of a subscription item: an existing active recurring price (`price`, or `plan`, its
 * legacy name), or `price_data`, which makes an inline price (inactive, so it is not offered
 * elsewhere, as on Stripe).
 */
export async function itemPrice(
  ctx: Ctx,
  entry: { price?: string; plan?: string; price_data?: PriceDataParams },
  path: string,
  options: PriceOptions = {},
): Promise<Stripe.Price> {
  const plan = await itemPlan(ctx, entry, path, options);
  if (plan) return plan;
  if (entry.price !== undefined && entry.price_data !== undefined) {
    throw errors.parametersExclusive(`${path}[price]`, `${path}[price_data]`);
  }
  if (entry.price_data !== undefined) {
    const data = entry.price_data;
    await requireProduct(ctx, data.product, `${path}[price_data][product]`);
    return insertPrice(ctx, data.product, {
      active: false,
      currency: data.currency,
      recurring: data.recurring,
      tax_behavior: data.tax_behavior,
      unit_amount: data.unit_amount,
      unit_amount_decimal: data.unit_amount_decimal,
    });
  }
  if (entry.price === undefined) throw errors.parameterMissing(`${path}[price]`);
  const price = await requirePrice(ctx, entry.price, `${path}[price]`);
  checkItemPrice(price, `${path}[price]`, options);
  return price;
}

/**
 * The plan an item entry names (`plan`, the legacy name of `price`), checked as a price would be;
 * undefined when it names none. Naming `price` or `price_data` as well is `parameters_exclusive`.
 */
export async function itemPlan(
  ctx: Ctx,
  entry: { price?: string; plan?: string; price_data?: unknown },
  path: string,
  options: PriceOptions = {},
): Promise<Stripe.Price | undefined> {
  if (entry.plan === undefined) return undefined;
  if (entry.price !== undefined) throw errors.parametersExclusive(`${path}[plan]`, `${path}[price]`);
  if (entry.price_data !== undefined) {
    throw errors.parametersExclusive(`${path}[plan]`, `${path}[price_data]`);
  }
  const plan = await requirePlan(ctx, entry.plan, `${path}[plan]`);
  checkItemPrice(plan, `${path}[plan]`, options);
  return plan;
}

/** An existing price may bill a subscription item if it is active (see PriceOptions) and recurring. */
export function checkItemPrice(price: Stripe.Price, param: string, options: PriceOptions = {}): void {
  if (!price.active && !options.allowArchivedPrices) {
    throw fail('price_inactive', { price: price.id, target: 'subscription' }, param);
  }
  if (price.type !== 'recurring') {
    throw fail('price_type_mismatch', { expected: 'recurring' }, param);
  }
}

/** Portico bills every item of a subscription on one cycle, in one currency, as classic Stripe billing does. */
export function checkSameTerms(prices: Stripe.Price[], param: string): void {
  const [first, ...rest] = prices;
  if (!first) return;
  const seen = new Set<string>();
  for (const [i, price] of prices.entries()) {
    if (seen.has(price.id)) {
      throw fail('subscription_price_repeated', { price: price.id }, `${param}[${i}][price]`);
    }
    seen.add(price.id);
  }
  for (const price of rest) {
    if (
      price.currency !== first.currency ||
      price.recurring?.interval !== first.recurring?.interval ||
      price.recurring?.interval_count !== first.recurring?.interval_count
    ) {
      throw fail('subscription_prices_mismatched', {}, param);
    }
  }
}
