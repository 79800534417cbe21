import {
  createInvoiceItemParams,
  listInvoiceItemParams,
  updateInvoiceItemParams,
} from '../../billing/invoice-items/params.ts';
import {
  createInvoiceItem,
  deleteInvoiceItem,
  listInvoiceItems,
  retrieveInvoiceItem,
  updateInvoiceItem,
} from '../../billing/invoice-items/service.ts';
import { expandOnly, noParams } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const invoiceItemExpansions: ExpansionSpec = {
  expandable: { invoiceitem: ['customer', 'invoice', 'pricing.price_details.price', 'test_clock'] },
  loaders: { ii: (ctx, id) => findObject(ctx.db, 'invoice_items', ctx.scope, id) },
};

export const invoiceItemRoutes = resourceRoutes('invoice_items', [
  route({
    method: 'POST',
    path: '/v1/invoiceitems',
    params: createInvoiceItemParams,
    handler: createInvoiceItem,
  }),
  route({
    method: 'GET',
    path: '/v1/invoiceitems',
    params: listInvoiceItemParams,
    handler: listInvoiceItems,
  }),
  route({
    method: 'GET',
    path: '/v1/invoiceitems/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveInvoiceItem(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/invoiceitems/:id',
    params: updateInvoiceItemParams,
    handler: (ctx, params, path) => updateInvoiceItem(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/invoiceitems/:id',
    params: noParams,
    handler: (ctx, _params, path) => deleteInvoiceItem(ctx, path.id!),
  }),
]);
