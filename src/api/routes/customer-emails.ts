import {
  retrieveEmailSettings,
  updateEmailSettings,
  updateEmailSettingsParams,
} from '../../billing/customer-emails/settings.ts';
import { expandOnly } from '../../core/params.ts';
import { resourceRoutes, route } from '../route.ts';

/**
 * Portico's own: the account's customer email switches, which Stripe keeps in its Dashboard
 * settings and offers no API for. A restricted key needs the accounts permission.
 */
export const customerEmailRoutes = resourceRoutes('accounts', [
  route({
    method: 'GET',
    path: '/v1/portico/customer_emails',
    params: expandOnly,
    handler: (ctx) => retrieveEmailSettings(ctx),
  }),
  route({
    method: 'POST',
    path: '/v1/portico/customer_emails',
    params: updateEmailSettingsParams,
    handler: updateEmailSettings,
  }),
]);
