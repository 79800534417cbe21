import { type Infer, listParams, p } from '../../core/params.ts';
import { TAX_ID_TYPES } from './formats.ts';

/** Tax ID params, as typed by stripe@23.1.0's TaxIdCreateParams and CustomerCreateTaxIdParams. */

const taxIdType = p.enumOf(TAX_ID_TYPES);
const value = p.string({ max: 100 });

/** One entry of `tax_id_data[]` on customer create. */
export const taxIdDatum = p.object({ type: p.required(taxIdType), value: p.required(value) });

const owner = p.object({
  type: p.required(p.enumOf(['account', 'application', 'customer', 'self'])),
  account: p.string(),
  customer: p.string(),
  customer_account: p.string(),
});

export const createTaxIdParams = p.object({
  type: p.required(taxIdType),
  value: p.required(value),
  expand: p.array(p.string()),
  owner,
});

export const createCustomerTaxIdParams = p.object({
  type: p.required(taxIdType),
  value: p.required(value),
  expand: p.array(p.string()),
});

export const listTaxIdParams = listParams({ owner });
export const listCustomerTaxIdParams = listParams({});

export type TaxIdDatum = Infer<typeof taxIdDatum>;
export type TaxIdOwnerParam = Infer<typeof owner>;
export type CreateTaxIdParams = Infer<typeof createTaxIdParams>;
export type CreateCustomerTaxIdParams = Infer<typeof createCustomerTaxIdParams>;
export type ListTaxIdParams = Infer<typeof listTaxIdParams>;
export type ListCustomerTaxIdParams = Infer<typeof listCustomerTaxIdParams>;
