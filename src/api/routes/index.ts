import type { Route } from '../route.ts';
import { accountRoutes } from './accounts.ts';
import { billingPortalRoutes } from './billing-portal.ts';
import { couponRoutes } from './coupons.ts';
import { customerRoutes } from './customers.ts';
import { eventRoutes } from './events.ts';
import { feedbackOptionRoutes } from './feedback-options.ts';
import { fileLinkRoutes, fileRoutes } from './files.ts';
import { invoiceItemRoutes } from './invoice-items.ts';
import { chargeRoutes, invoiceRoutes, paymentIntentRoutes } from './invoices.ts';
import { paymentMethodRoutes } from './payment-methods.ts';
import { priceRoutes } from './prices.ts';
import { productRoutes } from './products.ts';
import { promotionCodeRoutes } from './promotion-codes.ts';
import { setupIntentRoutes } from './setup-intents.ts';
import { subscriptionScheduleRoutes } from './subscription-schedules.ts';
import { subscriptionRoutes } from './subscriptions.ts';
import { customerTaxIdRoutes, taxIdRoutes } from './tax-ids.ts';
import { testClockRoutes } from './test-clocks.ts';
import { deliveryRoutes, webhookEndpointRoutes } from './webhooks.ts';

/** Every API endpoint. */
export const routes: Route[] = [
  ...accountRoutes,
  ...customerRoutes,
  ...productRoutes,
  ...priceRoutes,
  ...subscriptionRoutes,
  ...subscriptionScheduleRoutes,
  ...invoiceRoutes,
  ...invoiceItemRoutes,
  ...paymentIntentRoutes,
  ...chargeRoutes,
  ...couponRoutes,
  ...promotionCodeRoutes,
  ...eventRoutes,
  ...testClockRoutes,
  ...paymentMethodRoutes,
  ...setupIntentRoutes,
  ...taxIdRoutes,
  ...customerTaxIdRoutes,
  ...fileRoutes,
  ...fileLinkRoutes,
  ...webhookEndpointRoutes,
  ...deliveryRoutes,
  ...billingPortalRoutes,
  ...feedbackOptionRoutes,
];
