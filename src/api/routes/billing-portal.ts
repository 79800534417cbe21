import {
  createConfigurationParams,
  listConfigurationParams,
  updateConfigurationParams,
} from '../../billing/portal/configurations/params.ts';
import {
  createConfiguration,
  expandFeedbackOptions,
  FEEDBACK_OPTIONS_PATH,
  listConfigurations,
  makeDefaultConfiguration,
  requireConfiguration,
  updateConfiguration,
} from '../../billing/portal/configurations/service.ts';
import { createSessionParams } from '../../billing/portal/sessions/params.ts';
import { createSession } from '../../billing/portal/sessions/service.ts';
import { expandOnly } from '../../core/params.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const billingPortalExpansions: ExpansionSpec = {
  expandable: {
    'billing_portal.session': ['configuration'],
    'billing_portal.configuration': ['application'],
  },
  loaders: { bpc: (ctx, id) => requireConfiguration(ctx, id).catch(() => undefined) },
  // The feedback options sit in a list, which the generic expansion does not walk: the handlers
  // below expand them, and the path is declared so that asking for it is accepted.
  included: { 'billing_portal.configuration': [FEEDBACK_OPTIONS_PATH] },
};

export const billingPortalRoutes = resourceRoutes('billing_portal', [
  route({
    method: 'POST',
    path: '/v1/billing_portal/configurations',
    params: createConfigurationParams,
    handler: async (ctx, params) =>
      expandFeedbackOptions(ctx, await createConfiguration(ctx, params), params.expand),
  }),
  route({
    method: 'GET',
    path: '/v1/billing_portal/configurations',
    params: listConfigurationParams,
    handler: listConfigurations,
  }),
  route({
    method: 'GET',
    path: '/v1/billing_portal/configurations/:id',
    params: expandOnly,
    handler: async (ctx, params, path) =>
      expandFeedbackOptions(ctx, await requireConfiguration(ctx, path.id!), params.expand),
  }),
  route({
    method: 'POST',
    path: '/v1/billing_portal/configurations/:id',
    params: updateConfigurationParams,
    handler: async (ctx, params, path) =>
      expandFeedbackOptions(ctx, await updateConfiguration(ctx, path.id!, params), params.expand),
  }),
  // Portico's own: the API has no way to choose the default configuration.
  route({
    method: 'POST',
    path: '/v1/portico/billing_portal/configurations/:id/make_default',
    params: expandOnly,
    handler: async (ctx, params, path) =>
      expandFeedbackOptions(ctx, await makeDefaultConfiguration(ctx, path.id!), params.expand),
  }),
  route({
    method: 'POST',
    path: '/v1/billing_portal/sessions',
    params: createSessionParams,
    handler: createSession,
  }),
]);
