import { createSchedule } from '../../billing/subscription-schedules/create.ts';
import {
  cancelScheduleParams,
  createScheduleParams,
  listScheduleParams,
  releaseScheduleParams,
  updateScheduleParams,
} from '../../billing/subscription-schedules/params.ts';
import {
  cancelSchedule,
  listSchedules,
  releaseSchedule,
} from '../../billing/subscription-schedules/service.ts';
import { findSchedule, requireSchedule } from '../../billing/subscription-schedules/store.ts';
import { updateSchedule } from '../../billing/subscription-schedules/update.ts';
import { expandOnly } from '../../core/params.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const subscriptionScheduleExpansions: ExpansionSpec = {
  expandable: {
    subscription_schedule: [
      'customer',
      'subscription',
      'test_clock',
      'default_settings.default_payment_method',
    ],
    subscription: ['schedule'],
  },
  loaders: { sub_sched: findSchedule },
};

export const subscriptionScheduleRoutes = resourceRoutes('subscription_schedules', [
  route({
    method: 'POST',
    path: '/v1/subscription_schedules',
    params: createScheduleParams,
    handler: (ctx, params) => createSchedule(ctx, params),
  }),
  route({
    method: 'GET',
    path: '/v1/subscription_schedules',
    params: listScheduleParams,
    handler: listSchedules,
  }),
  route({
    method: 'GET',
    path: '/v1/subscription_schedules/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireSchedule(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/subscription_schedules/:id',
    params: updateScheduleParams,
    handler: (ctx, params, path) => updateSchedule(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/subscription_schedules/:id/cancel',
    params: cancelScheduleParams,
    handler: (ctx, params, path) => cancelSchedule(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/subscription_schedules/:id/release',
    params: releaseScheduleParams,
    handler: (ctx, params, path) => releaseSchedule(ctx, path.id!, params),
  }),
]);
