import { type Infer, listParams, p } from '../../core/params.ts';
import { allowRedisplay, billingDetails } from '../payment-methods/params.ts';

/** SetupIntent params, as typed by stripe@23.1.0's SetupIntentCreateParams and friends. */

const types = p.array(p.string({ max: 100 }), { max: 20 });

const paymentMethodOptions = p.object({
  card: p.object({
    request_three_d_secure: p.enumOf(['any', 'automatic', 'challenge']),
  }),
});

const returnUrl = p.string({ max: 2048 });

export const createSetupIntentParams = p.object({
  allowed_payment_method_types: types,
  automatic_payment_methods: p.object({
    allow_redirects: p.enumOf(['always', 'never']),
    enabled: p.required(p.boolean()),
  }),
  confirm: p.boolean(),
  customer: p.string({ max: 5000 }),
  description: p.string({ max: 1000 }),
  expand: p.array(p.string()),
  metadata: p.metadata(),
  payment_method: p.string({ max: 5000 }),
  payment_method_options: paymentMethodOptions,
  // The name before API 2026-10-28 (`allowed_payment_method_types` since); still accepted.
  payment_method_types: types,
  return_url: returnUrl,
  usage: p.enumOf(['off_session', 'on_session']),
});

export const updateSetupIntentParams = p.object({
  allowed_payment_method_types: p.clearable(types),
  customer: p.string({ max: 5000 }),
  description: p.clearable(p.string({ max: 1000 })),
  expand: p.array(p.string()),
  metadata: p.metadata(),
  payment_method: p.string({ max: 5000 }),
  payment_method_options: paymentMethodOptions,
  payment_method_types: types,
});

/** `mandate_data`: the customer's acceptance of a mandate (cards need none: checked, not kept). */
const mandateData = p.clearable(
  p.object({
    customer_acceptance: p.object({
      accepted_at: p.integer({ min: 0 }),
      offline: p.object({}),
      online: p.object({ ip_address: p.string({ max: 45 }), user_agent: p.string({ max: 5000 }) }),
      type: p.required(p.enumOf(['offline', 'online'])),
    }),
  }),
);

/**
 * `payment_method_data`: a payment method made for this confirmation. `card` is not in the pinned
 * types (the server SDKs never send card data) but is what Stripe.js sends with a publishable key:
 * a token or, in test mode, a test card's details, as `POST /v1/payment_methods` takes them.
 */
export const paymentMethodData = p.object({
  allow_redisplay: allowRedisplay,
  billing_details: billingDetails,
  card: p.object({
    cvc: p.string({ max: 10 }),
    exp_month: p.integer(),
    exp_year: p.integer(),
    number: p.string({ max: 40 }),
    token: p.string({ max: 255 }),
  }),
  metadata: p.metadata(),
  type: p.required(p.string({ max: 100 })),
});

export const confirmSetupIntentParams = p.object({
  allowed_payment_method_types: types,
  // Sent by Stripe.js with a publishable key; with a secret key it must match when given.
  client_secret: p.string({ max: 5000 }),
  confirmation_token: p.string({ max: 5000 }),
  expand: p.array(p.string()),
  mandate_data: mandateData,
  payment_method: p.string({ max: 5000 }),
  payment_method_data: paymentMethodData,
  payment_method_options: paymentMethodOptions,
  return_url: returnUrl,
  use_stripe_sdk: p.boolean(),
});

export const cancelSetupIntentParams = p.object({
  cancellation_reason: p.enumOf(['abandoned', 'duplicate', 'requested_by_customer']),
  expand: p.array(p.string()),
});

export const retrieveSetupIntentParams = p.object({
  client_secret: p.string({ max: 5000 }),
  expand: p.array(p.string()),
});

export const listSetupIntentParams = listParams({
  customer: p.string({ max: 5000 }),
  payment_method: p.string({ max: 5000 }),
});

/** Portico's test helper for a 3D Secure challenge: the cardholder passes it or fails it. */
export const completeAuthenticationParams = p.object({
  expand: p.array(p.string()),
  outcome: p.required(p.enumOf(['fail', 'succeed'])),
});

export type CreateSetupIntentParams = Infer<typeof createSetupIntentParams>;
export type UpdateSetupIntentParams = Infer<typeof updateSetupIntentParams>;
export type ConfirmSetupIntentParams = Infer<typeof confirmSetupIntentParams>;
export type CancelSetupIntentParams = Infer<typeof cancelSetupIntentParams>;
export type RetrieveSetupIntentParams = Infer<typeof retrieveSetupIntentParams>;
export type ListSetupIntentParams = Infer<typeof listSetupIntentParams>;
export type CompleteAuthenticationParams = Infer<typeof completeAuthenticationParams>;
