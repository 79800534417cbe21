import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { processor } from '../../payments/index.ts';
import { findObject } from '../../store/objects.ts';
import { requireCustomer } from '../customers/service.ts';
import { savePaymentIntent } from '../payment-intents/store.ts';
import { idOf } from '../payment-methods/resolve.ts';
import { loadPaymentMethod } from '../payment-methods/store.ts';
import { afterPayment } from '../subscriptions/status.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { type PaymentOutcome, recordFailure, settleCharge } from './collect.ts';
import { invoiceSubscription, requireInvoice } from './store.ts';

/** Stripe's words when the cardholder fails a PaymentIntent's 3D Secure challenge. */
const AUTHENTICATION_FAILED =
  'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.';

/** The invoice's PaymentIntent when it waits for the cardholder's 3D Secure answer. */
export async function waitingIntent(ctx: Ctx, invoice: Stripe.Invoice): Promise<Stripe.PaymentIntent | null> {
  const id = invoice.payments?.data[0]?.payment.payment_intent;
  if (!id || invoice.status !== 'open') return null;
  const intent = await findObject<Stripe.PaymentIntent>(
    ctx.db,
    'payment_intents',
    ctx.scope,
    String(idOf(id)),
  );
  return intent?.status === 'requires_action' ? intent : null;
}

/**
 * The cardholder's answer to the 3D Secure challenge of an invoice payment made on session (the
 * hosted invoice page, `invoices.pay`). `succeed`: the issuer decides again with the cardholder
 * authenticated, so the invoice is paid or the decline recorded as any failed attempt is.
 * `fail`: the PaymentIntent goes back to `requires_payment_method` with
 * `payment_intent_authentication_failure`, and the invoice records the failed payment
 * (`invoice.payment_failed`). Either way it is the attempt counted when the challenge was asked
 * for, and the subscription moves as the engine moves it. Null when no challenge waits.
 */
export async function answerPaymentAuthentication(
  base: Ctx,
  invoiceId: string,
  answer: 'succeed' | 'fail',
): Promise<{ invoice: Stripe.Invoice; outcome: PaymentOutcome; paymentMethod: Stripe.PaymentMethod } | null> {
  const found = await requireInvoice(base, invoiceId);
  const customer = await requireCustomer(base, String(idOf(found.customer as string)));
  const ctx = await ctxForCustomer(base, customer);
  const invoice = await requireInvoice(ctx, invoiceId);
  const intent = await waitingIntent(ctx, invoice);
  const stored = intent && (await loadPaymentMethod(ctx, String(idOf(intent.payment_method as string))));
  if (!intent || !stored) return null;
  let outcome: PaymentOutcome;
  if (answer === 'succeed') {
    const decision = processor.charge(
      { number: stored.testCard ?? '', setUpForOffSession: stored.setUpOffSession },
      { amount: invoice.amount_due, currency: invoice.currency, offSession: false, authenticated: true },
    );
    outcome =
      decision.outcome === 'requires_action'
        ? await failAuthentication(ctx, invoice, intent, stored.object)
        : await settleCharge(ctx, invoice, intent, stored, decision, { counted: true });
  } else {
    outcome = await failAuthentication(ctx, invoice, intent, stored.object);
  }
  const subscription = invoiceSubscription(invoice);
  if (subscription) await afterPayment(ctx, subscription, invoice, outcome);
  return { invoice, outcome, paymentMethod: stored.object };
}

async function failAuthentication(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  intent: Stripe.PaymentIntent,
  paymentMethod: Stripe.PaymentMethod,
): Promise<PaymentOutcome> {
  const before = structuredClone(intent);
  intent.status = 'requires_payment_method';
  intent.next_action = null;
  intent.last_payment_error = {
    type: 'invalid_request_error',
    code: 'payment_intent_authentication_failure',
    message: AUTHENTICATION_FAILED,
    payment_method: paymentMethod,
  };
  await savePaymentIntent(ctx, intent);
  await emitEvent(ctx, 'payment_intent.payment_failed', intent, { before });
  await recordFailure(ctx, invoice, true);
  return { outcome: 'failed', decline: null, paymentIntent: intent };
}
