import { type Infer, p } from '../../core/params.ts';

/** Payment method params, as typed by stripe@23.1.0's PaymentMethodCreateParams and friends. */

const address = p.object({
  city: p.clearable(p.string({ max: 200 })),
  country: p.clearable(
    p.string({
      max: 2,
      pattern: /^[A-Za-z]{2}$/,
      invalid: 'country_invalid',
    }),
  ),
  line1: p.clearable(p.string({ max: 200 })),
  line2: p.clearable(p.string({ max: 200 })),
  postal_code: p.clearable(p.string({ max: 20 })),
  state: p.clearable(p.string({ max: 200 })),
});

export const billingDetails = p.object({
  address: p.clearable(address),
  email: p.clearable(p.string({ max: 800 })),
  name: p.clearable(p.string({ max: 5000 })),
  phone: p.clearable(p.string({ max: 50 })),
  tax_id: p.string({ max: 100 }),
});

const NETWORKS = ['cartes_bancaires', 'mastercard', 'visa'] as const;

export const allowRedisplay = p.enumOf(['always', 'limited', 'unspecified']);

export const createPaymentMethodParams = p.object({
  allow_redisplay: allowRedisplay,
  billing_details: billingDetails,
  card: p.object({
    cvc: p.string({ max: 10 }),
    exp_month: p.integer(),
    exp_year: p.integer(),
    networks: p.object({ preferred: p.enumOf(NETWORKS) }),
    number: p.string({ max: 40 }),
    token: p.string({ max: 255 }),
  }),
  expand: p.array(p.string()),
  metadata: p.metadata(),
  type: p.required(p.string({ max: 100 })),
});

export const updatePaymentMethodParams = p.object({
  allow_redisplay: allowRedisplay,
  billing_details: billingDetails,
  card: p.object({
    exp_month: p.integer(),
    exp_year: p.integer(),
    networks: p.object({ preferred: p.clearable(p.enumOf(NETWORKS)) }),
  }),
  expand: p.array(p.string()),
  metadata: p.metadata(),
});

export const attachPaymentMethodParams = p.object({
  customer: p.required(p.string({ max: 5000 })),
  expand: p.array(p.string()),
});

/** Payment method lists page by cursor only: Stripe's list takes no `created` filter. */
const paging = {
  ending_before: p.string(),
  expand: p.array(p.string()),
  limit: p.integer({ min: 1, max: 100 }),
  starting_after: p.string(),
};

export const listPaymentMethodParams = p.object({
  ...paging,
  allow_redisplay: allowRedisplay,
  customer: p.string({ max: 5000 }),
  type: p.string({ max: 100 }),
});

export const listCustomerPaymentMethodParams = p.object({
  ...paging,
  allow_redisplay: allowRedisplay,
  type: p.string({ max: 100 }),
});

export type BillingDetailsParams = Infer<typeof billingDetails>;
export type CreatePaymentMethodParams = Infer<typeof createPaymentMethodParams>;
export type UpdatePaymentMethodParams = Infer<typeof updatePaymentMethodParams>;
export type AttachPaymentMethodParams = Infer<typeof attachPaymentMethodParams>;
export type ListPaymentMethodParams = Infer<typeof listPaymentMethodParams>;
export type ListCustomerPaymentMethodParams = Infer<typeof listCustomerPaymentMethodParams>;
