import { requireCoupon } from '../../billing/coupons/service.ts';
import {
  createPromotionCodeParams,
  listPromotionCodeParams,
  updatePromotionCodeParams,
} from '../../billing/promotion-codes/params.ts';
import {
  createPromotionCode,
  listPromotionCodes,
  requirePromotionCode,
  updatePromotionCode,
} from '../../billing/promotion-codes/service.ts';
import { expandOnly } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const promotionCodeExpansions: ExpansionSpec = {
  expandable: { promotion_code: ['customer', 'promotion.coupon'] },
  loaders: { promo: (ctx, id) => findObject(ctx.db, 'promotion_codes', ctx.scope, id) },
  fieldLoaders: {
    promotion_code: { 'promotion.coupon': (ctx, id) => requireCoupon(ctx, id).catch(() => undefined) },
  },
};

export const promotionCodeRoutes = resourceRoutes('promotion_codes', [
  route({
    method: 'POST',
    path: '/v1/promotion_codes',
    params: createPromotionCodeParams,
    handler: createPromotionCode,
  }),
  route({
    method: 'GET',
    path: '/v1/promotion_codes',
    params: listPromotionCodeParams,
    handler: listPromotionCodes,
  }),
  route({
    method: 'GET',
    path: '/v1/promotion_codes/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requirePromotionCode(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/promotion_codes/:id',
    params: updatePromotionCodeParams,
    handler: (ctx, params, path) => updatePromotionCode(ctx, path.id!, params),
  }),
]);
