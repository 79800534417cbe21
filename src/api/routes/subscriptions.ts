import { cancelSubscription, deleteDiscount } from '../../billing/subscriptions/cancel.ts';
import { createSubscription } from '../../billing/subscriptions/create.ts';
import { createItem, deleteItem, updateItem } from '../../billing/subscriptions/item-endpoints.ts';
import {
  embeddedSubscriptions,
  listItems,
  listSubscriptions,
  requireItem,
  searchSubscriptions,
} from '../../billing/subscriptions/list.ts';
import {
  cancelSubscriptionParams,
  createItemParams,
  createSubscriptionParams,
  deleteItemParams,
  listItemParams,
  listSubscriptionParams,
  pauseSubscriptionParams,
  resumeSubscriptionParams,
  searchSubscriptionParams,
  updateItemParams,
  updateSubscriptionParams,
} from '../../billing/subscriptions/params.ts';
import { pauseSubscription, resumeSubscription } from '../../billing/subscriptions/pause.ts';
import { requireSubscription } from '../../billing/subscriptions/store.ts';
import { updateSubscription } from '../../billing/subscriptions/update.ts';
import { expandOnly, noParams } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const subscriptionExpansions: ExpansionSpec = {
  expandable: {
    subscription: ['customer', 'default_payment_method', 'latest_invoice', 'test_clock', 'discounts'],
    subscription_item: ['discounts'],
    discount: ['customer', 'promotion_code', 'source.coupon'],
  },
  loaders: {
    sub: (ctx, id) => findObject(ctx.db, 'subscriptions', ctx.scope, id),
    si: (ctx, id) => findObject(ctx.db, 'subscription_items', ctx.scope, id),
    di: (ctx, id) => findObject(ctx.db, 'discounts', ctx.scope, id),
  },
  // Coupon ids may be chosen by their creators and carry no prefix.
  fieldLoaders: {
    discount: { 'source.coupon': (ctx, id) => findObject(ctx.db, 'coupons', ctx.scope, id) },
  },
  computed: {
    customer: { subscriptions: (ctx, customer) => embeddedSubscriptions(ctx, String(customer.id)) },
  },
};

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
  route({
    method: 'DELETE',
    path: '/v1/subscriptions/:id/discount',
    params: noParams,
    handler: (ctx, _params, path) => deleteDiscount(ctx, path.id!),
  }),
  route({
    method: 'GET',
    path: '/v1/subscriptions/search',
    params: searchSubscriptionParams,
    handler: searchSubscriptions,
  }),
  route({
    method: 'POST',
    path: '/v1/subscriptions/:id/pause',
    params: pauseSubscriptionParams,
    handler: (ctx, params, path) => pauseSubscription(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/subscriptions/:id/resume',
    params: resumeSubscriptionParams,
    handler: (ctx, params, path) => resumeSubscription(ctx, path.id!, params),
  }),
  route({ method: 'GET', path: '/v1/subscription_items', params: listItemParams, handler: listItems }),
  route({ method: 'POST', path: '/v1/subscription_items', params: createItemParams, handler: createItem }),
  route({
    method: 'POST',
    path: '/v1/subscription_items/:id',
    params: updateItemParams,
    handler: (ctx, params, path) => updateItem(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/subscription_items/:id',
    params: deleteItemParams,
    handler: (ctx, params, path) => deleteItem(ctx, path.id!, params),
  }),
  route({
    method: 'GET',
    path: '/v1/subscription_items/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireItem(ctx, path.id!),
  }),
]);
