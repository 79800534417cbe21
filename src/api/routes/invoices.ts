import { createInvoice } from '../../billing/invoices/create.ts';
import {
  createInvoiceParams,
  finalizeInvoiceParams,
  listChargeParams,
  listInvoiceParams,
  listInvoicePaymentParams,
  listLinesParams,
  listPaymentIntentParams,
  payInvoiceParams,
  previewInvoiceParams,
  searchInvoiceParams,
  updateInvoiceParams,
} from '../../billing/invoices/params.ts';
import {
  listCharges,
  listInvoicePayments,
  listPaymentIntents,
  retrieveInvoicePayment,
} from '../../billing/invoices/payments.ts';
import { previewInvoice } from '../../billing/invoices/preview.ts';
import {
  finalizeDraft,
  listInvoices,
  listLines,
  markOpenUncollectible,
  payInvoice,
  searchInvoices,
  voidOpenInvoice,
} from '../../billing/invoices/service.ts';
import { requireInvoice } from '../../billing/invoices/store.ts';
import { deleteInvoice, sendInvoice, updateInvoice } from '../../billing/invoices/update.ts';
import { errors } from '../../core/errors.ts';
import { expandOnly, noParams } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const invoiceExpansions: ExpansionSpec = {
  expandable: {
    invoice: [
      'customer',
      'default_payment_method',
      'discounts',
      'parent.subscription_details.subscription',
      'test_clock',
    ],
    invoice_payment: ['invoice', 'payment.payment_intent'],
    line_item: ['discounts', 'subscription', 'pricing.price_details.price'],
    payment_intent: ['customer', 'latest_charge', 'payment_method'],
    charge: ['customer', 'payment_intent'],
  },
  loaders: {
    in: (ctx, id) => findObject(ctx.db, 'invoices', ctx.scope, id),
    pi: (ctx, id) => findObject(ctx.db, 'payment_intents', ctx.scope, id),
    ch: (ctx, id) => findObject(ctx.db, 'charges', ctx.scope, id),
  },
};

export const invoiceRoutes = resourceRoutes('invoices', [
  route({ method: 'POST', path: '/v1/invoices', params: createInvoiceParams, handler: createInvoice }),
  route({
    method: 'POST',
    path: '/v1/invoices/create_preview',
    params: previewInvoiceParams,
    handler: previewInvoice,
  }),
  route({ method: 'GET', path: '/v1/invoices', params: listInvoiceParams, handler: listInvoices }),
  route({ method: 'GET', path: '/v1/invoices/search', params: searchInvoiceParams, handler: searchInvoices }),
  route({
    method: 'GET',
    path: '/v1/invoices/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => requireInvoice(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/invoices/:id',
    params: updateInvoiceParams,
    handler: (ctx, params, path) => updateInvoice(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/invoices/:id',
    params: noParams,
    handler: (ctx, _params, path) => deleteInvoice(ctx, path.id!),
  }),
  route({
    method: 'GET',
    path: '/v1/invoices/:id/lines',
    params: listLinesParams,
    handler: (ctx, params, path) => listLines(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/invoices/:id/finalize',
    params: finalizeInvoiceParams,
    handler: (ctx, params, path) => finalizeDraft(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/invoices/:id/pay',
    params: payInvoiceParams,
    handler: (ctx, params, path) => payInvoice(ctx, path.id!, params),
  }),
  route({
    method: 'POST',
    path: '/v1/invoices/:id/send',
    params: expandOnly,
    handler: (ctx, _params, path) => sendInvoice(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/invoices/:id/void',
    params: expandOnly,
    handler: (ctx, _params, path) => voidOpenInvoice(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/invoices/:id/mark_uncollectible',
    params: expandOnly,
    handler: (ctx, _params, path) => markOpenUncollectible(ctx, path.id!),
  }),
  // Invoice payments are part of their invoices: the same permission reads them.
  route({
    method: 'GET',
    path: '/v1/invoice_payments',
    params: listInvoicePaymentParams,
    handler: listInvoicePayments,
  }),
  route({
    method: 'GET',
    path: '/v1/invoice_payments/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveInvoicePayment(ctx, path.id!),
  }),
]);

export const paymentIntentRoutes = resourceRoutes('payment_intents', [
  route({
    method: 'GET',
    path: '/v1/payment_intents',
    params: listPaymentIntentParams,
    handler: listPaymentIntents,
  }),
  route({
    method: 'GET',
    path: '/v1/payment_intents/:id',
    params: expandOnly,
    handler: async (ctx, _params, path) => {
      const found = await findObject<object>(ctx.db, 'payment_intents', ctx.scope, path.id!);
      if (!found) throw errors.noSuchPath('payment_intent', path.id!);
      return found;
    },
  }),
]);

export const chargeRoutes = resourceRoutes('charges', [
  route({ method: 'GET', path: '/v1/charges', params: listChargeParams, handler: listCharges }),
  route({
    method: 'GET',
    path: '/v1/charges/:id',
    params: expandOnly,
    handler: async (ctx, _params, path) => {
      const found = await findObject<object>(ctx.db, 'charges', ctx.scope, path.id!);
      if (!found) throw errors.noSuchPath('charge', path.id!);
      return found;
    },
  }),
]);
