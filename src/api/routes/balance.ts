import { retrieveBalance } from '../../billing/balance/service.ts';
import { expandOnly } from '../../core/params.ts';
import { resourceRoutes, route } from '../route.ts';

export const balanceRoutes = resourceRoutes('balance', [
  route({ method: 'GET', path: '/v1/balance', params: expandOnly, handler: (ctx) => retrieveBalance(ctx) }),
]);
