import { createRefundParams, listRefundParams, updateRefundParams } from '../../billing/refunds/params.ts';
import {
  cancelRefund,
  createRefundFromApi,
  listRefunds,
  retrieveRefund,
  updateRefund,
} from '../../billing/refunds/service.ts';
import { expandOnly } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const refundExpansions: ExpansionSpec = {
  expandable: {
    refund: ['balance_transaction', 'charge', 'failure_balance_transaction', 'payment_intent'],
  },
  loaders: { re: (ctx, id) => findObject(ctx.db, 'refunds', ctx.scope, id) },
};

export const refundRoutes = resourceRoutes('refunds', [
  route({ method: 'POST', path: '/v1/refunds', params: createRefundParams, handler: createRefundFromApi }),
  route({ method: 'GET', path: '/v1/refunds', params: listRefundParams, handler: listRefunds }),
  route({
    method: 'GET',
    path: '/v1/refunds/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveRefund(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/refunds/:id',
    params: updateRefundParams,
    handler: (ctx, params, path) => updateRefund(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/refunds/:id/cancel',
    params: expandOnly,
    handler: (ctx, _params, path) => cancelRefund(ctx, path.id!),
  }),
]);
