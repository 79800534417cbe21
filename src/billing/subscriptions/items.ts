import type Stripe from 'stripe';
import { newId } from '../../core/ids.ts';
import { planOf } from '../prices/plan-view.ts';

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
