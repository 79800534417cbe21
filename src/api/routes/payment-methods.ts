import {
  attachPaymentMethodParams,
  createPaymentMethodParams,
  listCustomerPaymentMethodParams,
  listPaymentMethodParams,
  updatePaymentMethodParams,
} from '../../billing/payment-methods/params.ts';
import {
  attachPaymentMethod,
  createPaymentMethod,
  detachPaymentMethod,
  listCustomerPaymentMethods,
  listPaymentMethods,
  retrieveCustomerPaymentMethod,
  retrievePaymentMethod,
  updatePaymentMethod,
} from '../../billing/payment-methods/service.ts';
import { loadPaymentMethod } from '../../billing/payment-methods/store.ts';
import { expandOnly } from '../../core/params.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const paymentMethodExpansions: ExpansionSpec = {
  expandable: { payment_method: ['customer'] },
  loaders: { pm: async (ctx, id) => (await loadPaymentMethod(ctx, id))?.object },
};

export const paymentMethodRoutes = resourceRoutes('payment_methods', [
  route({
    method: 'POST',
    path: '/v1/payment_methods',
    params: createPaymentMethodParams,
    handler: createPaymentMethod,
  }),
  route({
    method: 'GET',
    path: '/v1/payment_methods',
    params: listPaymentMethodParams,
    handler: listPaymentMethods,
  }),
  route({
    method: 'GET',
    path: '/v1/payment_methods/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrievePaymentMethod(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/payment_methods/:id',
    params: updatePaymentMethodParams,
    handler: (ctx, params, path) => updatePaymentMethod(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/payment_methods/:id/attach',
    params: attachPaymentMethodParams,
    handler: (ctx, params, path) => attachPaymentMethod(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/payment_methods/:id/detach',
    params: expandOnly,
    handler: (ctx, _params, path) => detachPaymentMethod(ctx, path.id!),
  }),
  route({
    method: 'GET',
    path: '/v1/customers/:id/payment_methods',
    params: listCustomerPaymentMethodParams,
    handler: (ctx, params, path) => listCustomerPaymentMethods(ctx, path.id!, params),
  }),
  route({
    method: 'GET',
    path: '/v1/customers/:id/payment_methods/:payment_method',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveCustomerPaymentMethod(ctx, path.id!, path.payment_method!),
  }),
]);
