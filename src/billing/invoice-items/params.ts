import { type Infer, listParams, p } from '../../core/params.ts';
import { currency } from '../prices/params.ts';
import { taxRateIds } from '../tax-rates/params.ts';

const discount = p.object({ coupon: p.string(), discount: p.string(), promotion_code: p.string() });
export const discountList = p.clearable(p.array(discount, { max: 20 }));

export const period = p.object({
  end: p.required(p.integer({ min: 0 })),
  start: p.required(p.integer({ min: 0 })),
});

/** `price_data` of an invoice item: a one-time price made for it alone. */
export const oneTimePriceData = p.object({
  currency: p.required(currency()),
  product: p.required(p.string()),
  tax_behavior: p.enumOf(['exclusive', 'inclusive', 'unspecified']),
  unit_amount: p.amount({ min: 0 }),
  unit_amount_decimal: p.amountDecimal({ min: 0 }),
});

/** What prices an invoice item; exactly one of these four is given on create. */
const pricingFields = {
  amount: p.amount(),
  price_data: oneTimePriceData,
  pricing: p.object({ price: p.string() }),
  quantity: p.quantity(),
  unit_amount_decimal: p.amountDecimal(),
};

export const createInvoiceItemParams = p.object({
  ...pricingFields,
  currency: currency(),
  customer: p.string(),
  customer_account: p.string(),
  description: p.string({ max: 5000 }),
  discountable: p.boolean(),
  discounts: discountList,
  expand: p.array(p.string()),
  invoice: p.string(),
  metadata: p.metadata(),
  period,
  subscription: p.string(),
  tax_rates: p.array(p.string(), { max: 5 }),
});

export const updateInvoiceItemParams = p.object({
  ...pricingFields,
  description: p.string({ max: 5000 }),
  discountable: p.boolean(),
  discounts: discountList,
  expand: p.array(p.string()),
  metadata: p.metadata(),
  period,
  tax_rates: taxRateIds,
});

export const listInvoiceItemParams = listParams({
  customer: p.string(),
  customer_account: p.string(),
  invoice: p.string(),
  pending: p.boolean(),
});

export type CreateInvoiceItemParams = Infer<typeof createInvoiceItemParams>;
export type UpdateInvoiceItemParams = Infer<typeof updateInvoiceItemParams>;
export type ListInvoiceItemParams = Infer<typeof listInvoiceItemParams>;
export type OneTimePriceDataParams = Infer<typeof oneTimePriceData>;
export type DiscountListParams = Infer<typeof discountList>;
