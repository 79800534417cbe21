import type Stripe from 'stripe';
import { requireOnBehalfOf } from '../../accounts/service.ts';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCustomer } from '../customers/service.ts';
import { addInterval } from '../math/periods.ts';
import { intervalChangeResetsCycle } from '../math/proration.ts';
import { hasEnded } from './cancel.ts';
import { resolveDiscounts, resolveItemDiscounts } from './discounts.ts';
import { issueInvoice, periodLines, productNames } from './invoicing.ts';
import { applyItemChanges } from './item-changes.ts';
import { setPeriod } from './items.ts';
import type { DiscountParams, ProrationBehavior, UpdateSubscriptionParams } from './params.ts';
import { paymentError, subscriptionPaymentMethod } from './payment.ts';
import { itemPrice, type PriceOptions } from './prices.ts';
import { prorateChanges } from './proration.ts';
import { currentPeriod, PENDING_UPDATE_SECONDS } from './schedule.ts';
import { statusAfterPayment } from './status.ts';
import { requireSubscription, saveSubscription } from './store.ts';
import { ctxForCustomer } from './time.ts';

const DAY = 86_400;
const ENDED_MAY_CHANGE = new Set(['metadata', 'cancellation_details', 'expand']);

/** `items[][discounts]`: replaces the item's own discounts (`''` removes them). */
async function setItemDiscounts(
  ctx: Ctx,
  sub: Stripe.Subscription,
  item: Stripe.SubscriptionItem,
  discounts: DiscountParams[] | null | undefined,
  path: string,
): Promise<void> {
  if (discounts === undefined) return;
  item.discounts = discounts
    ? await resolveItemDiscounts(
        ctx,
        discounts,
        item,
        { customer: String(sub.customer), subscription: sub.id, currency: sub.currency, amount: 0 },
        `${path}[discounts]`,
      )
    : [];
}

/**
 * `payment_behavior=pending_if_incomplete` and the change's invoice was not paid: the subscription
 * stays as it was, with the change in `pending_update` until that invoice is paid (then it
 * applies) or 23 hours pass (then it expires and the invoice is voided).
 */
async function keepPending(
  ctx: Ctx,
  before: Stripe.Subscription,
  changed: Stripe.Subscription,
  invoice: Stripe.Invoice,
): Promise<Stripe.Subscription> {
  const sub = structuredClone(before);
  sub.latest_invoice = invoice.id;
  sub.pending_update = {
    billing_cycle_anchor:
      changed.billing_cycle_anchor === before.billing_cycle_anchor ? null : changed.billing_cycle_anchor,
    cancel_at_period_end: null,
    discount: null,
    discounts: null,
    expires_at: ctx.clock.now() + PENDING_UPDATE_SECONDS,
    metadata: null,
    subscription_items: changed.items.data,
    trial_end: changed.trial_end === before.trial_end ? null : changed.trial_end,
    trial_from_plan: null,
  };
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
  return sub;
}

/** With `pending_if_incomplete`, only what a payment can wait for may change. */
const PENDING_ALLOWED = new Set([
  'billing_cycle_anchor',
  'expand',
  'items',
  'off_session',
  'payment_behavior',
  'proration_behavior',
  'proration_date',
  'trial_end',
  'trial_from_plan',
]);

function checkPendingParams(params: UpdateSubscriptionParams, sub: Stripe.Subscription): void {
  if (params.payment_behavior !== 'pending_if_incomplete') return;
  const other = Object.keys(params).find((k) => !PENDING_ALLOWED.has(k));
  if (other) {
    throw errors.invalidRequest(
      `\`${other}\` cannot be updated with \`payment_behavior=pending_if_incomplete\`; send it in a separate update.`,
      other,
    );
  }
  if (params.proration_behavior === 'create_prorations') {
    throw errors.invalidRequest(
      '`payment_behavior=pending_if_incomplete` needs `proration_behavior=always_invoice` (or none).',
      'proration_behavior',
    );
  }
  if (sub.pending_update) {
    throw errors.invalidRequest(
      'This subscription already has a pending update; it must be paid or expire before another.',
      'payment_behavior',
    );
  }
}

function checkTimes(
  params: UpdateSubscriptionParams,
  period: { start: number; end: number },
  now: number,
): void {
  if (
    params.proration_date !== undefined &&
    (params.proration_date < period.start || params.proration_date > period.end)
  ) {
    throw errors.invalidRequest(
      '`proration_date` must be within the current billing period.',
      'proration_date',
    );
  }
  if (typeof params.trial_end === 'number' && params.trial_end <= now) {
    throw errors.invalidRequest(
      'Invalid timestamp: must be an integer Unix timestamp in the future.',
      'trial_end',
    );
  }
  if (typeof params.trial_end === 'number' && params.trial_end > now + 730 * DAY) {
    throw errors.invalidRequest(
      'Invalid timestamp: can be no more than two years in the future.',
      'trial_end',
    );
  }
  if (params.cancel_at !== undefined && params.cancel_at !== null && params.cancel_at <= now) {
    throw errors.invalidRequest('`cancel_at` must be in the future.', 'cancel_at');
  }
  if (params.cancel_at && params.cancel_at_period_end)
    throw errors.parametersExclusive('cancel_at', 'cancel_at_period_end');
  if (params.pause_collection?.resumes_at !== undefined && params.pause_collection.resumes_at <= now) {
    throw errors.invalidRequest(
      '`pause_collection[resumes_at]` must be in the future.',
      'pause_collection[resumes_at]',
    );
  }
}

/**
 * `POST /v1/subscriptions/:id`. Item changes are prorated by the second (`proration_behavior`:
 * pending items for the next invoice, an invoice now with `always_invoice`, or nothing); a new
 * interval, `billing_cycle_anchor=now` or `trial_end=now` restart the cycle now and invoice the
 * new period at once, crediting the unused time of the old one.
 */
export async function updateSubscription(
  base: Ctx,
  id: string,
  params: UpdateSubscriptionParams,
  options: PriceOptions = {},
): Promise<Stripe.Subscription> {
  const before = await requireSubscription(base, id);
  const customer = await requireCustomer(base, String(before.customer));
  const ctx = await ctxForCustomer(base, customer);
  const now = ctx.clock.now();
  if (hasEnded(before)) {
    const other = Object.keys(params).find((k) => !ENDED_MAY_CHANGE.has(k));
    if (other) {
      throw errors.invalidRequest(
        'A canceled subscription can only update its cancellation_details and metadata.',
        other,
      );
    }
  }
  const sub = structuredClone(before);
  const period = currentPeriod(sub);
  checkTimes(params, period, now);
  checkPendingParams(params, before);
  const oldRecurring = sub.items.data[0]!.price.recurring!;
  const changes = params.items
    ? await applyItemChanges(ctx, sub, params.items, period, {
        param: 'items',
        price: (entry, path) => itemPrice(ctx, entry, path, options),
        also: (item, entry, path) => setItemDiscounts(ctx, sub, item, entry.discounts, path),
      })
    : [];
  const newRecurring = sub.items.data[0]!.price.recurring!;

  if (params.default_payment_method !== undefined) {
    sub.default_payment_method = await subscriptionPaymentMethod(
      ctx,
      params.default_payment_method,
      customer,
    );
  }
  if (params.description !== undefined) sub.description = params.description;
  if (params.on_behalf_of !== undefined) {
    if (params.on_behalf_of !== null) await requireOnBehalfOf(ctx, params.on_behalf_of);
    sub.on_behalf_of = params.on_behalf_of;
  }
  sub.metadata = mergeMetadata(sub.metadata, params.metadata);
  if (params.collection_method !== undefined) sub.collection_method = params.collection_method;
  if (params.days_until_due !== undefined) sub.days_until_due = params.days_until_due;
  if (sub.collection_method === 'send_invoice' && sub.days_until_due === null) {
    throw errors.invalidRequest(
      '`days_until_due` is required when `collection_method` is `send_invoice`.',
      'days_until_due',
    );
  }
  if (sub.collection_method === 'charge_automatically') sub.days_until_due = null;
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
  if (params.cancellation_details !== undefined) {
    const details = sub.cancellation_details ?? {
      comment: null,
      feedback: null,
      feedback_option: null,
      reason: null,
    };
    if (params.cancellation_details.comment !== undefined)
      details.comment = params.cancellation_details.comment;
    if (params.cancellation_details.feedback !== undefined)
      details.feedback = params.cancellation_details.feedback;
    sub.cancellation_details = details;
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

  const pendingIfIncomplete = params.payment_behavior === 'pending_if_incomplete';
  // A change that waits for its payment is invoiced at once, so it can be paid.
  const behavior: ProrationBehavior =
    params.proration_behavior ?? (pendingIfIncomplete ? 'always_invoice' : 'create_prorations');
  const at = params.proration_date ?? now;
  const trialing = sub.status === 'trialing';
  const endTrialNow = params.trial_end === 'now' && trialing;
  const resetCycle =
    endTrialNow ||
    params.billing_cycle_anchor === 'now' ||
    (changes.length > 0 && !trialing && intervalChangeResetsCycle(oldRecurring, newRecurring));
  let invoiceNow = false;

  if (typeof params.trial_end === 'number') {
    // A new trial end: the period runs to it and nothing is billed until then.
    sub.status = 'trialing';
    sub.trial_end = params.trial_end;
    sub.trial_start = sub.trial_start ?? now;
    sub.billing_cycle_anchor = params.trial_end;
    setPeriod(sub, { start: period.start, end: params.trial_end });
  } else if (resetCycle) {
    if (behavior !== 'none' && !trialing && now > period.start && now < period.end) {
      const credits = before.items.data.map((item) => ({
        from: { item, price: item.price, quantity: item.quantity ?? 1 },
        to: null,
      }));
      await prorateChanges(ctx, sub, customer, period, now, credits);
    }
    if (endTrialNow) {
      sub.status = 'active';
      sub.trial_end = now;
    }
    sub.billing_cycle_anchor = now;
    setPeriod(sub, {
      start: now,
      end: addInterval(now, newRecurring.interval, newRecurring.interval_count, 1),
    });
    invoiceNow = true;
  } else if (changes.length > 0 && !trialing && behavior !== 'none' && at < period.end) {
    await prorateChanges(ctx, sub, customer, period, at, changes);
    invoiceNow = behavior === 'always_invoice';
  }

  if (invoiceNow) {
    const newPeriod = currentPeriod(sub);
    const names = await productNames(ctx, sub);
    const lines = resetCycle ? periodLines(sub, newPeriod, names) : [];
    const { invoice, outcome } = await issueInvoice(ctx, sub, {
      billingReason: 'subscription_update',
      lines,
      period: resetCycle ? newPeriod : { start: at, end: period.end },
      immediate: true,
      collect: params.payment_behavior !== 'default_incomplete',
      offSession: params.off_session ?? false,
    });
    if (outcome) {
      const failing = outcome.outcome !== 'paid';
      if (failing && params.payment_behavior === 'error_if_incomplete') throw paymentError(outcome);
      if (failing && pendingIfIncomplete) return keepPending(ctx, before, sub, invoice);
      sub.status = statusAfterPayment(sub.status, invoice, outcome);
    }
  }
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
  return sub;
}
