import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCharge, saveCharge } from '../charges/store.ts';
import { onCustomerTime } from '../payment-intents/rules.ts';
import { requirePaymentIntent } from '../payment-intents/store.ts';
import { idOf } from '../payment-methods/resolve.ts';
import { insertRefund } from './store.ts';

type Charge = Stripe.Charge;
type Refund = Stripe.Refund;

/** What a refund is asked for: the charge (or the PaymentIntent whose charge it is), how much, why. */
export interface RefundRequest {
  charge?: string;
  payment_intent?: string;
  /** Minor units; the whole of what is left to refund when absent. */
  amount?: number;
  reason?: 'duplicate' | 'fraudulent' | 'requested_by_customer';
  metadata?: Record<string, string | null> | null;
  instructions_email?: string;
}

/** The charge a request names, checked to be one that can be refunded. */
async function chargeToRefund(ctx: Ctx, request: RefundRequest): Promise<Charge> {
  let charge: Charge | undefined;
  if (request.payment_intent !== undefined) {
    const intent = await requirePaymentIntent(ctx, request.payment_intent, 'payment_intent');
    const latest = idOf(intent.latest_charge as string | null);
    if (intent.status === 'requires_capture' && latest !== null) {
      throw fail('charge_not_captured', { charge: latest }, 'payment_intent');
    }
    if (intent.status !== 'succeeded' || latest === null) {
      throw fail(
        'payment_intent_nothing_to_refund',
        { paymentIntent: intent.id, status: intent.status },
        'payment_intent',
      );
    }
    if (request.charge === undefined) charge = await requireCharge(ctx, latest);
  }
  if (request.charge !== undefined) {
    charge = await requireCharge(ctx, request.charge, 'charge');
    const owner = idOf(charge.payment_intent as string | null);
    if (request.payment_intent !== undefined && owner !== request.payment_intent) {
      throw fail(
        'refund_charge_of_other_intent',
        { charge: charge.id, paymentIntent: request.payment_intent },
        'charge',
      );
    }
  }
  if (!charge) throw fail('refund_target_missing', {});
  const param = request.charge !== undefined ? 'charge' : 'payment_intent';
  if (charge.status !== 'succeeded') {
    throw fail('charge_not_refundable', { charge: charge.id, status: charge.status }, param);
  }
  if (!charge.captured) throw fail('charge_not_captured', { charge: charge.id }, param);
  return charge;
}

/**
 * Refunds all or part of a charge (named directly, or through its PaymentIntent), in the
 * caller's transaction: card refunds succeed at once. The charge's `amount_refunded` grows, and
 * `refunded` turns true once nothing is left; more than what is left is refused with Stripe's
 * `amount_too_large`, a charge refunded in full with `charge_already_refunded`. Events
 * `refund.created` and `charge.refunded`. Credit notes and the API both refund through here.
 */
export async function createRefund(base: Ctx, request: RefundRequest): Promise<Refund> {
  if (request.charge === undefined && request.payment_intent === undefined) {
    throw fail('refund_target_missing', {});
  }
  const before = await chargeToRefund(base, request);
  const { ctx } = await onCustomerTime(base, before);
  const available = before.amount - before.amount_refunded;
  if (available <= 0) throw fail('charge_already_refunded', { charge: before.id });
  const amount = request.amount ?? available;
  if (amount > available) {
    throw fail(
      'refund_amount_too_large',
      { amount, available, currency: before.currency, refundedBefore: before.amount_refunded > 0 },
      'amount',
    );
  }
  const refund: Refund = {
    id: newId('re'),
    object: 'refund',
    amount,
    balance_transaction: null,
    charge: before.id,
    created: ctx.clock.now(),
    currency: before.currency,
    customer: idOf(before.customer as string | null),
    customer_account: null,
    destination_details: { type: 'card', card: { reference_status: 'pending', type: 'refund' } },
    metadata: mergeMetadata({}, request.metadata),
    payment_intent: idOf(before.payment_intent as string | null),
    payment_method: idOf(before.payment_method),
    reason: request.reason ?? null,
    receipt_number: null,
    source_transfer_reversal: null,
    status: 'succeeded',
    transfer_reversal: null,
    ...(request.instructions_email !== undefined ? { instructions_email: request.instructions_email } : {}),
  };
  const refunded = before.amount_refunded + amount;
  const charge: Charge = {
    ...before,
    amount_refunded: refunded,
    refunded: refunded === before.amount,
    ...(request.reason === 'fraudulent'
      ? { fraud_details: { ...before.fraud_details, user_report: 'fraudulent' as const } }
      : {}),
  };
  await insertRefund(ctx, refund);
  await saveCharge(ctx, charge);
  await emitEvent(ctx, 'refund.created', refund);
  await emitEvent(ctx, 'charge.refunded', charge, { before });
  return refund;
}
