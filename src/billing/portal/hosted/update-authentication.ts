import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { type AppError, errors, fail } from '../../../core/errors.ts';
import { emitEvent } from '../../../events/emit.ts';
import { findObject } from '../../../store/objects.ts';
import { answerPaymentAuthentication, waitingIntent } from '../../invoices/authenticate.ts';
import { voidInvoice } from '../../invoices/lifecycle.ts';
import { paymentError } from '../../subscriptions/payment.ts';
import { saveSubscription } from '../../subscriptions/store.ts';
import { ownedBy, type PortalScope } from './overview.ts';

/**
 * A plan change whose invoice asks for 3D Secure (§9.5). Confirming it leaves the subscription as
 * it was with the change in `pending_update` (`payment_behavior=pending_if_incomplete`, as
 * Stripe's portal does) and its invoice open, waiting for the cardholder. The challenge's answer
 * settles it in one transaction: authenticated and paid, the engine applies the pending update;
 * failed or declined, the portal withdraws the change at once (its invoice voided, the pending
 * update cleared), so the page's "your plan has not been changed" stays true. Left alone, the
 * pending update lapses after 23 hours as any does.
 */

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** The customer's subscription by id (another's or an unknown id is not found). */
async function ownSubscription(ctx: Ctx, portal: PortalScope, id: string): Promise<Stripe.Subscription> {
  const sub = await findObject<Stripe.Subscription>(ctx.db, 'subscriptions', ctx.scope, id);
  if (!sub || !ownedBy(portal)(sub)) throw errors.noSuchPath('subscription', id);
  return sub;
}

/** The open invoice a subscription's pending update waits for, if any. */
async function pendingInvoice(ctx: Ctx, sub: Stripe.Subscription): Promise<Stripe.Invoice | null> {
  const id = idOf(sub.latest_invoice as string | null);
  if (!sub.pending_update || !id) return null;
  const invoice = await findObject<Stripe.Invoice>(ctx.db, 'invoices', ctx.scope, id);
  return invoice?.status === 'open' ? invoice : null;
}

/** The challenge a pending plan change waits for: its invoice, the PaymentIntent and the card. */
export interface ChangeChallenge {
  invoice: Stripe.Invoice;
  paymentIntent: Stripe.PaymentIntent;
  paymentMethod: Stripe.PaymentMethod;
}

/** The 3D Secure challenge of the subscription's pending change, or null when none waits. */
export async function changeChallenge(
  ctx: Ctx,
  portal: PortalScope,
  subscriptionId: string,
): Promise<ChangeChallenge | null> {
  const sub = await ownSubscription(ctx, portal, subscriptionId);
  const invoice = await pendingInvoice(ctx, sub);
  const paymentIntent = invoice ? await waitingIntent(ctx, invoice) : null;
  const pm = idOf(paymentIntent?.payment_method as string | null | undefined);
  const paymentMethod = pm
    ? await findObject<Stripe.PaymentMethod>(ctx.db, 'payment_methods', ctx.scope, pm)
    : undefined;
  return invoice && paymentIntent && paymentMethod ? { invoice, paymentIntent, paymentMethod } : null;
}

/**
 * Drops a subscription's pending update now: its open invoice is voided (`invoice.voided`) and
 * `pending_update` cleared (`customer.subscription.updated`); items, trial and cycle were never
 * changed. Stripe documents that a cancelled pending update is discarded this way.
 */
export async function withdrawPendingUpdate(ctx: Ctx, sub: Stripe.Subscription): Promise<void> {
  if (!sub.pending_update) return;
  const invoice = await pendingInvoice(ctx, sub);
  if (invoice) await voidInvoice(ctx, invoice);
  const before = structuredClone(sub);
  sub.pending_update = null;
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
}

/** The item a pending change alters (the portal changes one at a time): its new price or quantity. */
function changedItem(sub: Stripe.Subscription): Stripe.SubscriptionItem | undefined {
  const asked = sub.pending_update?.subscription_items ?? [];
  const now = new Map(sub.items.data.map((i) => [i.id, i]));
  return (
    asked.find((i) => now.get(i.id)?.price.id !== i.price.id || now.get(i.id)?.quantity !== i.quantity) ??
    asked[0]
  );
}

/** What the customer's answer came to. */
export type ChangeAnswer =
  | { status: 'updated'; subscription: Stripe.Subscription }
  | {
      status: 'refused';
      error: AppError;
      /** The change that was asked for (the item's new price and quantity), to show it again. */
      change: { item: string; price: string; quantity: number } | null;
    };

/**
 * The cardholder's answer to the challenge of a pending plan change. `succeed`: the issuer decides
 * again; paid, the pending update applies (`customer.subscription.pending_update_applied`, then
 * `.updated`). Failed authentication or a decline is recorded on the invoice as any failed attempt
 * is, then the change is withdrawn. Null when no challenge waits (answered in another tab).
 */
export async function answerChangeChallenge(
  ctx: Ctx,
  portal: PortalScope,
  subscriptionId: string,
  answer: 'succeed' | 'fail',
): Promise<ChangeAnswer | null> {
  const challenge = await changeChallenge(ctx, portal, subscriptionId);
  if (!challenge) return null;
  const item = changedItem(await ownSubscription(ctx, portal, subscriptionId));
  const answered = await answerPaymentAuthentication(ctx, challenge.invoice.id!, answer);
  if (!answered) return null;
  const sub = await ownSubscription(ctx, portal, subscriptionId);
  if (answered.outcome.outcome === 'paid' && !sub.pending_update) {
    return { status: 'updated', subscription: sub };
  }
  await withdrawPendingUpdate(ctx, sub);
  const { outcome } = answered;
  return {
    status: 'refused',
    error:
      outcome.outcome === 'failed' && outcome.decline
        ? paymentError(outcome)
        : fail('payment_intent_authentication_failure', {}),
    change: item ? { item: item.id, price: item.price.id, quantity: item.quantity ?? 1 } : null,
  };
}
