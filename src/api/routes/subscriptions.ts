import { cancelSubscription } from '../../billing/subscriptions/cancel.ts';
import { createSubscription } from '../../billing/subscriptions/create.ts';
import { listItems, listSubscriptions, requireItem } from '../../billing/subscriptions/list.ts';
import {
  cancelSubscriptionParams,
  createSubscriptionParams,
  listItemParams,
  listSubscriptionParams,
  updateSubscriptionParams,
} from '../../billing/subscriptions/params.ts';
import { requireSubscription } from '../../billing/subscriptions/store.ts';
import { updateSubscription } from '../../billing/subscriptions/update.ts';
import { expandOnly } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import { registerExpandable, registerLoader } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

registerExpandable('subscription', [
  'customer',
  'default_payment_method',
  'latest_invoice',
  'test_clock',
  'discounts',
]);
registerExpandable('subscription_item', ['discounts']);
registerExpandable('discount', ['customer', 'promotion_code', 'source.coupon']);
registerLoader('sub', (ctx, id) => findObject(ctx.db, 'subscriptions', ctx.scope, id));
registerLoader('si', (ctx, id) => findObject(ctx.db, 'subscription_items', ctx.scope, id));
registerLoader('di', (ctx, id) => findObject(ctx.db, 'discounts', ctx.scope, id));

export const subscriptionRoutes = resourceRoutes('subscriptions', [
  route({
    method: 'POST',
    path: '/v1/subscriptions',
    params: createSubscriptionParams,
    handler: createSubscription,
  }),
  route({
    method: 'GET',
    path: '/v1/subscriptions',
    params: listSubscriptionParams,
    handler: listSubscriptions,
  }),
  route({
    method: 'GET',
    path: '/v1/subscriptions/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireSubscription(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/subscriptions/:id',
    params: updateSubscriptionParams,
    handler: (ctx, params, path) => updateSubscription(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/subscriptions/:id',
    params: cancelSubscriptionParams,
    handler: (ctx, params, path) => cancelSubscription(ctx, path.id!, params),
  }),
  route({ method: 'GET', path: '/v1/subscription_items', params: listItemParams, handler: listItems }),
  route({
    method: 'GET',
    path: '/v1/subscription_items/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireItem(ctx, path.id!),
  }),
]);
