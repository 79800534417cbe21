import { type Infer, listParams, p, searchParams } from '../../core/params.ts';
import { shipping } from '../customers/params.ts';
import { discountList, oneTimePriceData, period } from '../invoice-items/params.ts';
import { currency } from '../prices/params.ts';
import { taxRateIds } from '../tax-rates/params.ts';

const collectionMethod = p.enumOf(['charge_automatically', 'send_invoice']);
const customFields = p.clearable(
  p.array(
    p.object({
      name: p.required(p.string({ max: 40 })),
      value: p.required(p.string({ max: 140 })),
    }),
    { max: 4 },
  ),
);
const statementDescriptor = p.string({ max: 22 });
/** `rendering`, as InvoiceCreateParams.Rendering: stored and returned; the PDF is Portico's own. */
const rendering = p.object({
  amount_tax_display: p.clearable(p.enumOf(['exclude_tax', 'include_inclusive_tax'])),
  pdf: p.object({ page_size: p.enumOf(['a4', 'auto', 'letter']) }),
  template: p.string({ max: 5000 }),
  template_version: p.clearable(p.integer({ min: 1 })),
});

export const createInvoiceParams = p.object({
  auto_advance: p.boolean(),
  collection_method: collectionMethod,
  currency: currency(),
  custom_fields: customFields,
  customer: p.string(),
  customer_account: p.string(),
  days_until_due: p.integer({ min: 0, max: 730 }),
  default_payment_method: p.string(),
  default_tax_rates: p.array(p.string(), { max: 5 }),
  description: p.string({ max: 1500 }),
  discounts: discountList,
  due_date: p.integer({ min: 0 }),
  expand: p.array(p.string()),
  footer: p.string({ max: 5000 }),
  metadata: p.metadata(),
  pending_invoice_items_behavior: p.enumOf(['exclude', 'include']),
  rendering,
  shipping_details: shipping,
  statement_descriptor: statementDescriptor,
});

export const updateInvoiceParams = p.object({
  auto_advance: p.boolean(),
  collection_method: collectionMethod,
  custom_fields: customFields,
  days_until_due: p.integer({ min: 0, max: 730 }),
  default_payment_method: p.string(),
  default_tax_rates: taxRateIds,
  description: p.string({ max: 1500 }),
  discounts: discountList,
  due_date: p.integer({ min: 0 }),
  expand: p.array(p.string()),
  footer: p.string({ max: 5000 }),
  metadata: p.metadata(),
  rendering,
  shipping_details: p.clearable(shipping),
  statement_descriptor: statementDescriptor,
});

export const searchInvoiceParams = searchParams();
export type SearchInvoiceParams = Infer<typeof searchInvoiceParams>;

export const listInvoiceParams = listParams({
  collection_method: collectionMethod,
  customer: p.string(),
  customer_account: p.string(),
  due_date: p.range(),
  status: p.enumOf(['draft', 'open', 'paid', 'uncollectible', 'void']),
  subscription: p.string(),
});

export const listLinesParams = listParams({});

export const payInvoiceParams = p.object({
  expand: p.array(p.string()),
  forgive: p.boolean(),
  off_session: p.boolean(),
  paid_out_of_band: p.boolean(),
  payment_method: p.string(),
});

export const finalizeInvoiceParams = p.object({ auto_advance: p.boolean(), expand: p.array(p.string()) });

const previewItem = p.object({
  clear_usage: p.boolean(),
  deleted: p.boolean(),
  discounts: discountList,
  id: p.string(),
  metadata: p.metadata(),
  // The legacy name of `price`.
  plan: p.string(),
  price: p.string(),
  tax_rates: taxRateIds,
  price_data: p.object({
    currency: p.required(currency()),
    product: p.required(p.string()),
    recurring: p.required(
      p.object({
        interval: p.required(p.enumOf(['day', 'week', 'month', 'year'])),
        interval_count: p.integer({ min: 1 }),
      }),
    ),
    tax_behavior: p.enumOf(['exclusive', 'inclusive', 'unspecified']),
    unit_amount: p.amount({ min: 0 }),
    unit_amount_decimal: p.amountDecimal({ min: 0 }),
  }),
  quantity: p.quantity(),
});

/** `billing_cycle_anchor`: `{type: now|unchanged}` in the pinned types, the bare word in older SDKs. */
const anchor = {
  optional: true,
  parse(value: unknown, path: string): 'now' | 'unchanged' {
    const word = p.enumOf(['now', 'unchanged']);
    if (typeof value === 'string') return word.parse(value, path);
    return p.object({ type: p.required(word) }).parse(value, path).type;
  },
} as const;

export const previewInvoiceParams = p.object({
  currency: currency(),
  customer: p.string(),
  customer_account: p.string(),
  discounts: discountList,
  expand: p.array(p.string()),
  invoice_items: p.array(
    p.object({
      amount: p.amount(),
      currency: currency(),
      description: p.string({ max: 5000 }),
      discountable: p.boolean(),
      discounts: discountList,
      invoiceitem: p.string(),
      metadata: p.metadata(),
      period,
      price: p.string(),
      price_data: oneTimePriceData,
      quantity: p.quantity(),
      tax_rates: taxRateIds,
      unit_amount: p.amount(),
      unit_amount_decimal: p.amountDecimal(),
    }),
    { max: 250 },
  ),
  preview_mode: p.enumOf(['next', 'recurring']),
  subscription: p.string(),
  subscription_details: p.object({
    billing_cycle_anchor: anchor,
    cancel_at_period_end: p.boolean(),
    cancel_now: p.boolean(),
    default_tax_rates: taxRateIds,
    items: p.array(previewItem, { max: 20 }),
    proration_behavior: p.enumOf(['always_invoice', 'create_prorations', 'none']),
    proration_date: p.integer({ min: 0 }),
    resume_at: p.enumOf(['now']),
    trial_end: p.timestamp({ now: true }),
  }),
});

export const listInvoicePaymentParams = listParams({
  invoice: p.string(),
  payment: p.object({ payment_intent: p.string(), type: p.required(p.enumOf(['payment_intent'])) }),
  status: p.enumOf(['canceled', 'open', 'paid']),
});

export type CreateInvoiceParams = Infer<typeof createInvoiceParams>;
export type UpdateInvoiceParams = Infer<typeof updateInvoiceParams>;
export type ListInvoiceParams = Infer<typeof listInvoiceParams>;
export type ListLinesParams = Infer<typeof listLinesParams>;
export type PayInvoiceParams = Infer<typeof payInvoiceParams>;
export type FinalizeInvoiceParams = Infer<typeof finalizeInvoiceParams>;
export type PreviewInvoiceParams = Infer<typeof previewInvoiceParams>;
export type PreviewItemParams = Infer<typeof previewItem>;
export type ListInvoicePaymentParams = Infer<typeof listInvoicePaymentParams>;
