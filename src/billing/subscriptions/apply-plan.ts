import type Stripe from 'stripe';
import { planOf } from '../prices/plan-view.ts';
import { newItem, setPeriod } from './items.ts';
import type { ChangePlan, PlannedItem } from './plan.ts';

/**
 * The subscription as a planned change leaves it: a new object (the one given is left as it was,
 * for the event's `previous_attributes` and a pending update), with the plan's items, trial and
 * cycle. Writes nothing: an update stores it, a preview only shows it.
 */
export function subscriptionAfter(
  before: Stripe.Subscription,
  plan: ChangePlan,
  now: number,
): Stripe.Subscription {
  const sub = structuredClone(before);
  sub.items.data = plan.items.map((planned) => itemAfter(sub.id, planned, plan.cycle.period, now));
  if (plan.trial.action === 'until') {
    sub.status = 'trialing';
    sub.trial_end = plan.trial.end;
    sub.trial_start = sub.trial_start ?? now;
  } else if (plan.trial.action === 'end_now') {
    sub.status = 'active';
    sub.trial_end = now;
  }
  sub.billing_cycle_anchor = plan.cycle.anchor;
  setPeriod(sub, plan.cycle.period);
  return sub;
}

function itemAfter(
  subscription: string,
  planned: PlannedItem,
  period: { start: number; end: number },
  now: number,
): Stripe.SubscriptionItem {
  if (!planned.before) {
    const { id, price, quantity, metadata } = planned;
    const item = newItem({
      id,
      subscription,
      price,
      quantity,
      metadata,
      created: now,
      period,
      discounts: [],
    });
    item.discounts = planned.discounts;
    item.tax_rates = planned.tax_rates;
    return item;
  }
  const item = structuredClone(planned.before);
  // A price the change named replaces the item's (freshly loaded even when it is the same one).
  if (planned.price !== planned.before.price) {
    item.price = planned.price;
    item.plan = planOf(planned.price);
  }
  item.quantity = planned.quantity;
  item.metadata = planned.metadata;
  item.discounts = planned.discounts;
  item.tax_rates = planned.tax_rates;
  return item;
}
