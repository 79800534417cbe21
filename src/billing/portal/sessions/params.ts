import { type Infer, p } from '../../../core/params.ts';
import { PORTAL_LOCALES } from './locales.ts';

export const FLOW_TYPES = [
  'customer_update',
  'payment_method_update',
  'subscription_cancel',
  'subscription_pause',
  'subscription_update',
  'subscription_update_confirm',
] as const;
export type FlowType = (typeof FLOW_TYPES)[number];

const required = p.required;
const subscription = () => required(p.string());

const afterCompletion = p.object({
  hosted_confirmation: p.object({ custom_message: p.string({ max: 500 }) }),
  redirect: p.object({ return_url: required(p.string()) }),
  type: required(p.enumOf(['hosted_confirmation', 'portal_homepage', 'redirect'])),
});

const flowData = p.object({
  after_completion: afterCompletion,
  subscription_cancel: p.object({
    retention: p.object({
      coupon_offer: required(p.object({ coupon: required(p.string()) })),
      type: required(p.enumOf(['coupon_offer'])),
    }),
    subscription: subscription(),
  }),
  subscription_pause: p.object({ subscription: subscription() }),
  subscription_update: p.object({ subscription: subscription() }),
  subscription_update_confirm: p.object({
    discounts: p.array(p.object({ coupon: p.string(), promotion_code: p.string() })),
    items: required(
      p.array(
        p.object({
          id: required(p.string()),
          price: p.string(),
          quantity: p.quantity(),
        }),
      ),
    ),
    subscription: subscription(),
  }),
  type: required(p.enumOf(FLOW_TYPES)),
});

export const createSessionParams = p.object({
  after_expiration: p.object({
    customer_login: p.object({ expires_at: p.integer({ min: 0 }) }),
    type: required(p.enumOf(['customer_login'])),
  }),
  configuration: p.string(),
  customer: p.string(),
  customer_account: p.string(),
  expand: p.array(p.string()),
  flow_data: flowData,
  locale: p.enumOf(PORTAL_LOCALES),
  on_behalf_of: p.string(),
  return_url: p.string(),
});

export type CreateSessionParams = Infer<typeof createSessionParams>;
export type FlowDataParams = Infer<typeof flowData>;
