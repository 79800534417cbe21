import type Stripe from 'stripe';
import { cashBalance, embeddedSources, invoiceCreditBalance } from '../../billing/customers/embedded.ts';
import {
  createCustomerParams,
  listCustomerParams,
  searchCustomerParams,
  updateCustomerParams,
} from '../../billing/customers/params.ts';
import {
  createCustomer,
  deleteCustomer,
  listCustomers,
  retrieveCustomer,
  searchCustomers,
  updateCustomer,
} from '../../billing/customers/service.ts';
import { loadCustomerTax } from '../../billing/customers/tax.ts';
import { expandOnly, noParams } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const customerExpansions: ExpansionSpec = {
  expandable: { customer: ['default_source', 'invoice_settings.default_payment_method', 'test_clock'] },
  loaders: { cus: (ctx, id) => findObject(ctx.db, 'customers', ctx.scope, id) },
  computed: {
    customer: {
      tax: (ctx, customer) => loadCustomerTax(ctx, customer as unknown as Stripe.Customer),
      sources: async (_ctx, customer) => embeddedSources(customer as unknown as Stripe.Customer),
      cash_balance: async (ctx, customer) => cashBalance(ctx, customer as unknown as Stripe.Customer),
      invoice_credit_balance: (ctx, customer) =>
        invoiceCreditBalance(ctx, customer as unknown as Stripe.Customer),
    },
  },
};

export const customerRoutes = resourceRoutes('customers', [
  route({ method: 'POST', path: '/v1/customers', params: createCustomerParams, handler: createCustomer }),
  route({
    method: 'GET',
    path: '/v1/customers',
    params: listCustomerParams,
    handler: listCustomers,
  }),
  route({
    method: 'GET',
    path: '/v1/customers/search',
    params: searchCustomerParams,
    handler: searchCustomers,
  }),
  route({
    method: 'GET',
    path: '/v1/customers/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveCustomer(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/customers/:id',
    params: updateCustomerParams,
    handler: (ctx, params, path) => updateCustomer(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/customers/:id',
    params: noParams,
    handler: (ctx, _params, path) => deleteCustomer(ctx, path.id!),
  }),
]);
