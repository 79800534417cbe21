import { expandOnly, noParams } from '../../core/params.ts';
import { listDeliveries, listDeliveryParams } from '../../webhooks/deliveries.ts';
import {
  createEndpoint,
  deleteEndpoint,
  listEndpoints,
  requireEndpoint,
  updateEndpoint,
} from '../../webhooks/endpoints.ts';
import { createEndpointParams, listEndpointParams, updateEndpointParams } from '../../webhooks/params.ts';
import { resourceRoutes, route } from '../route.ts';

export const webhookEndpointRoutes = resourceRoutes('webhook_endpoints', [
  route({
    method: 'POST',
    path: '/v1/webhook_endpoints',
    params: createEndpointParams,
    handler: createEndpoint,
  }),
  route({ method: 'GET', path: '/v1/webhook_endpoints', params: listEndpointParams, handler: listEndpoints }),
  route({
    method: 'GET',
    path: '/v1/webhook_endpoints/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireEndpoint(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/webhook_endpoints/:id',
    params: updateEndpointParams,
    handler: (ctx, params, path) => updateEndpoint(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/webhook_endpoints/:id',
    params: noParams,
    handler: (ctx, _params, path) => deleteEndpoint(ctx, path.id!),
  }),
]);

/** Not Stripe's: what happened to an event's deliveries. */
export const deliveryRoutes = resourceRoutes('events', [
  route({
    method: 'GET',
    path: '/v1/portico/webhook_deliveries',
    params: listDeliveryParams,
    handler: listDeliveries,
  }),
]);
