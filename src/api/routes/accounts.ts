import { createAccountParams, listAccountParams, updateAccountParams } from '../../accounts/params.ts';
import {
  createConnectedAccount,
  currentAccount,
  deleteAccount,
  listAccounts,
  retrieveAccount,
  updateAccount,
} from '../../accounts/service.ts';
import { expandOnly, noParams } from '../../core/params.ts';
import { resourceRoutes, route } from '../route.ts';

export const accountRoutes = resourceRoutes('accounts', [
  route({ method: 'GET', path: '/v1/account', params: expandOnly, handler: (ctx) => currentAccount(ctx) }),
  route({
    method: 'POST',
    path: '/v1/accounts',
    params: createAccountParams,
    handler: createConnectedAccount,
  }),
  route({
    method: 'GET',
    path: '/v1/accounts',
    params: listAccountParams,
    handler: listAccounts,
  }),
  route({
    method: 'GET',
    path: '/v1/accounts/:id',
    params: expandOnly,
    handler: (ctx, _params, path) => retrieveAccount(ctx, path.id!),
  }),
  route({
    method: 'POST',
    path: '/v1/accounts/:id',
    params: updateAccountParams,
    handler: (ctx, params, path) => updateAccount(ctx, path.id!, params),
  }),
  route({
    method: 'DELETE',
    path: '/v1/accounts/:id',
    params: noParams,
    handler: (ctx, _params, path) => deleteAccount(ctx, path.id!),
  }),
]);
