import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail, underParam } from '../../core/errors.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery, type SearchResult, searchResult } from '../../core/list.ts';
import { emitEvent } from '../../events/emit.ts';
import { parseSearchQuery } from '../../search/query.ts';
import { type Filter, listObjectTexts, updateObject } from '../../store/objects.ts';
import { type SearchField, searchObjects } from '../../store/search.ts';
import { insertPrice, productHasPrices, requirePrice } from '../prices/service.ts';
import type {
  CreateProductParams,
  ListProductParams,
  SearchProductParams,
  UpdateProductParams,
} from './params.ts';
import { applyParams, indexed, insertProduct, requireProduct } from './product.ts';

export { requireProduct };

type Product = Stripe.Product;

export async function createProduct(ctx: Ctx, params: CreateProductParams): Promise<Product> {
  const product = await insertProduct(ctx, params);
  if (params.default_price_data) {
    // Stripe makes the price after the product and reports it as the product's default.
    const data = params.default_price_data;
    const price = await underParam('default_price_data', () => insertPrice(ctx, product.id, data));
    product.default_price = price.id;
    await updateObject(ctx.db, 'products', ctx.scope, product, indexed(product));
  }
  return product;
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
  applyParams(product, params);
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
