import {
  createProductParams,
  listProductParams,
  searchProductParams,
  updateProductParams,
} from '../../billing/products/params.ts';
import {
  createProduct,
  deleteProduct,
  listProducts,
  requireProduct,
  searchProducts,
  updateProduct,
} from '../../billing/products/service.ts';
import { expandOnly, noParams } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const productExpansions: ExpansionSpec = {
  expandable: { product: ['default_price', 'tax_code'] },
  loaders: { prod: (ctx, id) => findObject(ctx.db, 'products', ctx.scope, id) },
};

export const productRoutes = resourceRoutes('products', [
  route({ method: 'POST', path: '/v1/products', params: createProductParams, handler: createProduct }),
  route({ method: 'GET', path: '/v1/products', params: listProductParams, handler: listProducts }),
  route({ method: 'GET', path: '/v1/products/search', params: searchProductParams, handler: searchProducts }),
  route({
    method: 'GET',
    path: '/v1/products/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireProduct(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/products/:id',
    params: updateProductParams,
    handler: (ctx, params, path) => updateProduct(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/products/:id',
    params: noParams,
    handler: (ctx, _params, path) => deleteProduct(ctx, path.id!),
  }),
]);
