import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { mailTrialEnding } from '../customer-emails/mails.ts';
import { requireCustomer } from '../customers/service.ts';
import { finalizeInvoice } from '../invoices/finalize.ts';
import { markUncollectible, voidInvoice } from '../invoices/lifecycle.ts';
import { previewInvoice } from '../invoices/preview.ts';
import { requireInvoice } from '../invoices/store.ts';
import { addInterval } from '../math/periods.ts';
import { endSubscription } from './end.ts';
import { issueInvoice, periodLines, productNames } from './invoicing.ts';
import { setPeriod } from './items.ts';
import { markPaused } from './pause.ts';
import {
  currentPeriod,
  INCOMPLETE_EXPIRY_SECONDS,
  TRIAL_NOTICE_SECONDS,
  TRIAL_REMINDER_SECONDS,
  upcomingNoticeAt,
} from './schedule.ts';
import { saveSubscription } from './store.ts';

/**
 * What a subscription does when its time comes (`dueAt`, the engine's `next_action_at`, on the
 * customer's clock): an incomplete one expires, a trial mails its reminder, sends its notice or ends, a cancellation
 * date or the end of a period cancelled at its end takes effect, a pause ends, or the period
 * renews with a new draft invoice. One step per call; the engine calls again while work is due.
 */
export async function runSubscription(ctx: Ctx, sub: Stripe.Subscription, dueAt: number): Promise<void> {
  const now = ctx.clock.now();
  const before = structuredClone(sub);
  if (sub.status === 'incomplete') {
    if (now >= sub.created + INCOMPLETE_EXPIRY_SECONDS) await expire(ctx, sub, before);
    return;
  }
  if (sub.pending_update && now >= sub.pending_update.expires_at) {
    await expirePendingUpdate(ctx, sub, before);
    return;
  }
  if (sub.status === 'trialing' && sub.trial_end !== null && now < sub.trial_end) {
    const reminderAt = sub.trial_end - TRIAL_REMINDER_SECONDS;
    const noticeAt = sub.trial_end - TRIAL_NOTICE_SECONDS;
    if (dueAt === reminderAt && now < noticeAt) {
      await saveSubscription(ctx, sub, before);
      await mailTrialEnding(ctx, sub);
      return;
    }
    // A reminder found late (the worker was stopped) gives way to the notice due by then.
    if (dueAt === noticeAt || (dueAt === reminderAt && now >= noticeAt)) {
      await saveSubscription(ctx, sub, before);
      await emitEvent(ctx, 'customer.subscription.trial_will_end', sub);
      return;
    }
  }
  if (sub.cancel_at !== null && now >= sub.cancel_at) {
    await endSubscription(ctx, sub, before);
    return;
  }
  if (sub.pause_collection?.resumes_at && now >= sub.pause_collection.resumes_at) {
    sub.pause_collection = null;
    await saveSubscription(ctx, sub, before);
    await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
    return;
  }
  if (sub.status === 'trialing' && sub.trial_end !== null && now >= sub.trial_end) {
    await endTrial(ctx, sub, before);
    return;
  }
  if (sub.status === 'paused') return;
  const period = currentPeriod(sub);
  if (dueAt === upcomingNoticeAt(sub, ctx.billing.upcomingDays) && now < period.end) {
    await announceRenewal(ctx, sub, before);
    return;
  }
  if (now < period.end) {
    await saveSubscription(ctx, sub, before);
    return;
  }
  if (sub.cancel_at_period_end) {
    await endSubscription(ctx, sub, before);
    return;
  }
  await renew(ctx, sub, before, 'subscription_cycle');
}

/** The next period starts where the last ended, and is billed by a draft finalized an hour later. */
async function renew(
  ctx: Ctx,
  sub: Stripe.Subscription,
  before: Stripe.Subscription,
  reason: Stripe.Invoice.BillingReason,
): Promise<void> {
  const start = currentPeriod(sub).end;
  const recurring = sub.items.data[0]!.price.recurring!;
  const anchor = sub.billing_cycle_anchor;
  // Boundaries are counted from the anchor, so month ends clamp and recover (Jan 31, Feb 28, Mar 31).
  let n = 1;
  while (addInterval(anchor, recurring.interval, recurring.interval_count, n) <= start) n += 1;
  const end = addInterval(anchor, recurring.interval, recurring.interval_count, n, {
    dayOfMonth: sub.billing_cycle_anchor_config?.day_of_month,
  });
  const period = { start, end };
  setPeriod(sub, period);
  const names = await productNames(ctx, sub);
  const { invoice } = await issueInvoice(ctx, sub, {
    billingReason: reason,
    lines: periodLines(sub, period, names),
    period,
    immediate: false,
    collect: true,
    offSession: true,
  });
  await applyPauseBehavior(ctx, sub, invoice);
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
}

/**
 * `pause_collection`: invoices made while collection is paused stay drafts (`keep_as_draft`), are
 * voided (`void`) or marked uncollectible once finalized (`mark_uncollectible`).
 */
async function applyPauseBehavior(
  ctx: Ctx,
  sub: Stripe.Subscription,
  invoice: Stripe.Invoice,
): Promise<void> {
  const behavior = sub.pause_collection?.behavior;
  if (behavior === 'void') await voidInvoice(ctx, invoice);
  if (behavior === 'mark_uncollectible') {
    await finalizeInvoice(ctx, invoice);
    if (invoice.status === 'open') await markUncollectible(ctx, invoice);
  }
}

/**
 * A trial ends: without a payment method, `trial_settings.end_behavior.missing_payment_method`
 * may cancel or pause it; otherwise the first paid period starts now and is invoiced.
 */
async function endTrial(ctx: Ctx, sub: Stripe.Subscription, before: Stripe.Subscription): Promise<void> {
  const customer = await requireCustomer(ctx, String(sub.customer));
  const hasPaymentMethod =
    sub.default_payment_method !== null || Boolean(customer.invoice_settings?.default_payment_method);
  const missing = sub.trial_settings?.end_behavior.missing_payment_method ?? 'create_invoice';
  if (!hasPaymentMethod && sub.collection_method === 'charge_automatically' && missing === 'cancel') {
    await endSubscription(ctx, sub, before, { reason: 'cancellation_requested' });
    return;
  }
  if (!hasPaymentMethod && sub.collection_method === 'charge_automatically' && missing === 'pause') {
    markPaused(sub, 'trial_end_without_payment_method', ctx.clock.now());
    await saveSubscription(ctx, sub, before);
    await emitEvent(ctx, 'customer.subscription.paused', sub, { before });
    return;
  }
  sub.status = 'active';
  await renew(ctx, sub, before, 'subscription_cycle');
}

async function expire(ctx: Ctx, sub: Stripe.Subscription, before: Stripe.Subscription): Promise<void> {
  sub.status = 'incomplete_expired';
  sub.ended_at = ctx.clock.now();
  if (sub.latest_invoice) {
    const invoice = await requireInvoice(ctx, String(sub.latest_invoice));
    if (invoice.status === 'open') await voidInvoice(ctx, invoice);
  }
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
}

/**
 * `invoice.upcoming`: the renewal invoice as it would be made now (computed, not stored), with
 * the preview's `upcoming_in_…` id as Stripe's preview invoices have: the SDK types `id` as a
 * string, and nothing can be retrieved by it.
 */
async function announceRenewal(
  ctx: Ctx,
  sub: Stripe.Subscription,
  before: Stripe.Subscription,
): Promise<void> {
  const preview = await previewInvoice(ctx, { customer: String(sub.customer), subscription: sub.id });
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'invoice.upcoming', preview);
}

/** A pending update whose invoice was not paid in 23 hours lapses; its invoice is voided. */
async function expirePendingUpdate(
  ctx: Ctx,
  sub: Stripe.Subscription,
  before: Stripe.Subscription,
): Promise<void> {
  if (sub.latest_invoice) {
    const invoice = await requireInvoice(ctx, String(sub.latest_invoice));
    if (invoice.status === 'open') await voidInvoice(ctx, invoice);
  }
  sub.pending_update = null;
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.pending_update_expired', sub, { before });
}
