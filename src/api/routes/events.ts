import { expandOnly } from '../../core/params.ts';
import { listEventParams, listEvents, retrieveEvent } from '../../events/service.ts';
import { route } from '../route.ts';

export const eventRoutes = [
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
];
