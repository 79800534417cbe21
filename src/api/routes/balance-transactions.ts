import {
  createBalanceTransactionParams,
  listBalanceTransactionParams,
  updateBalanceTransactionParams,
} from '../../billing/balance-transactions/params.ts';
import {
  createBalanceTransaction,
  listBalanceTransactions,
  retrieveBalanceTransaction,
  updateBalanceTransaction,
} from '../../billing/balance-transactions/service.ts';
import { expandOnly } from '../../core/params.ts';
import { findObject } from '../../store/objects.ts';
import type { ExpansionSpec } from '../expand.ts';
import { resourceRoutes, route } from '../route.ts';

export const balanceTransactionExpansions: ExpansionSpec = {
  expandable: { customer_balance_transaction: ['credit_note', 'customer', 'invoice'] },
  loaders: { cbtxn: (ctx, id) => findObject(ctx.db, 'customer_balance_transactions', ctx.scope, id) },
};

/** A customer's balance transactions live under the customer: a restricted key needs `customers`. */
export const balanceTransactionRoutes = resourceRoutes('customers', [
  route({
    method: 'POST',
    path: '/v1/customers/:id/balance_transactions',
    params: createBalanceTransactionParams,
    handler: (ctx, params, path) => createBalanceTransaction(ctx, path.id!, params),
  }),
  route({
    method: 'GET',
    path: '/v1/customers/:id/balance_transactions',
    params: listBalanceTransactionParams,
    handler: (ctx, params, path) => listBalanceTransactions(ctx, path.id!, params),
  }),
  route({
    method: 'GET',
    path: '/v1/customers/:id/balance_transactions/:transaction',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveBalanceTransaction(ctx, path.id!, path.transaction!),
  }),
  route({
    method: 'POST',
    path: '/v1/customers/:id/balance_transactions/:transaction',
    params: updateBalanceTransactionParams,
    handler: (ctx, params, path) => updateBalanceTransaction(ctx, path.id!, path.transaction!, params),
  }),
]);
