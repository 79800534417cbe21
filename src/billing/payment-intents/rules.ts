import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { MAX_AMOUNT } from '../../core/limits.ts';
import { requireCustomer } from '../customers/service.ts';
import { minimumCharge } from '../money/minimum-charge.ts';
import { checkUsable } from '../payment-methods/attach.ts';
import { idOf, resolvePaymentMethod } from '../payment-methods/resolve.ts';
import type { StoredPaymentMethod } from '../payment-methods/store.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { invoiceOfIntent } from './store.ts';

type PaymentIntent = Stripe.PaymentIntent;
type Action = 'cancel' | 'capture' | 'confirm' | 'update';

/** Statuses in which a PaymentIntent has not yet been paid and may still be changed or confirmed. */
export const UPDATABLE = ['requires_payment_method', 'requires_confirmation', 'requires_action'] as const;
export const CONFIRMABLE = ['requires_payment_method', 'requires_confirmation'] as const;
export const CANCELABLE = [
  'requires_payment_method',
  'requires_capture',
  'requires_confirmation',
  'requires_action',
  'processing',
] as const;
export const CAPTURABLE = ['requires_capture'] as const;

export function checkStatus(intent: PaymentIntent, action: Action, allowed: readonly string[]): void {
  if (allowed.includes(intent.status)) return;
  throw fail('payment_intent_unexpected_state', { action, paymentIntent: intent, allowed });
}

/** An amount from the currency's minimum charge up to Portico's cap (`MAX_AMOUNT`). */
export function checkAmount(amount: number, currency: string, param = 'amount'): void {
  if (amount > MAX_AMOUNT) {
    throw fail('amount_too_large', { max: MAX_AMOUNT, currency, subject: 'payment' }, param);
  }
  const min = minimumCharge(currency);
  if (amount < min) throw fail('amount_too_small', { min, currency }, param);
}

/**
 * The PaymentIntents of invoices are moved by their invoice (pay, void): the API reads them and
 * changes their metadata and description, nothing else.
 */
export async function refuseInvoiceIntent(ctx: Ctx, intent: PaymentIntent, action: Action): Promise<void> {
  const invoice = await invoiceOfIntent(ctx, intent.id);
  if (invoice !== null) throw fail('payment_intent_of_invoice', { action, invoice });
}

/** The PaymentIntent's customer, and the context on that customer's clock (a test clock's time). */
export async function onCustomerTime(
  ctx: Ctx,
  intent: Pick<PaymentIntent, 'customer'>,
): Promise<{ ctx: Ctx; customer: Stripe.Customer | null }> {
  const id = idOf(intent.customer as string | null);
  if (id === null) return { ctx, customer: null };
  const customer = await requireCustomer(ctx, id, 'customer');
  return { ctx: await ctxForCustomer(ctx, customer), customer };
}

/** The card a PaymentIntent will use: a `pm_card_*` shortcut becomes a new one; another customer's is refused. */
export async function paymentMethodFor(
  ctx: Ctx,
  intent: PaymentIntent,
  id: string,
  param = 'payment_method',
): Promise<StoredPaymentMethod> {
  const stored = await resolvePaymentMethod(ctx, id, param, ctx.clock.now());
  checkUsable(stored, idOf(intent.customer as string | null), param);
  return stored;
}

/** `off_session` as the processor reads it: any value but `false` means the customer is away. */
export function isOffSession(value: boolean | 'one_off' | 'recurring' | undefined): boolean {
  return value !== undefined && value !== false;
}
