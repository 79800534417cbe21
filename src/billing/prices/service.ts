import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery, type SearchResult, searchResult } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { parseSearchQuery } from '../../search/query.ts';
import {
  type Filter,
  findObject,
  insertChosenId,
  insertObject,
  listObjectTexts,
  updateObject,
} from '../../store/objects.ts';
import { selectFirst } from '../../store/run.ts';
import { type SearchField, searchObjects } from '../../store/search.ts';
import { insertProduct, requireProduct } from '../products/product.ts';
import type {
  CreatePriceParams,
  CurrencyOptionParams,
  ListPriceParams,
  SearchPriceParams,
  UpdatePriceParams,
} from './params.ts';
import { planOf } from './plan-view.ts';
import { buildAmounts, buildCurrencyOption, buildRecurring } from './rules.ts';

type Price = Stripe.Price;

/**
 * A price's event, and for a recurring price the same event under its plan name: a plan and a
 * recurring price are one object, so integrations that listen for `plan.*` still hear of it.
 */
export async function emitPriceEvent(
  ctx: Ctx,
  verb: 'created' | 'updated' | 'deleted',
  price: Price,
  before?: Price,
): Promise<void> {
  await emitEvent(ctx, `price.${verb}`, price, before ? { before } : {});
  if (price.type !== 'recurring') return;
  const plan = planOf(price);
  await emitEvent(ctx, `plan.${verb}`, plan, before ? { before: planOf(before) } : {});
}

function indexed(price: Price) {
  return {
    product: typeof price.product === 'string' ? price.product : price.product.id,
    active: price.active ? 1 : 0,
    type: price.type,
    currency: price.currency,
    lookup_key: price.lookup_key,
    recurring_interval: price.recurring?.interval ?? null,
    usage_type: price.recurring?.usage_type ?? null,
  };
}

/** A price for a path (404) or a param (400). */
export async function requirePrice(ctx: Ctx, id: string, param?: string): Promise<Price> {
  const found = await findObject<Price>(ctx.db, 'prices', ctx.scope, id);
  if (!found) throw param ? errors.noSuchParam('price', id, param) : errors.noSuchPath('price', id);
  return found;
}

/** Whether a product has prices: Stripe refuses to delete such a product. */
export async function productHasPrices(ctx: Ctx, productId: string): Promise<boolean> {
  const row = await selectFirst(
    ctx.db,
    ctx.db
      .selectFrom('prices')
      .select('id')
      .where('account_id', '=', ctx.scope.accountId)
      .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
      .where('product', '=', productId)
      .limit(1),
  );
  return row !== undefined;
}

async function priceWithLookupKey(ctx: Ctx, key: string): Promise<Price | undefined> {
  const row = await selectFirst(
    ctx.db,
    ctx.db
      .selectFrom('prices')
      .select('data')
      .where('account_id', '=', ctx.scope.accountId)
      .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
      .where('lookup_key', '=', key),
  );
  return row ? (JSON.parse(row.data) as Price) : undefined;
}

/**
 * A lookup key names one price per account and mode. With `transfer_lookup_key` it moves from the
 * price that holds it (which gets a price.updated event); without, a taken key is refused.
 */
async function claimLookupKey(
  ctx: Ctx,
  key: string,
  transfer: boolean | undefined,
  self?: string,
): Promise<void> {
  const holder = await priceWithLookupKey(ctx, key);
  if (!holder || holder.id === self) return;
  if (!transfer) {
    throw fail('price_lookup_key_taken', { price: holder.id, lookupKey: key }, 'lookup_key');
  }
  const moved = { ...holder, lookup_key: null };
  await updateObject(ctx.db, 'prices', ctx.scope, moved, indexed(moved));
  await emitPriceEvent(ctx, 'updated', moved, holder);
}

function currencyOptions(
  price: Price,
  options: Record<string, CurrencyOptionParams> | null | undefined,
): Price['currency_options'] {
  if (!options) return undefined;
  const out: Record<string, Stripe.Price.CurrencyOptions> = {
    [price.currency]: {
      custom_unit_amount: price.custom_unit_amount,
      tax_behavior: price.tax_behavior,
      ...(price.tiers ? { tiers: price.tiers } : {}),
      unit_amount: price.unit_amount,
      unit_amount_decimal: price.unit_amount_decimal,
    },
  };
  for (const [code, option] of Object.entries(options)) {
    const currency = code.toLowerCase();
    const param = `currency_options[${code}]`;
    if (currency === price.currency) {
      throw fail('currency_options_own_currency', { currency: price.currency, object: 'price' }, param);
    }
    out[currency] = buildCurrencyOption(option, price, param);
  }
  return out;
}

type PriceTerms = Omit<CreatePriceParams, 'product' | 'product_data'>;

/**
 * A price as `POST /v1/prices` would make it, checked by the same rules but not stored: previews
 * show inline prices (`price_data`) this way, with an id that is never stored.
 */
export function buildPrice(ctx: Ctx, productId: string, params: PriceTerms, id = newId('price')): Price {
  const price: Price = {
    id,
    object: 'price',
    active: params.active ?? true,
    ...buildAmounts(params),
    created: ctx.clock.now(),
    currency: params.currency,
    livemode: ctx.scope.livemode,
    lookup_key: params.lookup_key ?? null,
    metadata: mergeMetadata({}, params.metadata),
    nickname: params.nickname ?? null,
    product: productId,
    recurring: params.recurring ? buildRecurring(params.recurring) : null,
    tax_behavior: params.tax_behavior ?? 'unspecified',
    type: params.recurring ? 'recurring' : 'one_time',
  };
  const options = currencyOptions(price, params.currency_options);
  if (options) price.currency_options = options;
  return price;
}

/**
 * Creates a price for a product that exists; shared by `POST /v1/prices`, `default_price_data`
 * and `POST /v1/plans`, whose id may be chosen (a taken one is `resource_already_exists`).
 */
export async function insertPrice(
  ctx: Ctx,
  productId: string,
  params: PriceTerms,
  chosenId?: string,
): Promise<Price> {
  const price = buildPrice(ctx, productId, params, chosenId);
  if (price.lookup_key !== null) await claimLookupKey(ctx, price.lookup_key, params.transfer_lookup_key);
  if (chosenId === undefined) await insertObject(ctx.db, 'prices', ctx.scope, price, indexed(price));
  else await insertChosenId(ctx.db, 'prices', ctx.scope, price, indexed(price));
  await emitPriceEvent(ctx, 'created', price);
  return price;
}

/** Stores a changed price and emits its update. */
export async function savePrice(ctx: Ctx, price: Price, before: Price): Promise<void> {
  await updateObject(ctx.db, 'prices', ctx.scope, price, indexed(price));
  await emitPriceEvent(ctx, 'updated', price, before);
}

export async function createPrice(ctx: Ctx, params: CreatePriceParams): Promise<Price> {
  const { product, product_data: productData, ...rest } = params;
  if (product !== undefined && productData !== undefined)
    throw errors.parametersExclusive('product', 'product_data');
  if (product !== undefined) {
    await requireProduct(ctx, product, 'product');
    return insertPrice(ctx, product, rest);
  }
  if (productData === undefined) {
    throw fail('price_product_missing', {}, 'product');
  }
  // Check the price before creating its product, so a refused price leaves no product behind
  // even outside a transaction's protection (the transaction would undo it anyway).
  buildAmounts(rest);
  const created = await insertProduct(ctx, productData);
  return insertPrice(ctx, created.id, rest);
}

export async function updatePrice(ctx: Ctx, id: string, params: UpdatePriceParams): Promise<Price> {
  const before = await requirePrice(ctx, id);
  const price = structuredClone(before);
  if (params.active !== undefined) {
    if (!params.active && price.active) await refuseArchivingDefault(ctx, price);
    price.active = params.active;
  }
  if (params.nickname !== undefined) price.nickname = params.nickname;
  if (params.tax_behavior !== undefined && params.tax_behavior !== price.tax_behavior) {
    if (price.tax_behavior !== 'unspecified' && price.tax_behavior !== null) {
      throw fail('price_tax_behavior_locked', { taxBehavior: price.tax_behavior }, 'tax_behavior');
    }
    price.tax_behavior = params.tax_behavior;
  }
  if (params.lookup_key !== undefined) {
    if (params.lookup_key !== null)
      await claimLookupKey(ctx, params.lookup_key, params.transfer_lookup_key, id);
    price.lookup_key = params.lookup_key;
  }
  if (params.currency_options !== undefined) {
    delete price.currency_options;
    const options = currencyOptions(price, params.currency_options);
    if (options) price.currency_options = options;
  }
  price.metadata = mergeMetadata(price.metadata, params.metadata);
  await savePrice(ctx, price, before);
  return price;
}

export async function refuseArchivingDefault(ctx: Ctx, price: Price): Promise<void> {
  const product = await findObject<Stripe.Product>(ctx.db, 'products', ctx.scope, String(price.product));
  if (product?.default_price === price.id) {
    throw fail('price_default_archive', { product: product.id }, 'active');
  }
}

export async function listPrices(ctx: Ctx, params: ListPriceParams): Promise<JsonText<ListObject<Price>>> {
  const where: Record<string, Filter> = {};
  if (params.active !== undefined) where.active = params.active ? 1 : 0;
  if (params.currency !== undefined) where.currency = params.currency;
  if (params.product !== undefined) where.product = params.product;
  if (params.type !== undefined) where.type = params.type;
  if (params.lookup_keys !== undefined) where.lookup_key = { in: params.lookup_keys };
  if (params.recurring?.interval !== undefined) where.recurring_interval = params.recurring.interval;
  if (params.recurring?.usage_type !== undefined) where.usage_type = params.recurring.usage_type;
  // No price has a meter (Portico has no billing meters), so filtering by one finds nothing.
  if (params.recurring?.meter !== undefined)
    return listJson<Price>({ data: [], hasMore: false }, '/v1/prices');
  const page = await listObjectTexts(ctx.db, 'prices', ctx.scope, pageQuery(params), where);
  return listJson<Price>(page, '/v1/prices');
}

const SEARCH_FIELDS: Record<string, SearchField> = {
  active: { kind: 'boolean', column: 'active' },
  created: { kind: 'number', column: 'created' },
  currency: { kind: 'text', column: 'currency' },
  lookup_key: { kind: 'text', column: 'lookup_key' },
  metadata: { kind: 'metadata' },
  product: { kind: 'text', column: 'product' },
  type: { kind: 'text', column: 'type' },
};

/** `/v1/prices/search`: active, currency, lookup_key, metadata, product, type and created. */
export async function searchPrices(ctx: Ctx, params: SearchPriceParams): Promise<SearchResult<Price>> {
  const query = parseSearchQuery(params.query);
  const page = await searchObjects<Price>(ctx.db, 'prices', ctx.scope, SEARCH_FIELDS, query, {
    limit: params.limit ?? 10,
    page: params.page,
    totalCount: params.expand?.includes('total_count') ?? false,
  });
  return searchResult(page, '/v1/prices/search');
}
