import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCustomer } from '../customers/service.ts';
import { addInterval, periodContaining } from '../math/periods.ts';
import { hasEnded } from './cancel.ts';
import { issueInvoice, periodLines, productNames } from './invoicing.ts';
import { setPeriod } from './items.ts';
import type { PauseSubscriptionParams, ResumeSubscriptionParams } from './params.ts';
import { paymentError } from './payment.ts';
import { creditUnusedTime, prorateChanges } from './proration.ts';
import { currentPeriod } from './schedule.ts';
import { requireSubscription, saveSubscription } from './store.ts';
import { ctxForCustomer } from './time.ts';

type PauseReason = Stripe.Subscription.StatusDetails.Paused.Subscription.Type;

/** Marks a subscription paused, with `status_details.paused` saying why and since when. */
export function markPaused(sub: Stripe.Subscription, reason: PauseReason, now: number): void {
  sub.status = 'paused';
  sub.status_details = {
    paused: { subscription: { type: reason }, transitioned_at: now, type: 'subscription' },
  };
}

/**
 * `POST /v1/subscriptions/:id/pause`: no invoices and no new periods until it is resumed. The
 * unused time of the period is credited (`bill_for[unused_time_from]`, `now` by default) as a
 * pending item, or on an invoice made now with `invoicing_behavior=invoice`.
 */
export async function pauseSubscription(
  base: Ctx,
  id: string,
  params: PauseSubscriptionParams,
): Promise<Stripe.Subscription> {
  const before = await requireSubscription(base, id);
  if (hasEnded(before)) throw fail('subscription_pause_ended', { subscription: id });
  if (before.status === 'paused') throw fail('subscription_already_paused', { subscription: id });
  if (before.schedule) {
    throw fail('subscription_pause_scheduled', {});
  }
  const customer = await requireCustomer(base, String(before.customer));
  const ctx = await ctxForCustomer(base, customer);
  const now = ctx.clock.now();
  const sub = structuredClone(before);
  const period = currentPeriod(sub);
  const from = params.bill_for?.unused_time_from?.type ?? 'now';
  if (from !== 'none' && sub.status !== 'trialing' && now < period.end) {
    const at = from === 'now' ? Math.max(now, period.start) : period.start;
    if (at < period.end) await creditUnusedTime(ctx, sub, customer, period, at);
  }
  if ((params.invoicing_behavior ?? 'pending_invoice_item') === 'invoice') {
    await issueInvoice(ctx, sub, {
      billingReason: 'subscription_update',
      lines: [],
      period: { start: now, end: now },
      immediate: true,
      collect: true,
      offSession: true,
    });
  }
  markPaused(sub, 'pause_requested', now);
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.paused', sub, { before });
  return sub;
}

/**
 * `POST /v1/subscriptions/:id/resume`: with `billing_cycle_anchor=now` (the default) a new period
 * starts now and is invoiced at once; with `unchanged`, the rest of the current period is charged
 * (prorated unless `proration_behavior=none`). A paid (or nothing-to-pay) invoice makes the
 * subscription active; a failed one leaves it paused with the invoice open.
 */
export async function resumeSubscription(
  base: Ctx,
  id: string,
  params: ResumeSubscriptionParams,
): Promise<Stripe.Subscription> {
  const before = await requireSubscription(base, id);
  if (before.status !== 'paused') throw fail('subscription_not_paused', { subscription: id });
  if (before.collection_method !== 'charge_automatically') {
    throw fail('subscription_resume_send_invoice', {});
  }
  const customer = await requireCustomer(base, String(before.customer));
  const ctx = await ctxForCustomer(base, customer);
  const now = ctx.clock.now();
  const sub = structuredClone(before);
  const recurring = sub.items.data[0]!.price.recurring!;
  const names = await productNames(ctx, sub);
  let lines = [] as ReturnType<typeof periodLines>;
  if ((params.billing_cycle_anchor ?? 'now') === 'now') {
    sub.billing_cycle_anchor = now;
    setPeriod(sub, { start: now, end: addInterval(now, recurring.interval, recurring.interval_count, 1) });
    lines = periodLines(sub, currentPeriod(sub), names);
  } else {
    const period = periodContaining(
      sub.billing_cycle_anchor,
      recurring.interval,
      recurring.interval_count,
      now,
    );
    setPeriod(sub, period);
    if ((params.proration_behavior ?? 'create_prorations') !== 'none' && now > period.start) {
      const charges = sub.items.data.map((item) => ({
        from: null,
        to: { item, price: item.price, quantity: item.quantity ?? 1 },
      }));
      await prorateChanges(ctx, sub, customer, period, now, charges);
    } else {
      lines = periodLines(sub, period, names);
    }
  }
  const { outcome } = await issueInvoice(ctx, sub, {
    billingReason: 'subscription_update',
    lines,
    period: currentPeriod(sub),
    immediate: true,
    collect: true,
    offSession: false,
  });
  if (outcome && outcome.outcome !== 'paid') {
    if (params.payment_behavior === 'error_if_incomplete') throw paymentError(outcome);
    await saveSubscription(ctx, sub, before);
    return sub;
  }
  sub.status = 'active';
  delete sub.status_details;
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.resumed', sub, { before });
  return sub;
}
