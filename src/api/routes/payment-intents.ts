import { completePaymentAuthentication } from '../../billing/payment-intents/authenticate.ts';
import { cancelPaymentIntent } from '../../billing/payment-intents/cancel.ts';
import { capturePaymentIntent } from '../../billing/payment-intents/capture.ts';
import { confirmPaymentIntent } from '../../billing/payment-intents/confirm.ts';
import { createPaymentIntent } from '../../billing/payment-intents/create.ts';
import {
  cancelPaymentIntentParams,
  capturePaymentIntentParams,
  completePaymentAuthenticationParams,
  confirmPaymentIntentParams,
  createPaymentIntentParams,
  listPaymentIntentParams,
  retrievePaymentIntentParams,
  searchPaymentIntentParams,
  updatePaymentIntentParams,
} from '../../billing/payment-intents/params.ts';
import {
  listPaymentIntents,
  retrievePaymentIntent,
  searchPaymentIntents,
} from '../../billing/payment-intents/query.ts';
import { updatePaymentIntent } from '../../billing/payment-intents/update.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const paymentIntentExpansions: ExpansionSpec = {
  expandable: {
    payment_intent: ['application', 'customer', 'latest_charge', 'on_behalf_of', 'payment_method', 'review'],
  },
  loaders: { pi: (ctx, id) => findObject(ctx.db, 'payment_intents', ctx.scope, id) },
};

// Confirmations that the card refuses answer the error (402) after recording the failed attempt:
// the handlers return the error rather than throw it, so the transaction keeps the attempt.
export const paymentIntentRoutes = resourceRoutes('payment_intents', [
  route({
    method: 'POST',
    path: '/v1/payment_intents',
    params: createPaymentIntentParams,
    handler: createPaymentIntent,
  }),
  route({
    method: 'GET',
    path: '/v1/payment_intents',
    params: listPaymentIntentParams,
    handler: listPaymentIntents,
  }),
  route({
    method: 'GET',
    path: '/v1/payment_intents/search',
    params: searchPaymentIntentParams,
    handler: searchPaymentIntents,
  }),
  route({
    method: 'GET',
    path: '/v1/payment_intents/:id',
    params: retrievePaymentIntentParams,
    publishable: 'payment_intents',
    handler: (ctx, params, path) => retrievePaymentIntent(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/payment_intents/:id',
    params: updatePaymentIntentParams,
    handler: (ctx, params, path) => updatePaymentIntent(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/payment_intents/:id/confirm',
    params: confirmPaymentIntentParams,
    publishable: 'payment_intents',
    handler: (ctx, params, path) => confirmPaymentIntent(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/payment_intents/:id/capture',
    params: capturePaymentIntentParams,
    handler: (ctx, params, path) => capturePaymentIntent(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/payment_intents/:id/cancel',
    params: cancelPaymentIntentParams,
    handler: (ctx, params, path) => cancelPaymentIntent(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/test_helpers/payment_intents/:id/complete_authentication',
    params: completePaymentAuthenticationParams,
    handler: (ctx, params, path) => completePaymentAuthentication(ctx, path.id!, params),
  }),
]);
