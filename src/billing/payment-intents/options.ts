import type Stripe from 'stripe';
import type { CreatePaymentIntentParams } from './params.ts';

type Options = Stripe.PaymentIntent['payment_method_options'];
type CardParams = NonNullable<CreatePaymentIntentParams['payment_method_options']>['card'];

/**
 * `payment_method_options[card]`: what the caller asked (3D Secure, a card-only manual capture,
 * a card-only `setup_future_usage`; an empty value clears the last two) over what was there.
 */
export function cardOptions(current: Options, params: CardParams | undefined): Options {
  const card: NonNullable<NonNullable<Options>['card']> = {
    installments: null,
    mandate_options: null,
    network: null,
    request_three_d_secure: 'automatic',
    ...current?.card,
  };
  if (params?.request_three_d_secure) card.request_three_d_secure = params.request_three_d_secure;
  if (params?.capture_method === null) delete card.capture_method;
  else if (params?.capture_method) card.capture_method = params.capture_method;
  if (params?.setup_future_usage === null) delete card.setup_future_usage;
  else if (params?.setup_future_usage) card.setup_future_usage = params.setup_future_usage;
  return { ...current, card };
}

/** The capture method in force for a card payment: the card's own option wins. */
export function effectiveCapture(intent: Stripe.PaymentIntent): Stripe.PaymentIntent.CaptureMethod {
  return intent.payment_method_options?.card?.capture_method === 'manual' ? 'manual' : intent.capture_method;
}

/** The `setup_future_usage` in force for a card payment: the card's own option wins (`none` clears). */
export function effectiveSetupFutureUsage(
  intent: Stripe.PaymentIntent,
): Stripe.PaymentIntent.SetupFutureUsage | null {
  const card = intent.payment_method_options?.card?.setup_future_usage;
  if (card === 'none') return null;
  return card ?? intent.setup_future_usage;
}
