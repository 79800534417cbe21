import type Stripe from 'stripe';
import { requireOnBehalfOf } from '../../accounts/service.ts';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { applicableTaxRates } from '../tax-rates/service.ts';
import { mergeCancellationDetails } from './cancellation-details.ts';
import { resolveDiscounts } from './discounts.ts';
import type { UpdateSubscriptionParams } from './params.ts';
import { subscriptionPaymentMethod } from './payment.ts';
import { pendingIntervalOf } from './pending-interval.ts';

/**
 * The params of an update that only set fields: how it is paid, described and cancelled. They
 * decide nothing about items, trial, cycle or invoices (the change's plan does), so they apply
 * to the subscription the plan made, in the order their refusals have always come.
 */
export async function applyFieldParams(
  ctx: Ctx,
  sub: Stripe.Subscription,
  before: Stripe.Subscription,
  customer: Stripe.Customer,
  params: UpdateSubscriptionParams,
  now: number,
): Promise<void> {
  if (params.default_payment_method !== undefined) {
    sub.default_payment_method = await subscriptionPaymentMethod(
      ctx,
      params.default_payment_method,
      customer,
    );
  }
  if (params.description !== undefined) sub.description = params.description;
  if (params.default_tax_rates !== undefined) {
    // Rates the subscription already has stay usable once archived; new ones must be active.
    sub.default_tax_rates = params.default_tax_rates
      ? await applicableTaxRates(
          ctx,
          params.default_tax_rates,
          'default_tax_rates',
          before.default_tax_rates ?? [],
        )
      : [];
  }
  if (params.on_behalf_of !== undefined) {
    if (params.on_behalf_of !== null) await requireOnBehalfOf(ctx, params.on_behalf_of);
    sub.on_behalf_of = params.on_behalf_of;
  }
  sub.metadata = mergeMetadata(sub.metadata, params.metadata);
  if (params.pending_invoice_item_interval !== undefined) {
    sub.pending_invoice_item_interval = pendingIntervalOf(params.pending_invoice_item_interval);
  }
  applyCollection(sub, params);
  applyCancellation(sub, params, now);
  if (params.cancellation_details !== undefined) {
    sub.cancellation_details = await mergeCancellationDetails(
      ctx,
      sub.cancellation_details,
      params.cancellation_details,
    );
  }
  if (params.pause_collection !== undefined) {
    sub.pause_collection = params.pause_collection
      ? { behavior: params.pause_collection.behavior, resumes_at: params.pause_collection.resumes_at ?? null }
      : null;
  }
  if (params.trial_settings !== undefined) {
    sub.trial_settings = {
      end_behavior: {
        billing_cycle_anchor: null,
        missing_payment_method: params.trial_settings.end_behavior.missing_payment_method,
      },
    };
  }
  if (params.discounts !== undefined) {
    sub.discounts = params.discounts
      ? await resolveDiscounts(
          ctx,
          params.discounts,
          {
            customer: customer.id,
            subscription: sub.id,
            currency: sub.currency,
            amount: 0,
            existing: before.discounts.map((d) => (typeof d === 'string' ? d : d.id)),
          },
          'discounts',
        )
      : [];
  }
}

/** `collection_method` and `days_until_due`, checked together as the subscription ends up. */
function applyCollection(sub: Stripe.Subscription, params: UpdateSubscriptionParams): void {
  if (params.collection_method !== undefined) sub.collection_method = params.collection_method;
  if (params.days_until_due !== undefined) sub.days_until_due = params.days_until_due;
  if (sub.collection_method === 'send_invoice' && sub.days_until_due === null) {
    throw fail('days_until_due_required', {}, 'days_until_due');
  }
  if (sub.collection_method === 'charge_automatically') sub.days_until_due = null;
}

/**
 * `cancel_at_period_end` and `cancel_at` (one replaces the other). A requested cancellation is
 * `cancellation_details.reason` `cancellation_requested` from the moment it is asked for, as on
 * Stripe; withdrawing it clears the reason (the customer's feedback stays).
 */
function applyCancellation(sub: Stripe.Subscription, params: UpdateSubscriptionParams, now: number): void {
  if (params.cancel_at_period_end !== undefined) {
    sub.cancel_at_period_end = params.cancel_at_period_end;
    sub.cancel_at = null;
    sub.canceled_at = params.cancel_at_period_end ? now : null;
  }
  if (params.cancel_at !== undefined) {
    sub.cancel_at = params.cancel_at;
    sub.cancel_at_period_end = false;
    sub.canceled_at = params.cancel_at === null ? null : now;
  }
  if (params.cancel_at_period_end === undefined && params.cancel_at === undefined) return;
  const requested = sub.cancel_at_period_end || sub.cancel_at !== null;
  const details = sub.cancellation_details ?? {
    comment: null,
    feedback: null,
    feedback_option: null,
    reason: null,
  };
  sub.cancellation_details = { ...details, reason: requested ? 'cancellation_requested' : null };
}
