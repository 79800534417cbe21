import { createPlanParams, listPlanParams, updatePlanParams } from '../../billing/plans/params.ts';
import { createPlan, deletePlan, listPlans, retrievePlan, updatePlan } from '../../billing/plans/service.ts';
import { expandOnly, noParams } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const planExpansions: ExpansionSpec = {
  expandable: { plan: ['product'] },
  included: { plan: ['tiers'] },
  // A plan made without a chosen id is `plan_…`; wherever it is named as a price it loads as one.
  loaders: { plan: (ctx, id) => findObject(ctx.db, 'prices', ctx.scope, id) },
  fieldLoaders: { plan: { product: (ctx, id) => findObject(ctx.db, 'products', ctx.scope, id) } },
};

/** Plans are prices to restricted keys too: Stripe's plan permission is the price one. */
export const planRoutes = resourceRoutes('prices', [
  route({ method: 'POST', path: '/v1/plans', params: createPlanParams, handler: createPlan }),
  route({ method: 'GET', path: '/v1/plans', params: listPlanParams, handler: listPlans }),
  route({
    method: 'GET',
    path: '/v1/plans/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrievePlan(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/plans/:id',
    params: updatePlanParams,
    handler: (ctx, params, path) => updatePlan(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/plans/:id',
    params: noParams,
    handler: (ctx, _params, path) => deletePlan(ctx, path.id!),
  }),
]);
