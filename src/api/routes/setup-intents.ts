import {
  cancelSetupIntentParams,
  completeAuthenticationParams,
  confirmSetupIntentParams,
  createSetupIntentParams,
  listSetupIntentParams,
  retrieveSetupIntentParams,
  updateSetupIntentParams,
} from '../../billing/setup-intents/params.ts';
import {
  cancelSetupIntent,
  completeAuthentication,
  confirmSetupIntent,
  createSetupIntent,
  listSetupIntents,
  retrieveSetupIntent,
  updateSetupIntent,
} from '../../billing/setup-intents/service.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const setupIntentExpansions: ExpansionSpec = {
  expandable: {
    setup_intent: [
      'application',
      'customer',
      'latest_attempt',
      'mandate',
      'on_behalf_of',
      'payment_method',
      'single_use_mandate',
    ],
  },
  loaders: { seti: (ctx, id) => findObject(ctx.db, 'setup_intents', ctx.scope, id) },
};

// Confirmations that the card refuses answer the error (402) after recording the failed attempt:
// the handlers return the error rather than throw it, so the transaction keeps the attempt.
export const setupIntentRoutes = resourceRoutes('setup_intents', [
  route({
    method: 'POST',
    path: '/v1/setup_intents',
    params: createSetupIntentParams,
    handler: createSetupIntent,
  }),
  route({
    method: 'GET',
    path: '/v1/setup_intents',
    params: listSetupIntentParams,
    handler: listSetupIntents,
  }),
  route({
    method: 'GET',
    path: '/v1/setup_intents/:id',
    params: retrieveSetupIntentParams,
    publishable: 'setup_intents',
    handler: (ctx, params, path) => retrieveSetupIntent(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/setup_intents/:id',
    params: updateSetupIntentParams,
    handler: (ctx, params, path) => updateSetupIntent(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/setup_intents/:id/confirm',
    params: confirmSetupIntentParams,
    publishable: 'setup_intents',
    handler: (ctx, params, path) => confirmSetupIntent(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/setup_intents/:id/cancel',
    params: cancelSetupIntentParams,
    handler: (ctx, params, path) => cancelSetupIntent(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/test_helpers/setup_intents/:id/complete_authentication',
    params: completeAuthenticationParams,
    handler: (ctx, params, path) => completeAuthentication(ctx, path.id!, params),
  }),
]);
