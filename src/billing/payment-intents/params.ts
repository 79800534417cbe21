import { type Infer, listParams, p, type Schema, searchParams } from '../../core/params.ts';
import { currency } from '../prices/params.ts';
import { paymentMethodData } from '../setup-intents/params.ts';

/** PaymentIntent params, as typed by stripe@23.1.0's PaymentIntentCreateParams and friends. */

const types = p.array(p.string({ max: 100 }), { max: 20 });
const id = () => p.string({ max: 5000 });

/** `off_session`: a boolean, or `one_off` / `recurring` (both mean the customer is away). */
const offSession = (): Schema<boolean | 'one_off' | 'recurring'> => ({
  optional: true,
  parse(value, path) {
    if (value === 'one_off' || value === 'recurring') return value;
    return p.boolean().parse(value, path);
  },
});

const paymentMethodOptions = p.object({
  card: p.object({
    capture_method: p.clearable(p.enumOf(['manual'])),
    request_three_d_secure: p.enumOf(['any', 'automatic', 'challenge']),
    setup_future_usage: p.clearable(p.enumOf(['none', 'off_session', 'on_session'])),
  }),
});

const automaticPaymentMethods = p.object({
  allow_redirects: p.enumOf(['always', 'never']),
  enabled: p.required(p.boolean()),
});

const captureMethod = p.enumOf(['automatic', 'automatic_async', 'manual']);
const setupFutureUsage = p.enumOf(['off_session', 'on_session']);
const returnUrl = p.string({ max: 2048 });
const descriptor = p.string({ max: 22 });
const suffix = p.string({ max: 22 });

export const createPaymentIntentParams = p.object({
  amount: p.required(p.integer({ min: 1 })),
  currency: p.required(currency()),
  allowed_payment_method_types: types,
  automatic_payment_methods: automaticPaymentMethods,
  capture_method: captureMethod,
  confirm: p.boolean(),
  confirmation_method: p.enumOf(['automatic', 'manual']),
  customer: id(),
  description: p.string({ max: 1000 }),
  error_on_requires_action: p.boolean(),
  expand: p.array(p.string()),
  metadata: p.metadata(),
  off_session: offSession(),
  payment_method: id(),
  payment_method_options: paymentMethodOptions,
  // The name before API 2026-10-28 (`allowed_payment_method_types` since); still accepted.
  payment_method_types: types,
  receipt_email: p.string({ max: 800 }),
  return_url: returnUrl,
  setup_future_usage: setupFutureUsage,
  statement_descriptor: descriptor,
  statement_descriptor_suffix: suffix,
  use_stripe_sdk: p.boolean(),
});

export const updatePaymentIntentParams = p.object({
  allowed_payment_method_types: types,
  amount: p.integer({ min: 1 }),
  capture_method: captureMethod,
  currency: currency(),
  customer: id(),
  description: p.clearable(p.string({ max: 1000 })),
  expand: p.array(p.string()),
  metadata: p.metadata(),
  payment_method: id(),
  payment_method_options: paymentMethodOptions,
  payment_method_types: types,
  receipt_email: p.clearable(p.string({ max: 800 })),
  setup_future_usage: p.clearable(setupFutureUsage),
  statement_descriptor: descriptor,
  statement_descriptor_suffix: suffix,
});

export const confirmPaymentIntentParams = p.object({
  capture_method: captureMethod,
  client_secret: p.string({ max: 5000 }),
  error_on_requires_action: p.boolean(),
  expand: p.array(p.string()),
  off_session: offSession(),
  payment_method: id(),
  payment_method_data: paymentMethodData,
  payment_method_options: paymentMethodOptions,
  receipt_email: p.clearable(p.string({ max: 800 })),
  return_url: returnUrl,
  setup_future_usage: p.clearable(setupFutureUsage),
  use_stripe_sdk: p.boolean(),
});

export const capturePaymentIntentParams = p.object({
  amount_to_capture: p.integer({ min: 1 }),
  expand: p.array(p.string()),
  final_capture: p.boolean(),
  metadata: p.metadata(),
  statement_descriptor: descriptor,
  statement_descriptor_suffix: suffix,
});

export const cancelPaymentIntentParams = p.object({
  cancellation_reason: p.enumOf(['abandoned', 'duplicate', 'fraudulent', 'requested_by_customer']),
  expand: p.array(p.string()),
});

export const retrievePaymentIntentParams = p.object({
  client_secret: p.string({ max: 5000 }),
  expand: p.array(p.string()),
});

export const listPaymentIntentParams = listParams({ customer: p.string(), customer_account: p.string() });

export const searchPaymentIntentParams = searchParams();

/** Portico's test helper for a 3D Secure challenge: the cardholder passes it or fails it. */
export const completePaymentAuthenticationParams = p.object({
  expand: p.array(p.string()),
  outcome: p.required(p.enumOf(['fail', 'succeed'])),
});

export type CreatePaymentIntentParams = Infer<typeof createPaymentIntentParams>;
export type UpdatePaymentIntentParams = Infer<typeof updatePaymentIntentParams>;
export type ConfirmPaymentIntentParams = Infer<typeof confirmPaymentIntentParams>;
export type CapturePaymentIntentParams = Infer<typeof capturePaymentIntentParams>;
export type CancelPaymentIntentParams = Infer<typeof cancelPaymentIntentParams>;
export type RetrievePaymentIntentParams = Infer<typeof retrievePaymentIntentParams>;
export type ListPaymentIntentParams = Infer<typeof listPaymentIntentParams>;
export type SearchPaymentIntentParams = Infer<typeof searchPaymentIntentParams>;
export type CompletePaymentAuthenticationParams = Infer<typeof completePaymentAuthenticationParams>;
