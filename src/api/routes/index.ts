import { buildExpansions, type Expansions } from '../expand.ts';
import type { Route } from '../route.ts';
import { accountRoutes } from './accounts.ts';
import { balanceRoutes } from './balance.ts';
import { balanceTransactionExpansions, balanceTransactionRoutes } from './balance-transactions.ts';
import { billingPortalExpansions, billingPortalRoutes } from './billing-portal.ts';
import { chargeExpansions, chargeRoutes } from './charges.ts';
import { couponExpansions, couponRoutes } from './coupons.ts';
import { creditNoteExpansions, creditNoteRoutes } from './credit-notes.ts';
import { customerEmailRoutes } from './customer-emails.ts';
import { customerExpansions, customerRoutes } from './customers.ts';
import { eventRoutes } from './events.ts';
import { feedbackOptionExpansions, feedbackOptionRoutes } from './feedback-options.ts';
import { fileExpansions, fileLinkRoutes, fileRoutes } from './files.ts';
import { invoiceItemExpansions, invoiceItemRoutes } from './invoice-items.ts';
import { invoiceExpansions, invoiceRoutes } from './invoices.ts';
import { paymentIntentExpansions, paymentIntentRoutes } from './payment-intents.ts';
import { paymentMethodExpansions, paymentMethodRoutes } from './payment-methods.ts';
import { planExpansions, planRoutes } from './plans.ts';
import { priceExpansions, priceRoutes } from './prices.ts';
import { productExpansions, productRoutes } from './products.ts';
import { promotionCodeExpansions, promotionCodeRoutes } from './promotion-codes.ts';
import { refundExpansions, refundRoutes } from './refunds.ts';
import { setupIntentExpansions, setupIntentRoutes } from './setup-intents.ts';
import { subscriptionScheduleExpansions, subscriptionScheduleRoutes } from './subscription-schedules.ts';
import { subscriptionExpansions, subscriptionRoutes } from './subscriptions.ts';
import { customerTaxIdRoutes, taxIdExpansions, taxIdRoutes } from './tax-ids.ts';
import { taxRateExpansions, taxRateRoutes } from './tax-rates.ts';
import { testClockExpansions, testClockRoutes } from './test-clocks.ts';
import { deliveryRoutes, webhookEndpointRoutes } from './webhooks.ts';

/** Every API endpoint. */
export const routes: Route[] = [
  ...accountRoutes,
  ...customerEmailRoutes,
  ...balanceRoutes,
  ...customerRoutes,
  ...productRoutes,
  ...priceRoutes,
  ...planRoutes,
  ...subscriptionRoutes,
  ...subscriptionScheduleRoutes,
  ...invoiceRoutes,
  ...invoiceItemRoutes,
  ...creditNoteRoutes,
  ...balanceTransactionRoutes,
  ...paymentIntentRoutes,
  ...chargeRoutes,
  ...refundRoutes,
  ...couponRoutes,
  ...promotionCodeRoutes,
  ...eventRoutes,
  ...testClockRoutes,
  ...paymentMethodRoutes,
  ...setupIntentRoutes,
  ...taxIdRoutes,
  ...customerTaxIdRoutes,
  ...taxRateRoutes,
  ...fileRoutes,
  ...fileLinkRoutes,
  ...webhookEndpointRoutes,
  ...deliveryRoutes,
  ...billingPortalRoutes,
  ...feedbackOptionRoutes,
];

/** What `expand[]` can load and walk through, from every resource. */
export const expansions: Expansions = buildExpansions([
  customerExpansions,
  productExpansions,
  priceExpansions,
  planExpansions,
  subscriptionExpansions,
  subscriptionScheduleExpansions,
  invoiceExpansions,
  paymentIntentExpansions,
  chargeExpansions,
  refundExpansions,
  invoiceItemExpansions,
  creditNoteExpansions,
  balanceTransactionExpansions,
  couponExpansions,
  promotionCodeExpansions,
  testClockExpansions,
  paymentMethodExpansions,
  setupIntentExpansions,
  taxIdExpansions,
  taxRateExpansions,
  fileExpansions,
  billingPortalExpansions,
  feedbackOptionExpansions,
]);
