import { type Infer, listParams, p, searchParams } from '../../core/params.ts';
import { taxIdDatum } from '../tax-ids/params.ts';

/** Customer params, as typed by stripe@23.1.0's CustomerCreateParams / CustomerUpdateParams. */

export const address = p.object({
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

export const shipping = p.object({
  address: p.required(address),
  name: p.required(p.string({ max: 5000 })),
  phone: p.clearable(p.string({ max: 20 })),
});

const invoiceSettings = p.object({
  custom_fields: p.clearable(
    p.array(
      p.object({ name: p.required(p.string({ max: 40 })), value: p.required(p.string({ max: 140 })) }),
      {
        max: 4,
      },
    ),
  ),
  default_payment_method: p.clearable(p.string()),
  footer: p.clearable(p.string()),
  rendering_options: p.clearable(
    p.object({
      amount_tax_display: p.clearable(p.enumOf(['exclude_tax', 'include_inclusive_tax'])),
      template: p.clearable(p.string()),
    }),
  ),
});

const tax = p.object({
  ip_address: p.clearable(p.string({ max: 45 })),
  validate_location: p.enumOf(['auto', 'deferred', 'immediately']),
});

const LOCALE = /^[a-z]{2,3}(-[A-Za-z0-9]{2,8})*$/;

/** Fields shared by create and update. */
const common = {
  address: p.clearable(address),
  balance: p.integer(),
  business_name: p.clearable(p.string({ max: 150 })),
  description: p.clearable(p.string({ max: 350 })),
  email: p.clearable(p.string({ max: 512 })),
  expand: p.array(p.string()),
  individual_name: p.clearable(p.string({ max: 150 })),
  invoice_prefix: p.string({
    max: 12,
    pattern: /^[A-Z0-9]{3,12}$/,
    invalid: 'invoice_prefix_invalid',
  }),
  invoice_settings: invoiceSettings,
  metadata: p.metadata(),
  name: p.clearable(p.string({ max: 256 })),
  next_invoice_sequence: p.integer({ min: 1, max: 1_000_000_000 }),
  phone: p.clearable(p.string({ max: 20 })),
  preferred_locales: p.clearable(
    p.array(p.string({ max: 20, pattern: LOCALE, invalid: 'locale_invalid' }), {
      max: 20,
    }),
  ),
  shipping: p.clearable(shipping),
  source: p.string(),
  tax: tax,
  tax_exempt: p.clearable(p.enumOf(['exempt', 'none', 'reverse'])),
  validate: p.boolean(),
};

export const createCustomerParams = p.object({
  ...common,
  payment_method: p.string(),
  tax_id_data: p.array(taxIdDatum, { max: 25 }),
  test_clock: p.string(),
});

export const updateCustomerParams = p.object({
  ...common,
  default_source: p.clearable(p.string()),
});

export const listCustomerParams = listParams({
  email: p.string({ max: 512 }),
  test_clock: p.string(),
});

export const searchCustomerParams = searchParams();

export type CreateCustomerParams = Infer<typeof createCustomerParams>;
export type UpdateCustomerParams = Infer<typeof updateCustomerParams>;
export type ListCustomerParams = Infer<typeof listCustomerParams>;
export type SearchCustomerParams = Infer<typeof searchCustomerParams>;
