import { expandOnly } from '../../core/params.ts';
import { listEventParams, listEvents, retrieveEvent } from '../../events/service.ts';
import { resourceRoutes, route } from '../route.ts';

export const eventRoutes = resourceRoutes('events', [
  route({
    method: 'GET',
    path: '/v1/events',
    params: listEventParams,
    handler: listEvents,
  }),
  route({
    method: 'GET',
    path: '/v1/events/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveEvent(ctx, path.id!),
  }),
]);
