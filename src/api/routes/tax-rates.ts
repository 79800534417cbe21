import {
  createTaxRateParams,
  listTaxRateParams,
  updateTaxRateParams,
} from '../../billing/tax-rates/params.ts';
import {
  createTaxRate,
  listTaxRates,
  requireTaxRate,
  updateTaxRate,
} from '../../billing/tax-rates/service.ts';
import { expandOnly } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const taxRateExpansions: ExpansionSpec = {
  loaders: { txr: (ctx, id) => findObject(ctx.db, 'tax_rates', ctx.scope, id) },
};

/** Tax rates are archived (`active=false`), never deleted, as on Stripe. */
export const taxRateRoutes = resourceRoutes('tax_rates', [
  route({ method: 'POST', path: '/v1/tax_rates', params: createTaxRateParams, handler: createTaxRate }),
  route({ method: 'GET', path: '/v1/tax_rates', params: listTaxRateParams, handler: listTaxRates }),
  route({
    method: 'GET',
    path: '/v1/tax_rates/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireTaxRate(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/tax_rates/:id',
    params: updateTaxRateParams,
    handler: (ctx, params, path) => updateTaxRate(ctx, path.id!, params),
  }),
]);
