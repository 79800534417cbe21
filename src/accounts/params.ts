import { type Infer, listParams, p } from '../core/params.ts';

const color = p.clearable(
  p.string({
    max: 7,
    pattern: /^#[0-9a-fA-F]{6}$/,
    invalid: 'color_invalid',
  }),
);
const fileId = p.clearable(p.string({ pattern: /^file_\w+$/, invalid: 'file_id_invalid' }));

const businessProfile = p.object({
  mcc: p.clearable(p.string({ max: 4, pattern: /^\d{4}$/, invalid: 'mcc_invalid' })),
  name: p.clearable(p.string({ max: 200 })),
  product_description: p.clearable(p.string({ max: 40000 })),
  support_email: p.clearable(p.string({ max: 800 })),
  support_phone: p.clearable(p.string({ max: 20 })),
  support_url: p.clearable(p.string({ max: 5000 })),
  url: p.clearable(p.string({ max: 5000 })),
});

const settings = p.object({
  branding: p.object({ icon: fileId, logo: fileId, primary_color: color, secondary_color: color }),
  dashboard: p.object({
    display_name: p.clearable(p.string({ max: 200 })),
    timezone: p.clearable(p.string()),
  }),
});

const common = {
  business_profile: businessProfile,
  business_type: p.clearable(p.enumOf(['company', 'government_entity', 'individual', 'non_profit'])),
  default_currency: p.string({ max: 3, pattern: /^[a-zA-Z]{3}$/, invalid: 'account_currency_invalid' }),
  email: p.clearable(p.string({ max: 5000 })),
  expand: p.array(p.string()),
  metadata: p.metadata(),
  settings,
};

export const createAccountParams = p.object({
  ...common,
  type: p.enumOf(['custom', 'express', 'standard']),
  country: p.string({ max: 2, pattern: /^[A-Za-z]{2}$/, invalid: 'account_country_invalid' }),
  capabilities: p.object({
    card_payments: p.object({ requested: p.boolean() }),
    transfers: p.object({ requested: p.boolean() }),
  }),
});

export const updateAccountParams = p.object(common);

export const listAccountParams = listParams({});

export type CreateAccountParams = Infer<typeof createAccountParams>;
export type UpdateAccountParams = Infer<typeof updateAccountParams>;
export type ListAccountParams = Infer<typeof listAccountParams>;
