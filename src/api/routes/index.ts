import type { Route } from '../route.ts';
import { accountRoutes } from './accounts.ts';
import { couponRoutes } from './coupons.ts';
import { customerRoutes } from './customers.ts';
import { eventRoutes } from './events.ts';
import { priceRoutes } from './prices.ts';
import { productRoutes } from './products.ts';
import { promotionCodeRoutes } from './promotion-codes.ts';
import { testClockRoutes } from './test-clocks.ts';
import { deliveryRoutes, webhookEndpointRoutes } from './webhooks.ts';

/** Every API endpoint. */
export const routes: Route[] = [
  ...accountRoutes,
  ...customerRoutes,
  ...productRoutes,
  ...priceRoutes,
  ...couponRoutes,
  ...promotionCodeRoutes,
  ...eventRoutes,
  ...testClockRoutes,
  ...webhookEndpointRoutes,
  ...deliveryRoutes,
];
