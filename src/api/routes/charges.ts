import { listChargeParams, searchChargeParams, updateChargeParams } from '../../billing/charges/params.ts';
import { listCharges, retrieveCharge, searchCharges, updateCharge } from '../../billing/charges/service.ts';
import { expandOnly } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const chargeExpansions: ExpansionSpec = {
  expandable: {
    charge: [
      'application',
      'application_fee',
      'balance_transaction',
      'customer',
      'failure_balance_transaction',
      'on_behalf_of',
      'payment_intent',
      'review',
    ],
  },
  loaders: { ch: (ctx, id) => findObject(ctx.db, 'charges', ctx.scope, id) },
};

export const chargeRoutes = resourceRoutes('charges', [
  route({ method: 'GET', path: '/v1/charges', params: listChargeParams, handler: listCharges }),
  route({ method: 'GET', path: '/v1/charges/search', params: searchChargeParams, handler: searchCharges }),
  route({
    method: 'GET',
    path: '/v1/charges/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveCharge(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/charges/:id',
    params: updateChargeParams,
    handler: (ctx, params, path) => updateCharge(ctx, path.id!, params),
  }),
]);
