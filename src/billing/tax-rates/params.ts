import { type Infer, listParams, p } from '../../core/params.ts';

/** Tax rate params, as typed by stripe@23.1.0's TaxRateCreateParams / TaxRateUpdateParams. */

const TAX_TYPES = [
  'admissions_tax',
  'amusement_tax',
  'attendance_tax',
  'communications_tax',
  'digital_excise_tax',
  'entertainment_tax',
  'get_fund',
  'gross_receipts_tax',
  'gst',
  'hospitality_tax',
  'hst',
  'igst',
  'jct',
  'lease_tax',
  'luxury_tax',
  'mass_transit_parking_tax',
  'nhil',
  'parking_tax',
  'pst',
  'qst',
  'resort_tax',
  'retail_delivery_fee',
  'rst',
  'sales_tax',
  'service_tax',
  'tourism_tax',
  'utility_users_tax',
  'vat',
] as const;

const country = p.string({ max: 2, pattern: /^[A-Za-z]{2}$/, invalid: 'country_invalid' });
/** ISO 3166-2 subdivision code without the country prefix (`NY`). */
const state = p.string({ max: 3, pattern: /^[A-Za-z0-9]{1,3}$/ });
const shownFields = {
  active: p.boolean(),
  country,
  description: p.string({ max: 5000 }),
  display_name: p.string({ max: 50 }),
  expand: p.array(p.string()),
  jurisdiction: p.string({ max: 50 }),
  state,
  tax_type: p.enumOf(TAX_TYPES),
};

export const createTaxRateParams = p.object({
  ...shownFields,
  display_name: p.required(p.string({ max: 50 })),
  inclusive: p.required(p.boolean()),
  metadata: p.metadata(),
  percentage: p.required(p.decimal({ min: 0 })),
});

export const updateTaxRateParams = p.object({ ...shownFields, metadata: p.metadata() });

export const listTaxRateParams = listParams({ active: p.boolean(), inclusive: p.boolean() });

/** Where a tax rate list is given (`default_tax_rates`, `tax_rates`): up to 5 ids, or "" to clear. */
export const taxRateIds = p.clearable(p.array(p.string(), { max: 5 }));

export type CreateTaxRateParams = Infer<typeof createTaxRateParams>;
export type UpdateTaxRateParams = Infer<typeof updateTaxRateParams>;
export type ListTaxRateParams = Infer<typeof listTaxRateParams>;
