import {
  createFeedbackOptionParams,
  listFeedbackOptionParams,
  updateFeedbackOptionParams,
} from '../../billing/portal/feedback-options/params.ts';
import {
  createFeedbackOption,
  deactivateFeedbackOption,
  FEEDBACK_OPTION_PREFIX,
  listFeedbackOptions,
  requireFeedbackOption,
  updateFeedbackOption,
} from '../../billing/portal/feedback-options/service.ts';
import { expandOnly } from '../../core/params.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const feedbackOptionExpansions: ExpansionSpec = {
  // Subscriptions' `cancellation_details.feedback_option` expands through this loader.
  loaders: {
    [FEEDBACK_OPTION_PREFIX]: (ctx, id) => requireFeedbackOption(ctx, id).catch(() => undefined),
  },
};

export const feedbackOptionRoutes = resourceRoutes('feedback_options', [
  route({
    method: 'POST',
    path: '/v1/billing/feedback_options',
    params: createFeedbackOptionParams,
    handler: createFeedbackOption,
  }),
  route({
    method: 'GET',
    path: '/v1/billing/feedback_options',
    params: listFeedbackOptionParams,
    handler: listFeedbackOptions,
  }),
  route({
    method: 'GET',
    path: '/v1/billing/feedback_options/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireFeedbackOption(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/billing/feedback_options/:id',
    params: updateFeedbackOptionParams,
    handler: (ctx, params, path) => updateFeedbackOption(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/billing/feedback_options/:id/deactivate',
    params: expandOnly,
    handler: (ctx, _params, path) => deactivateFeedbackOption(ctx, path.id!),
  }),
]);
