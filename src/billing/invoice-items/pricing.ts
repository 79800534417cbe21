import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { wireDecimal } from '../../core/decimal.ts';
import { errors, fail, onParam, underParam } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { pricingOf } from '../invoices/lines.ts';
import { priceAmount } from '../math/price-amount.ts';
import { buildPrice, insertPrice, requirePrice } from '../prices/service.ts';
import { requireProduct } from '../products/service.ts';
import type { OneTimePriceDataParams } from './params.ts';

/**
 * How an invoice item is priced: a plain `amount` (in `currency`), a `unit_amount_decimal` times
 * `quantity`, an existing one-time price (`pricing[price]`), or `price_data` (a one-time price
 * made for the item). Exactly one is given on create; on update, one may replace the current one,
 * and a new `quantity` alone is priced as the item was.
 */
export interface PricingParams {
  amount?: number;
  unit_amount_decimal?: string;
  pricing?: { price?: string };
  price_data?: OneTimePriceDataParams;
  quantity?: number;
  currency?: string;
}

export interface PricedItem {
  amount: number;
  currency: string;
  quantity: number;
  pricing: Stripe.InvoiceItem.Pricing | null;
}

export interface PricingOptions {
  /** Bracket prefix of the params (`invoice_items[0]` in a preview), '' at the top level. */
  prefix: string;
  /** False for previews: `price_data` then makes a price that is never stored. */
  write: boolean;
  /** The item being updated, if any. */
  current?: Stripe.InvoiceItem;
}

/** `name` under `prefix`: `pricing[price]` under `invoice_items[0]` is `invoice_items[0][pricing][price]`. */
function at(prefix: string, name: string): string {
  if (!prefix) return name;
  const [head, ...rest] = name.split('[');
  return [`${prefix}[${head}]`, ...rest].join('[');
}

/** Quantity × unit amount; past the maximum (amount_too_large) it is refused on `quantity`. */
function perUnit(unitAmountDecimal: string, quantity: number, currency: string, prefix: string): number {
  const terms = {
    billing_scheme: 'per_unit' as const,
    unit_amount: null,
    unit_amount_decimal: wireDecimal(unitAmountDecimal),
    tiers: undefined,
    tiers_mode: null,
    transform_quantity: null,
    currency,
  };
  return onParam(at(prefix, 'quantity'), () => priceAmount(terms, quantity));
}

function checkCurrency(wanted: string | undefined, actual: string, prefix: string): void {
  if (wanted !== undefined && wanted !== actual) {
    throw fail(
      'invoice_item_price_currency_mismatch',
      { currency: wanted, priceCurrency: actual },
      at(prefix, 'currency'),
    );
  }
}

async function existingPrice(ctx: Ctx, id: string, param: string): Promise<Stripe.Price> {
  const price = await requirePrice(ctx, id, param);
  if (!price.active) {
    throw fail('price_inactive', { price: price.id, target: 'invoice_item' }, param);
  }
  if (price.type !== 'one_time') {
    throw fail('price_type_mismatch', { expected: 'one_time' }, param);
  }
  return price;
}

async function inlinePrice(
  ctx: Ctx,
  data: OneTimePriceDataParams,
  prefix: string,
  write: boolean,
): Promise<Stripe.Price> {
  const param = at(prefix, 'price_data');
  await requireProduct(ctx, data.product, `${param}[product]`);
  if (data.unit_amount === undefined && data.unit_amount_decimal === undefined) {
    throw fail('invoice_item_price_data_amount_missing', {}, `${param}[unit_amount]`);
  }
  if (data.unit_amount !== undefined && data.unit_amount_decimal !== undefined) {
    throw errors.parametersExclusive(`${param}[unit_amount]`, `${param}[unit_amount_decimal]`);
  }
  const terms = {
    active: false,
    currency: data.currency,
    tax_behavior: data.tax_behavior,
    unit_amount: data.unit_amount,
    unit_amount_decimal: data.unit_amount_decimal,
  };
  // Inline prices are inactive, so they are offered nowhere else, as on Stripe.
  if (write) return underParam(param, () => insertPrice(ctx, data.product, terms));
  return underParam(param, async () =>
    buildPrice(ctx, data.product, terms, `price_tmp_${newId('price').slice(6)}`),
  );
}

function fromPrice(price: Stripe.Price, quantity: number, prefix: string): PricedItem {
  return {
    amount: onParam(at(prefix, 'quantity'), () => priceAmount(price, quantity)),
    currency: price.currency,
    quantity,
    pricing: pricingOf(price),
  };
}

export async function priceItem(
  ctx: Ctx,
  params: PricingParams,
  options: PricingOptions,
): Promise<PricedItem> {
  const { prefix, current } = options;
  const sources = (['amount', 'unit_amount_decimal', 'pricing', 'price_data'] as const).filter(
    (name) => params[name] !== undefined,
  );
  if (sources.length > 1) throw errors.parametersExclusive(at(prefix, sources[0]!), at(prefix, sources[1]!));
  const source = sources[0];
  const quantity = params.quantity ?? (source === undefined && current ? current.quantity : 1);
  if (source === 'amount') {
    if (params.quantity !== undefined)
      throw errors.parametersExclusive(at(prefix, 'amount'), at(prefix, 'quantity'));
    const currency = current?.currency ?? params.currency;
    if (currency === undefined) throw errors.parameterMissing(at(prefix, 'currency'));
    const amount = params.amount!;
    return {
      amount,
      currency,
      quantity: 1,
      pricing: { type: 'price_details', unit_amount_decimal: wireDecimal(String(amount)) },
    };
  }
  if (source === 'unit_amount_decimal') {
    const currency = current?.currency ?? params.currency;
    if (currency === undefined) throw errors.parameterMissing(at(prefix, 'currency'));
    const unit = params.unit_amount_decimal!;
    return {
      amount: perUnit(unit, quantity, currency, prefix),
      currency,
      quantity,
      pricing: { type: 'price_details', unit_amount_decimal: wireDecimal(unit) },
    };
  }
  if (source === 'pricing') {
    const param = at(prefix, 'pricing[price]');
    if (params.pricing!.price === undefined) throw errors.parameterMissing(param);
    const price = await existingPrice(ctx, params.pricing!.price, param);
    checkCurrency(params.currency ?? current?.currency, price.currency, prefix);
    return fromPrice(price, quantity, prefix);
  }
  if (source === 'price_data') {
    const price = await inlinePrice(ctx, params.price_data!, prefix, options.write);
    checkCurrency(params.currency ?? current?.currency, price.currency, prefix);
    return fromPrice(price, quantity, prefix);
  }
  if (!current) {
    throw fail('invoice_item_amount_missing', {}, at(prefix, 'amount'));
  }
  // Only the quantity changes: the item keeps its price, or its unit amount.
  const priceRef = current.pricing?.price_details?.price;
  if (priceRef) {
    const price = await requirePrice(ctx, typeof priceRef === 'string' ? priceRef : priceRef.id);
    return fromPrice(price, quantity, prefix);
  }
  const unit = current.pricing?.unit_amount_decimal ?? String(current.amount);
  return {
    amount: perUnit(String(unit), quantity, current.currency, prefix),
    currency: current.currency,
    quantity,
    pricing: current.pricing,
  };
}
