import type Stripe from 'stripe';
import { newId } from '../../core/ids.ts';

/** The legacy `plan` Stripe still shows on each subscription item, derived from its price. */
export function planOf(price: Stripe.Price): Stripe.Plan {
  const recurring = price.recurring;
  return {
    id: price.id,
    object: 'plan',
    active: price.active,
    amount: price.unit_amount,
    amount_decimal: price.unit_amount_decimal,
    billing_scheme: price.billing_scheme,
    created: price.created,
    currency: price.currency,
    interval: recurring?.interval ?? 'month',
    interval_count: recurring?.interval_count ?? 1,
    livemode: price.livemode,
    metadata: price.metadata,
    meter: recurring?.meter ?? null,
    nickname: price.nickname,
    product: price.product,
    ...(price.tiers ? { tiers: price.tiers } : {}),
    tiers_mode: price.tiers_mode,
    transform_usage: price.transform_quantity,
    trial_period_days: recurring?.trial_period_days ?? null,
    usage_type: recurring?.usage_type ?? 'licensed',
  };
}

export function newItem(input: {
  /** Chosen beforehand when something must name the item before it is built (a planned change). */
  id?: string;
  subscription: string;
  price: Stripe.Price;
  quantity: number;
  metadata: Stripe.Metadata;
  created: number;
  period: { start: number; end: number };
  discounts: string[];
}): Stripe.SubscriptionItem {
  return {
    id: input.id ?? newId('si'),
    object: 'subscription_item',
    billing_thresholds: null,
    created: input.created,
    current_period_end: input.period.end,
    current_period_start: input.period.start,
    current_trial: null,
    discounts: input.discounts,
    metadata: input.metadata,
    plan: planOf(input.price),
    price: input.price,
    quantity: input.quantity,
    subscription: input.subscription,
    tax_rates: [],
  };
}

/** Every item moves to the same new period: Portico's subscriptions bill on one cycle. */
export function setPeriod(sub: Stripe.Subscription, period: { start: number; end: number }): void {
  for (const item of sub.items.data) {
    item.current_period_start = period.start;
    item.current_period_end = period.end;
  }
}
