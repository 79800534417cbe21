import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import type { PaymentOutcome } from '../invoices/collect.ts';
import { endSubscription } from './end.ts';
import { requireSubscription } from './lookup.ts';
import { saveSubscription } from './store.ts';

/**
 * How a payment outcome moves a subscription, as on Stripe: a paid invoice makes an incomplete,
 * past_due or unpaid subscription active; a failed renewal makes an active one past_due; when the
 * last retry has failed, the account's setting decides (cancel, unpaid, or stay past_due). A
 * failed first invoice leaves the subscription incomplete until it expires.
 */
/** The status a payment outcome gives: paid settles, a failed renewal or update is past due. */
export function statusAfterPayment(
  status: Stripe.Subscription.Status,
  invoice: Stripe.Invoice,
  outcome: PaymentOutcome,
): Stripe.Subscription.Status {
  if (outcome.outcome === 'paid') {
    return status === 'incomplete' || status === 'past_due' || status === 'unpaid' ? 'active' : status;
  }
  if (invoice.billing_reason !== 'subscription_create' && status === 'active') return 'past_due';
  return status;
}

export async function afterPayment(
  ctx: Ctx,
  subscriptionId: string,
  invoice: Stripe.Invoice,
  outcome: PaymentOutcome,
): Promise<Stripe.Subscription> {
  const before = await requireSubscription(ctx, subscriptionId);
  const sub = structuredClone(before);
  // The invoice of a pending update decides that update, not the subscription's status.
  if (sub.pending_update && sub.latest_invoice === invoice.id) {
    if (outcome.outcome === 'paid') await applyPendingUpdate(ctx, sub, before);
    return sub;
  }
  sub.status = statusAfterPayment(sub.status, invoice, outcome);
  const exhausted =
    outcome.outcome === 'failed' &&
    invoice.next_payment_attempt === null &&
    invoice.billing_reason !== 'subscription_create';
  if (exhausted && (sub.status === 'past_due' || sub.status === 'active')) {
    const after = ctx.billing.afterFinalRetry;
    if (after === 'cancel') {
      return endSubscription(ctx, sub, before, { reason: 'payment_failed' });
    }
    if (after === 'unpaid') sub.status = 'unpaid';
  }
  if (sub.status === before.status) return sub;
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
  return sub;
}

/** The pending update's invoice is paid: the change it was waiting for applies now. */
async function applyPendingUpdate(
  ctx: Ctx,
  sub: Stripe.Subscription,
  before: Stripe.Subscription,
): Promise<void> {
  const pending = sub.pending_update!;
  sub.items.data = pending.subscription_items ?? sub.items.data;
  if (pending.billing_cycle_anchor !== null) sub.billing_cycle_anchor = pending.billing_cycle_anchor;
  if (pending.trial_end !== null) {
    sub.trial_end = pending.trial_end;
    if (pending.trial_end <= ctx.clock.now()) sub.status = 'active';
  }
  sub.pending_update = null;
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.pending_update_applied', sub, { before });
  await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
}
