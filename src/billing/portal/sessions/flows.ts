import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { errors, fail } from '../../../core/errors.ts';
import { checkUrl } from '../urls.ts';
import { checkConfirmItem, checkConfirmRequest, currentOffering } from './confirm.ts';
import { requireValidCoupon } from './discounts.ts';
import type { FlowDataParams, FlowType } from './params.ts';
import { type FlowAction, requireFlowSubscription } from './subscriptions.ts';

type Flow = Stripe.BillingPortal.Session.Flow;
type AfterCompletion = Stripe.BillingPortal.Session.Flow.AfterCompletion;
type Configuration = Stripe.BillingPortal.Configuration;
type Features = Configuration['features'];

/** Who the session is for: a flow's subscription must be theirs. */
export interface FlowOwner {
  customer: string;
  onBehalfOf: string | null;
}

const FD = 'flow_data';
const WITH_OBJECT = [
  'subscription_cancel',
  'subscription_pause',
  'subscription_update',
  'subscription_update_confirm',
] as const;
type WithObject = (typeof WITH_OBJECT)[number];

/** The configuration feature each flow needs. */
const FEATURE: Record<FlowType, keyof Features> = {
  customer_update: 'customer_update',
  payment_method_update: 'payment_method_update',
  subscription_cancel: 'subscription_cancel',
  subscription_pause: 'subscription_pause',
  subscription_update: 'subscription_update',
  subscription_update_confirm: 'subscription_update',
};

/**
 * `flow_data[after_completion]`, its sub-object matching its type. Without it, the customer sees
 * a confirmation page without a custom message.
 */
export function afterCompletion(sent: FlowDataParams['after_completion']): AfterCompletion {
  if (!sent)
    return { hosted_confirmation: { custom_message: null }, redirect: null, type: 'hosted_confirmation' };
  const path = `${FD}[after_completion]`;
  for (const key of ['hosted_confirmation', 'redirect'] as const) {
    if (sent[key] !== undefined && sent.type !== key) {
      throw fail('portal_flow_field_type_mismatch', { base: path, key }, `${path}[${key}]`);
    }
  }
  if (sent.type === 'redirect') {
    if (!sent.redirect) throw errors.parameterMissing(`${path}[redirect]`);
    checkUrl(sent.redirect.return_url, `${path}[redirect][return_url]`);
    return {
      hosted_confirmation: null,
      redirect: { return_url: sent.redirect.return_url },
      type: 'redirect',
    };
  }
  if (sent.type === 'hosted_confirmation') {
    return {
      hosted_confirmation: { custom_message: sent.hosted_confirmation?.custom_message ?? null },
      redirect: null,
      type: 'hosted_confirmation',
    };
  }
  return { hosted_confirmation: null, redirect: null, type: 'portal_homepage' };
}

/** The sub-object named by the type is required; one for another type is a mistake. */
function checkSubObjects(data: FlowDataParams): void {
  const type = data.type;
  if ((WITH_OBJECT as readonly string[]).includes(type) && data[type as WithObject] === undefined) {
    throw errors.parameterMissing(`${FD}[${type}]`);
  }
  for (const key of WITH_OBJECT) {
    if (key !== type && data[key] !== undefined) {
      throw fail('portal_flow_field_not_for_type', { base: FD, key, type }, `${FD}[${key}]`);
    }
  }
}

function checkFeature(data: FlowDataParams, config: Configuration): void {
  const feature = FEATURE[data.type];
  if (!config.features[feature].enabled) {
    throw fail(
      'portal_flow_feature_disabled',
      { configuration: config.id, feature, type: data.type },
      `${FD}[type]`,
    );
  }
}

const ACTION: Record<WithObject, FlowAction> = {
  subscription_cancel: 'cancel',
  subscription_pause: 'pause',
  subscription_update: 'update',
  subscription_update_confirm: 'update',
};

/**
 * Checks `flow_data` against the configuration and the customer, in this order: the sub-object of
 * the type, the feature it needs, what it names that does not depend on the subscription (prices,
 * coupons, promotion codes), then the subscription and the change to it. Returns the session's
 * `flow`, in which only the sub-object of the type is set.
 */
export async function buildFlow(
  ctx: Ctx,
  data: FlowDataParams,
  completion: AfterCompletion,
  config: Configuration,
  owner: FlowOwner,
): Promise<Flow> {
  checkSubObjects(data);
  checkFeature(data, config);
  const flow: Flow = {
    after_completion: completion,
    customer_update: data.type === 'customer_update' ? {} : null,
    subscription_cancel: null,
    subscription_pause: null,
    subscription_update: null,
    subscription_update_confirm: null,
    type: data.type,
  };
  if (data.type === 'customer_update' || data.type === 'payment_method_update') return flow;
  const type = data.type;
  const param = `${FD}[${type}][subscription]`;
  const id = data[type]!.subscription;
  const cancel = data.subscription_cancel;
  const confirm = data.subscription_update_confirm;
  const coupon = cancel?.retention?.coupon_offer.coupon;
  if (coupon !== undefined) {
    await requireValidCoupon(ctx, coupon, `${FD}[subscription_cancel][retention][coupon_offer][coupon]`);
  }
  if (confirm) await checkConfirmRequest(ctx, confirm, config, owner.customer);
  const subscription = await requireFlowSubscription(ctx, id, param, ACTION[type], owner);
  if (type === 'subscription_update') currentOffering(config, subscription, param);
  if (confirm) await checkConfirmItem(ctx, confirm, config, subscription);

  if (cancel) {
    flow.subscription_cancel = {
      retention: coupon === undefined ? null : { coupon_offer: { coupon }, type: 'coupon_offer' },
      subscription: id,
    };
  }
  if (type === 'subscription_pause') flow.subscription_pause = { subscription: id };
  if (type === 'subscription_update') flow.subscription_update = { subscription: id };
  if (confirm) {
    flow.subscription_update_confirm = {
      discounts:
        confirm.discounts?.map((d) => ({
          coupon: d.coupon ?? null,
          promotion_code: d.promotion_code ?? null,
        })) ?? null,
      items: confirm.items.map((i) => ({
        id: i.id,
        price: i.price ?? null,
        ...(i.quantity !== undefined ? { quantity: i.quantity } : {}),
      })),
      subscription: id,
    };
  }
  return flow;
}
