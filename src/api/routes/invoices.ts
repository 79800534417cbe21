import { createInvoice } from '../../billing/invoices/create.ts';
import {
  createInvoiceParams,
  finalizeInvoiceParams,
  listInvoiceParams,
  listInvoicePaymentParams,
  listLinesParams,
  payInvoiceParams,
  previewInvoiceParams,
  searchInvoiceParams,
  updateInvoiceParams,
} from '../../billing/invoices/params.ts';
import { listInvoicePayments, retrieveInvoicePayment } from '../../billing/invoices/payments.ts';
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
  },
  loaders: {
    in: (ctx, id) => findObject(ctx.db, 'invoices', ctx.scope, id),
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
