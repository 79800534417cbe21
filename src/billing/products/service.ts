import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail, underParam } from '../../core/errors.ts';
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
  listObjectTexts,
  updateObject,
} from '../../store/objects.ts';
import { type SearchField, searchObjects } from '../../store/search.ts';
import { insertPrice, productHasPrices, requirePrice } from '../prices/service.ts';
import type {
  CreateProductParams,
  ListProductParams,
  SearchProductParams,
  UpdateProductParams,
} from './params.ts';

type Product = Stripe.Product;

function indexed(product: Product) {
  return {
    active: product.active ? 1 : 0,
    shippable: product.shippable === null ? null : product.shippable ? 1 : 0,
    type: product.type,
    url: product.url,
  };
}

function apply(product: Product, params: CreateProductParams | UpdateProductParams): void {
  if (params.active !== undefined) product.active = params.active;
  if (params.name !== undefined) product.name = params.name;
  if (params.description !== undefined) product.description = params.description;
  if (params.images !== undefined) product.images = params.images ?? [];
  if (params.marketing_features !== undefined) product.marketing_features = params.marketing_features ?? [];
  if (params.package_dimensions !== undefined) product.package_dimensions = params.package_dimensions;
  if (params.shippable !== undefined) product.shippable = params.shippable;
  if (params.statement_descriptor !== undefined) product.statement_descriptor = params.statement_descriptor;
  if (params.tax_code !== undefined) product.tax_code = params.tax_code;
  if (params.tax_details !== undefined) {
    product.tax_details =
      params.tax_details === null
        ? null
        : {
            performance_location: params.tax_details.performance_location ?? null,
            tax_code: params.tax_details.tax_code ?? null,
          };
  }
  if (params.unit_label !== undefined) product.unit_label = params.unit_label;
  if (params.url !== undefined) product.url = params.url;
  product.metadata = mergeMetadata(product.metadata, params.metadata);
}

export async function createProduct(ctx: Ctx, params: CreateProductParams): Promise<Product> {
  const now = ctx.clock.now();
  const product: Product = {
    id: params.id ?? newId('prod'),
    object: 'product',
    active: true,
    created: now,
    default_price: null,
    description: null,
    images: [],
    livemode: ctx.scope.livemode,
    marketing_features: [],
    metadata: {},
    name: params.name,
    package_dimensions: null,
    shippable: null,
    statement_descriptor: null,
    tax_code: null,
    tax_details: null,
    type: params.type ?? 'service',
    unit_label: null,
    updated: now,
    url: null,
  };
  apply(product, params);
  await insertChosenId(ctx.db, 'products', ctx.scope, product, indexed(product));
  await emitEvent(ctx, 'product.created', product);
  if (params.default_price_data) {
    // Stripe makes the price after the product and reports it as the product's default.
    const data = params.default_price_data;
    const price = await underParam('default_price_data', () => insertPrice(ctx, product.id, data));
    product.default_price = price.id;
    await updateObject(ctx.db, 'products', ctx.scope, product, indexed(product));
  }
  return product;
}

async function findProduct(ctx: Ctx, id: string): Promise<Product | undefined> {
  const found = await findObject<Product & { deleted?: true }>(ctx.db, 'products', ctx.scope, id);
  return found && !found.deleted ? found : undefined;
}

/** A product for a path (404) or a param (400). */
export async function requireProduct(ctx: Ctx, id: string, param?: string): Promise<Product> {
  const found = await findProduct(ctx, id);
  if (!found) throw param ? errors.noSuchParam('product', id, param) : errors.noSuchPath('product', id);
  return found;
}

export async function updateProduct(ctx: Ctx, id: string, params: UpdateProductParams): Promise<Product> {
  const before = await requireProduct(ctx, id);
  const product = structuredClone(before);
  if (params.default_price !== undefined) {
    const price = await requirePrice(ctx, params.default_price, 'default_price');
    if (price.product !== id) {
      throw fail('product_default_price_other_product', { price: price.id }, 'default_price');
    }
    if (!price.active) {
      throw fail('product_default_price_archived', { price: price.id }, 'default_price');
    }
    product.default_price = price.id;
  }
  apply(product, params);
  product.updated = ctx.clock.now();
  await updateObject(ctx.db, 'products', ctx.scope, product, indexed(product));
  await emitEvent(ctx, 'product.updated', product, { before });
  return product;
}

export async function deleteProduct(ctx: Ctx, id: string): Promise<Stripe.DeletedProduct> {
  const product = await requireProduct(ctx, id);
  if (await productHasPrices(ctx, id)) {
    throw fail('product_has_prices', {});
  }
  const deleted: Stripe.DeletedProduct = { id, object: 'product', deleted: true };
  await updateObject(ctx.db, 'products', ctx.scope, deleted, { deleted: 1 });
  await emitEvent(ctx, 'product.deleted', product);
  return deleted;
}

export async function listProducts(
  ctx: Ctx,
  params: ListProductParams,
): Promise<JsonText<ListObject<Product>>> {
  const where: Record<string, Filter> = { deleted: 0 };
  if (params.active !== undefined) where.active = params.active ? 1 : 0;
  if (params.shippable !== undefined) where.shippable = params.shippable ? 1 : 0;
  if (params.type !== undefined) where.type = params.type;
  if (params.url !== undefined) where.url = params.url;
  if (params.ids !== undefined) where.id = { in: params.ids };
  const page = await listObjectTexts(ctx.db, 'products', ctx.scope, pageQuery(params), where);
  return listJson<Product>(page, '/v1/products');
}

const SEARCH_FIELDS: Record<string, SearchField> = {
  active: { kind: 'boolean', column: 'active' },
  created: { kind: 'number', column: 'created' },
  description: { kind: 'text', json: 'description' },
  metadata: { kind: 'metadata' },
  name: { kind: 'text', json: 'name' },
  shippable: { kind: 'boolean', column: 'shippable' },
  url: { kind: 'text', json: 'url' },
};

/** `/v1/products/search`: Stripe's query language over active, name, description, metadata, … */
export async function searchProducts(ctx: Ctx, params: SearchProductParams): Promise<SearchResult<Product>> {
  const query = parseSearchQuery(params.query);
  const totalCount = params.expand?.includes('total_count') ?? false;
  const page = await searchObjects<Product>(ctx.db, 'products', ctx.scope, SEARCH_FIELDS, query, {
    limit: params.limit ?? 10,
    page: params.page,
    totalCount,
    where: { deleted: 0 },
  });
  return searchResult(page, '/v1/products/search');
}
