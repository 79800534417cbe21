import {
  createCustomerTaxIdParams,
  createTaxIdParams,
  listCustomerTaxIdParams,
  listTaxIdParams,
} from '../../billing/tax-ids/params.ts';
import {
  createCustomerTaxId,
  createTaxId,
  deleteCustomerTaxId,
  deleteTaxId,
  embeddedTaxIds,
  listCustomerTaxIds,
  listTaxIds,
  retrieveCustomerTaxId,
  retrieveTaxId,
} from '../../billing/tax-ids/service.ts';
import { expandOnly, noParams } from '../../core/params.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const taxIdExpansions: ExpansionSpec = {
  expandable: { tax_id: ['customer', 'owner.customer'] },
  computed: { customer: { tax_ids: (ctx, customer) => embeddedTaxIds(ctx, String(customer.id)) } },
};

/** `/v1/tax_ids`: tax IDs of the account itself, its connected accounts, or its customers. */
export const taxIdRoutes = resourceRoutes('tax_ids', [
  route({ method: 'POST', path: '/v1/tax_ids', params: createTaxIdParams, handler: createTaxId }),
  route({ method: 'GET', path: '/v1/tax_ids', params: listTaxIdParams, handler: listTaxIds }),
  route({
    method: 'GET',
    path: '/v1/tax_ids/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveTaxId(ctx, path.id!),
  }),
  route({
    method: 'DELETE',
    path: '/v1/tax_ids/:id',
    params: noParams,
    handler: (ctx, _params, path) => deleteTaxId(ctx, path.id!),
  }),
]);

/** A customer's tax IDs under the customer: a restricted key needs the `customers` permission. */
export const customerTaxIdRoutes = resourceRoutes('customers', [
  route({
    method: 'POST',
    path: '/v1/customers/:id/tax_ids',
    params: createCustomerTaxIdParams,
    handler: (ctx, params, path) => createCustomerTaxId(ctx, path.id!, params),
  }),
  route({
    method: 'GET',
    path: '/v1/customers/:id/tax_ids',
    params: listCustomerTaxIdParams,
    handler: (ctx, params, path) => listCustomerTaxIds(ctx, path.id!, params),
  }),
  route({
    method: 'GET',
    path: '/v1/customers/:id/tax_ids/:tax_id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveCustomerTaxId(ctx, path.id!, path.tax_id!),
  }),
  route({
    method: 'DELETE',
    path: '/v1/customers/:id/tax_ids/:tax_id',
    params: noParams,
    handler: (ctx, _params, path) => deleteCustomerTaxId(ctx, path.id!, path.tax_id!),
  }),
]);
