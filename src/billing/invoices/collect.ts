import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { processor } from '../../payments/index.ts';
import type { Decision, Decline } from '../../payments/processor.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';
import { insertCharge } from '../charges/store.ts';
import { mailReceipt, receiptNumberFor } from '../customer-emails/mails.ts';
import { newCharge, newPaymentIntent } from '../payment-intents/build.ts';
import { challengeAction } from '../payment-intents/challenge.ts';
import { insertPaymentIntent, savePaymentIntent } from '../payment-intents/store.ts';
import { loadPaymentMethod, type StoredPaymentMethod } from '../payment-methods/store.ts';
import { markPaid } from './paid.ts';
import { saveInvoice } from './store.ts';

const DAY = 86_400;

export type PaymentOutcome =
  | { outcome: 'paid' }
  | { outcome: 'failed'; decline: Decline | null; paymentIntent: Stripe.PaymentIntent | null }
  | { outcome: 'requires_action'; paymentIntent: Stripe.PaymentIntent };

/** When to try again after a failed attempt, from the first attempt's time; null when out of retries. */
export function nextAttemptAfter(ctx: Ctx, invoice: Stripe.Invoice): number | null {
  const days = ctx.billing.retryDays;
  const retry = days[invoice.attempt_count - 1];
  const first = invoice.status_transitions.finalized_at ?? invoice.created;
  return retry === undefined ? null : first + retry * DAY;
}

async function intentFor(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  paymentMethod: string,
): Promise<Stripe.PaymentIntent> {
  const existing = invoice.payments?.data[0]?.payment.payment_intent;
  if (existing) {
    const found = await findObject<Stripe.PaymentIntent>(
      ctx.db,
      'payment_intents',
      ctx.scope,
      String(existing),
    );
    if (found) return { ...found, payment_method: paymentMethod };
  }
  const intent = newPaymentIntent(ctx, {
    amount: invoice.amount_due,
    currency: invoice.currency,
    customer: String(invoice.customer),
    description: invoice.billing_reason?.startsWith('subscription')
      ? 'Subscription update'
      : `Invoice ${invoice.number}`,
    paymentMethod,
  });
  await insertPaymentIntent(ctx, intent, invoice.id);
  await emitEvent(ctx, 'payment_intent.created', intent);
  const now = ctx.clock.now();
  invoice.payments = {
    object: 'list',
    has_more: false,
    url: `/v1/invoice_payments?invoice=${invoice.id}`,
    data: [
      {
        id: `inpay_${intent.id.slice(3)}`,
        object: 'invoice_payment',
        amount_paid: null,
        amount_requested: invoice.amount_due,
        created: now,
        currency: invoice.currency,
        invoice: invoice.id,
        is_default: true,
        livemode: ctx.scope.livemode,
        payment: { type: 'payment_intent', payment_intent: intent.id },
        status: 'open',
        status_transitions: { canceled_at: null, paid_at: null },
      },
    ],
  };
  return intent;
}

export async function recordFailure(ctx: Ctx, invoice: Stripe.Invoice, counted = false): Promise<void> {
  invoice.attempted = true;
  if (!counted) invoice.attempt_count += 1;
  invoice.next_payment_attempt =
    invoice.collection_method === 'charge_automatically' ? nextAttemptAfter(ctx, invoice) : null;
  await saveInvoice(ctx, invoice);
  await emitEvent(ctx, 'invoice.payment_failed', invoice);
}

/**
 * Tries to collect an open invoice's amount due from a card, through the processor. The invoice
 * records the attempt (`attempt_count`, `next_payment_attempt` on the retry schedule); a
 * PaymentIntent carries the payment and a charge each attempt, as on Stripe.
 */
export async function attemptPayment(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  options: { paymentMethod: string | null; offSession: boolean },
): Promise<PaymentOutcome> {
  const stored = options.paymentMethod ? await loadPaymentMethod(ctx, options.paymentMethod) : undefined;
  if (!stored || stored.detached || !stored.object.card) {
    await recordFailure(ctx, invoice);
    return { outcome: 'failed', decline: null, paymentIntent: null };
  }
  const pm = stored.object;
  const intent = await intentFor(ctx, invoice, pm.id);
  const decision = processor.charge(
    { number: stored.testCard ?? '', setUpForOffSession: stored.setUpOffSession },
    {
      amount: invoice.amount_due,
      currency: invoice.currency,
      offSession: options.offSession,
      authenticated: false,
    },
  );
  if (decision.outcome === 'requires_action') {
    const before = structuredClone(intent);
    intent.status = 'requires_action';
    intent.next_action = challengeAction(ctx, intent, null);
    await savePaymentIntent(ctx, intent);
    await emitEvent(ctx, 'payment_intent.requires_action', intent, { before });
    invoice.attempted = true;
    invoice.attempt_count += 1;
    invoice.next_payment_attempt = null;
    await saveInvoice(ctx, invoice);
    await emitEvent(ctx, 'invoice.payment_action_required', invoice);
    return { outcome: 'requires_action', paymentIntent: intent };
  }
  return settleCharge(ctx, invoice, intent, stored, decision, { counted: false });
}

/**
 * The issuer's answer to a charge of an invoice: a charge is recorded either way; a decline sends
 * the PaymentIntent back to `requires_payment_method` and records the failed attempt, an approval
 * pays the invoice. `counted`: the attempt was already counted on the invoice (a payment that
 * waited for 3D Secure is one attempt, counted when it asked for the challenge).
 */
export async function settleCharge(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  intent: Stripe.PaymentIntent,
  stored: StoredPaymentMethod,
  decision: Exclude<Decision, { outcome: 'requires_action' }>,
  options: { counted: boolean },
): Promise<PaymentOutcome> {
  const pm = stored.object;
  const decline = decision.outcome === 'declined' ? decision.decline : null;
  const charge = newCharge(ctx, { intent, paymentMethod: pm, decline });
  // A receipt, when the account mails them, is numbered on the charge and the invoice it pays.
  const receipt = decline ? null : await receiptNumberFor(ctx, invoice);
  charge.receipt_number = receipt;
  await insertCharge(ctx, charge);
  intent.latest_charge = charge.id;
  intent.next_action = null;
  if (decline) {
    intent.status = 'requires_payment_method';
    intent.last_payment_error = {
      type: 'card_error',
      code: decline.code,
      decline_code: decline.decline_code,
      message: decline.message,
      charge: charge.id,
      payment_method: pm,
    };
    await savePaymentIntent(ctx, intent);
    await emitEvent(ctx, 'charge.failed', charge);
    await emitEvent(ctx, 'payment_intent.payment_failed', intent);
    await recordFailure(ctx, invoice, options.counted);
    return { outcome: 'failed', decline, paymentIntent: intent };
  }
  intent.status = 'succeeded';
  intent.amount_received = intent.amount;
  intent.last_payment_error = null;
  await savePaymentIntent(ctx, intent);
  await emitEvent(ctx, 'charge.succeeded', charge);
  await emitEvent(ctx, 'payment_intent.succeeded', intent);
  invoice.attempted = true;
  if (!options.counted) invoice.attempt_count += 1;
  invoice.receipt_number = receipt;
  await markPaid(ctx, invoice, invoice.amount_due);
  if (receipt) await mailReceipt(ctx, invoice, charge);
  return { outcome: 'paid' };
}
