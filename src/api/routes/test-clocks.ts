import { requireClock } from '../../billing/test-clocks/lookup.ts';
import { advanceClockParams, createClockParams, listClockParams } from '../../billing/test-clocks/params.ts';
import { advanceClock, createClock, deleteClock, listClocks } from '../../billing/test-clocks/service.ts';
import { expandOnly, noParams } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const testClockExpansions: ExpansionSpec = {
  loaders: { clock: (ctx, id) => findObject(ctx.db, 'test_clocks', ctx.scope, id) },
};

export const testClockRoutes = resourceRoutes('test_clocks', [
  route({
    method: 'POST',
    path: '/v1/test_helpers/test_clocks',
    params: createClockParams,
    handler: createClock,
  }),
  route({
    method: 'GET',
    path: '/v1/test_helpers/test_clocks',
    params: listClockParams,
    handler: listClocks,
  }),
  route({
    method: 'GET',
    path: '/v1/test_helpers/test_clocks/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireClock(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/test_helpers/test_clocks/:id/advance',
    params: advanceClockParams,
    handler: (ctx, params, path) => advanceClock(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/test_helpers/test_clocks/:id',
    params: noParams,
    handler: (ctx, _params, path) => deleteClock(ctx, path.id!),
  }),
]);
