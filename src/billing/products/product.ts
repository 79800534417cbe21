import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { findObject, insertChosenId } from '../../store/objects.ts';
import type { CreateProductParams, UpdateProductParams } from './params.ts';

/**
 * A product on its own: built from params, stored and found. Prices build on this (a price names
 * its product, `product_data` creates one); products/service.ts adds what involves prices.
 */
type Product = Stripe.Product;

/** The columns a product is listed and searched by. */
export function indexed(product: Product) {
  return {
    active: product.active ? 1 : 0,
    shippable: product.shippable === null ? null : product.shippable ? 1 : 0,
    type: product.type,
    url: product.url,
  };
}

export function applyParams(product: Product, params: CreateProductParams | UpdateProductParams): void {
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

/** Creates a product without its default price (`default_price_data` is products/service.ts's). */
export async function insertProduct(ctx: Ctx, params: CreateProductParams): Promise<Product> {
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
  applyParams(product, params);
  await insertChosenId(ctx.db, 'products', ctx.scope, product, indexed(product));
  await emitEvent(ctx, 'product.created', product);
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
