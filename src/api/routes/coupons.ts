import { createCouponParams, listCouponParams, updateCouponParams } from '../../billing/coupons/params.ts';
import {
  createCoupon,
  deleteCoupon,
  listCoupons,
  requireCoupon,
  updateCoupon,
} from '../../billing/coupons/service.ts';
import { expandOnly, noParams } from '../../core/params.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const couponExpansions: ExpansionSpec = {
  included: { coupon: ['applies_to', 'currency_options'] },
};

export const couponRoutes = resourceRoutes('coupons', [
  route({ method: 'POST', path: '/v1/coupons', params: createCouponParams, handler: createCoupon }),
  route({ method: 'GET', path: '/v1/coupons', params: listCouponParams, handler: listCoupons }),
  route({
    method: 'GET',
    path: '/v1/coupons/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireCoupon(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/coupons/:id',
    params: updateCouponParams,
    handler: (ctx, params, path) => updateCoupon(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/coupons/:id',
    params: noParams,
    handler: (ctx, _params, path) => deleteCoupon(ctx, path.id!),
  }),
]);
