import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { newId, randomBase62 } from '../../core/ids.ts';
import type { Decline } from '../../payments/processor.ts';

/**
 * A new PaymentIntent in `requires_payment_method`: the invoice engine's when it first tries to
 * collect (its defaults), and the base of one made through the API.
 */
export function newPaymentIntent(
  ctx: Ctx,
  input: {
    amount: number;
    currency: string;
    customer: string | null;
    description: string | null;
    paymentMethod: string | null;
  },
): Stripe.PaymentIntent {
  const id = newId('pi');
  return {
    id,
    object: 'payment_intent',
    allowed_payment_method_types: null,
    amount: input.amount,
    amount_capturable: 0,
    amount_details: { tip: {} },
    amount_received: 0,
    application: null,
    application_fee_amount: null,
    automatic_payment_methods: null,
    canceled_at: null,
    cancellation_reason: null,
    capture_method: 'automatic',
    client_secret: `${id}_secret_${randomBase62(24)}`,
    confirmation_method: 'automatic',
    created: ctx.clock.now(),
    currency: input.currency,
    customer: input.customer,
    customer_account: null,
    description: input.description,
    excluded_payment_method_types: null,
    last_payment_error: null,
    latest_charge: null,
    livemode: ctx.scope.livemode,
    managed_payments: null,
    metadata: {},
    next_action: null,
    on_behalf_of: null,
    payment_method: input.paymentMethod,
    payment_method_configuration_details: null,
    payment_method_options: null,
    payment_method_types: ['card'],
    payment_record: null,
    processing: null,
    receipt_email: null,
    review: null,
    setup_future_usage: null,
    shipping: null,
    source: null,
    statement_descriptor: null,
    statement_descriptor_suffix: null,
    status: 'requires_payment_method',
    transfer_group: null,
  };
}

/**
 * One attempt to collect: a charge that succeeded or failed, with the card that was used.
 * `capture: false` (a PaymentIntent with `capture_method=manual`): the amount is only
 * authorized, and the charge is captured later.
 */
export function newCharge(
  ctx: Ctx,
  input: {
    intent: Stripe.PaymentIntent;
    paymentMethod: Stripe.PaymentMethod;
    decline: Decline | null;
    capture?: boolean;
  },
): Stripe.Charge {
  const { intent, paymentMethod, decline } = input;
  const captured = !decline && input.capture !== false;
  return {
    id: newId('ch'),
    object: 'charge',
    amount: intent.amount,
    amount_captured: captured ? intent.amount : 0,
    amount_refunded: 0,
    application: null,
    application_fee: null,
    application_fee_amount: null,
    balance_transaction: null,
    billing_details: paymentMethod.billing_details,
    calculated_statement_descriptor: 'PORTICO',
    captured,
    created: ctx.clock.now(),
    currency: intent.currency,
    customer: intent.customer,
    description: intent.description,
    disputed: false,
    failure_balance_transaction: null,
    failure_code: decline?.code ?? null,
    failure_message: decline?.message ?? null,
    fraud_details: {},
    livemode: ctx.scope.livemode,
    metadata: { ...intent.metadata },
    on_behalf_of: null,
    outcome: chargeOutcome(decline),
    paid: !decline,
    payment_intent: intent.id,
    payment_method: paymentMethod.id,
    payment_method_details: cardDetails(paymentMethod.card, decline ? null : intent.amount),
    receipt_email: intent.receipt_email,
    receipt_number: null,
    receipt_url: null,
    refunded: false,
    review: null,
    shipping: null,
    source: null,
    source_transfer: null,
    statement_descriptor: intent.statement_descriptor,
    statement_descriptor_suffix: intent.statement_descriptor_suffix,
    status: decline ? 'failed' : 'succeeded',
    transfer_data: null,
    transfer_group: null,
  };
}

/** What the network answered, as Stripe reports it: approved, or the issuer's decline. */
function chargeOutcome(decline: Decline | null): Stripe.Charge.Outcome {
  if (!decline) {
    return {
      advice_code: null,
      network_advice_code: null,
      network_decline_code: null,
      network_status: 'approved_by_network',
      reason: null,
      risk_level: 'normal',
      seller_message: 'Payment complete.',
      type: 'authorized',
    };
  }
  return {
    advice_code: decline.advice_code ?? null,
    network_advice_code: null,
    network_decline_code: null,
    network_status: 'declined_by_network',
    reason: decline.decline_code,
    risk_level: 'normal',
    seller_message: 'The bank did not return any further details with this decline.',
    type: 'issuer_declined',
  };
}

/**
 * The card as the charge shows it (a copy: the payment method may change later, the charge not),
 * with the amount authorized (null when declined). Null for a payment method without a card.
 */
function cardDetails(
  card: Stripe.PaymentMethod.Card | undefined,
  authorized: number | null,
): Stripe.Charge.PaymentMethodDetails | null {
  if (!card) return null;
  return {
    type: 'card',
    card: {
      amount_authorized: authorized,
      authorization_code: null,
      brand: card.brand,
      checks: card.checks,
      country: card.country,
      electronic_commerce_indicator: null,
      exp_month: card.exp_month,
      exp_year: card.exp_year,
      fingerprint: card.fingerprint,
      funding: card.funding,
      installments: null,
      last4: card.last4,
      mandate: null,
      network: card.networks?.preferred ?? card.brand,
      network_token: null,
      network_transaction_id: null,
      regulated_status: card.regulated_status,
      three_d_secure: null,
      transaction_link_id: null,
      wallet: null,
    },
  };
}
