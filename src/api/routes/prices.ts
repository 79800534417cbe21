import {
  createPriceParams,
  listPriceParams,
  searchPriceParams,
  updatePriceParams,
} from '../../billing/prices/params.ts';
import {
  createPrice,
  listPrices,
  requirePrice,
  searchPrices,
  updatePrice,
} from '../../billing/prices/service.ts';
import { expandOnly } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const priceExpansions: ExpansionSpec = {
  expandable: { price: ['product'] },
  included: { price: ['tiers', 'currency_options'] },
  loaders: { price: (ctx, id) => findObject(ctx.db, 'prices', ctx.scope, id) },
  // Products may have ids their creators chose, so a price's product is loaded by field, not prefix.
  fieldLoaders: { price: { product: (ctx, id) => findObject(ctx.db, 'products', ctx.scope, id) } },
};

export const priceRoutes = resourceRoutes('prices', [
  route({ method: 'POST', path: '/v1/prices', params: createPriceParams, handler: createPrice }),
  route({ method: 'GET', path: '/v1/prices', params: listPriceParams, handler: listPrices }),
  route({ method: 'GET', path: '/v1/prices/search', params: searchPriceParams, handler: searchPrices }),
  route({
    method: 'GET',
    path: '/v1/prices/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requirePrice(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/prices/:id',
    params: updatePriceParams,
    handler: (ctx, params, path) => updatePrice(ctx, path.id!, params),
  }),
]);
