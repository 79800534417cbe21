import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { requireCustomer } from '../customers/service.ts';
import { idOf } from '../payment-methods/resolve.ts';
import { paymentMethodTypes, type TypesParams } from '../setup-intents/types.ts';
import { cardOptions } from './options.ts';
import type { UpdatePaymentIntentParams } from './params.ts';
import {
  checkAmount,
  checkStatus,
  onCustomerTime,
  paymentMethodFor,
  refuseInvoiceIntent,
  UPDATABLE,
} from './rules.ts';
import { requirePaymentIntent, savePaymentIntent } from './store.ts';

type PaymentIntent = Stripe.PaymentIntent;

/** What can change on any PaymentIntent, even paid or canceled ones (and the invoices' own). */
const ALWAYS = new Set(['expand', 'metadata', 'description']);
const AFTER_PAYMENT = new Set([...ALWAYS, 'receipt_email']);

/**
 * `POST /v1/payment_intents/:id`. Until it is paid, everything the params name; after, only its
 * description, metadata and receipt email. A new payment method asks for a new confirmation.
 * Stripe sends no event for an update.
 */
export async function updatePaymentIntent(
  base: Ctx,
  id: string,
  params: UpdatePaymentIntentParams,
): Promise<PaymentIntent> {
  const before = await requirePaymentIntent(base, id);
  const names = Object.keys(params);
  if (names.some((n) => !ALWAYS.has(n))) await refuseInvoiceIntent(base, before, 'update');
  if (names.some((n) => !AFTER_PAYMENT.has(n))) checkStatus(before, 'update', UPDATABLE);
  let intent: PaymentIntent = structuredClone(before);
  if (params.customer !== undefined) {
    const current = idOf(intent.customer as string | null);
    if (current !== null && current !== params.customer) {
      throw fail('customer_locked', { object: 'PaymentIntent' }, 'customer');
    }
    intent.customer = (await requireCustomer(base, params.customer, 'customer')).id;
  }
  const { ctx } = await onCustomerTime(base, intent);
  if (params.currency !== undefined) intent.currency = params.currency;
  if (params.amount !== undefined) intent.amount = params.amount;
  if (params.amount !== undefined || params.currency !== undefined) {
    checkAmount(intent.amount, intent.currency, params.amount !== undefined ? 'amount' : 'currency');
  }
  if (params.allowed_payment_method_types !== undefined || params.payment_method_types !== undefined) {
    Object.assign(intent, paymentMethodTypes(params as TypesParams));
  }
  if (params.capture_method !== undefined) intent.capture_method = params.capture_method;
  if (params.description !== undefined) intent.description = params.description;
  if (params.receipt_email !== undefined) intent.receipt_email = params.receipt_email;
  if (params.setup_future_usage !== undefined) intent.setup_future_usage = params.setup_future_usage;
  if (params.statement_descriptor !== undefined) intent.statement_descriptor = params.statement_descriptor;
  if (params.statement_descriptor_suffix !== undefined)
    intent.statement_descriptor_suffix = params.statement_descriptor_suffix;
  intent.metadata = mergeMetadata(intent.metadata, params.metadata);
  if (params.payment_method_options !== undefined) {
    intent.payment_method_options = cardOptions(
      intent.payment_method_options,
      params.payment_method_options.card,
    );
  }
  if (params.payment_method !== undefined) {
    const stored = await paymentMethodFor(ctx, intent, params.payment_method);
    intent = {
      ...intent,
      payment_method: stored.object.id,
      status: 'requires_confirmation',
      next_action: null,
    };
  }
  await savePaymentIntent(ctx, intent);
  return intent;
}
