import type Stripe from 'stripe';
import { mergeMetadata } from '../../core/metadata.ts';
import type { StartPlan } from './create-plan.ts';
import { newItem, setPeriod } from './items.ts';
import type { CreateSubscriptionParams } from './params.ts';
import { pendingIntervalOf } from './pending-interval.ts';

/** What a new subscription is made of, everything it names already loaded and checked. */
export interface NewSubscription {
  id: string;
  params: CreateSubscriptionParams;
  customer: Stripe.Customer;
  /** The price of each `items[]` entry, in order. */
  prices: Stripe.Price[];
  paymentMethod: string | null;
  plan: StartPlan;
  now: number;
  livemode: boolean;
  /** The subscription schedule that starts it, if any. */
  schedule: string | null;
}

/**
 * The new subscription object, in its first period: trialing with a trial, otherwise incomplete
 * until its first invoice is settled. Its discounts are redeemed after (they name its items).
 */
export function buildSubscription(input: NewSubscription): Stripe.Subscription {
  const { id, params, customer, plan, now } = input;
  const trial = plan.trialEnd;
  const sub: Stripe.Subscription = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: trial ?? plan.anchor,
    billing_cycle_anchor_config: anchorConfigOf(params),
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: params.cancel_at ?? null,
    cancel_at_period_end: params.cancel_at_period_end ?? false,
    canceled_at: params.cancel_at_period_end || params.cancel_at ? now : null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: params.collection_method ?? 'charge_automatically',
    created: now,
    currency: input.prices[0]!.currency,
    customer: customer.id,
    customer_account: null,
    days_until_due: params.days_until_due ?? null,
    default_payment_method: input.paymentMethod,
    default_source: null,
    description: params.description ?? null,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: {
      object: 'list',
      data: itemsOf(input),
      has_more: false,
      url: `/v1/subscription_items?subscription=${id}`,
    },
    latest_invoice: null,
    livemode: input.livemode,
    managed_payments: null,
    metadata: mergeMetadata({}, params.metadata),
    next_pending_invoice_item_invoice: null,
    on_behalf_of: params.on_behalf_of ?? null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval:
      params.pending_invoice_item_interval === undefined
        ? null
        : pendingIntervalOf(params.pending_invoice_item_interval),
    pending_setup_intent: null,
    pending_update: null,
    schedule: input.schedule,
    start_date: plan.start,
    status: trial !== null ? 'trialing' : 'incomplete',
    test_clock: customer.test_clock
      ? typeof customer.test_clock === 'string'
        ? customer.test_clock
        : customer.test_clock.id
      : null,
    transfer_data: null,
    trial_end: trial,
    trial_settings: {
      end_behavior: {
        billing_cycle_anchor: null,
        missing_payment_method:
          params.trial_settings?.end_behavior.missing_payment_method ?? 'create_invoice',
      },
    },
    trial_start: trial !== null ? now : null,
  };
  setPeriod(sub, plan.period);
  return sub;
}

function itemsOf({ id, params, prices, plan, now }: NewSubscription): Stripe.SubscriptionItem[] {
  return (params.items ?? []).map((entry, i) =>
    newItem({
      subscription: id,
      price: prices[i]!,
      quantity: entry.quantity ?? 1,
      metadata: mergeMetadata({}, entry.metadata),
      created: now,
      period: plan.period,
      discounts: [],
    }),
  );
}

/** `billing_cycle_anchor_config` as the subscription shows it, each part left out as null. */
function anchorConfigOf(
  params: CreateSubscriptionParams,
): Stripe.Subscription.BillingCycleAnchorConfig | null {
  const config = params.billing_cycle_anchor_config;
  if (!config) return null;
  return {
    day_of_month: config.day_of_month,
    hour: config.hour ?? null,
    minute: config.minute ?? null,
    month: config.month ?? null,
    second: config.second ?? null,
  };
}
