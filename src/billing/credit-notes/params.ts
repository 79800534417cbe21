import { type Infer, listParams, p } from '../../core/params.ts';

/**
 * Credit note params, as typed by stripe@23.1.0's CreditNoteCreateParams, CreditNotePreviewParams,
 * CreditNoteListPreviewLineItemsParams (the same fields) and the list, update and void params.
 */

const reason = p.enumOf(['duplicate', 'fraudulent', 'order_change', 'product_unsatisfactory']);

const taxAmount = p.object({
  amount: p.required(p.amount({ min: 0 })),
  tax_rate: p.required(p.string()),
  taxable_amount: p.required(p.amount({ min: 0 })),
});

export const creditNoteLine = p.object({
  type: p.required(p.enumOf(['custom_line_item', 'invoice_line_item'])),
  amount: p.amount({ min: 0 }),
  description: p.string({ max: 5000 }),
  invoice_line_item: p.string(),
  metadata: p.metadata(),
  quantity: p.quantity(),
  tax_amounts: p.clearable(p.array(taxAmount)),
  tax_rates: p.clearable(p.array(p.string())),
  unit_amount: p.amount({ min: 0 }),
  unit_amount_decimal: p.amountDecimal({ min: 0 }),
});

const refund = p.object({
  amount_refunded: p.amount({ min: 0 }),
  payment_record_refund: p.object({
    payment_record: p.required(p.string()),
    refund_group: p.required(p.string()),
  }),
  refund: p.string(),
  type: p.enumOf(['payment_record_refund', 'refund']),
});

const creditNoteShape = {
  invoice: p.required(p.string()),
  amount: p.amount({ min: 0 }),
  credit_amount: p.amount({ min: 0 }),
  effective_at: p.integer({ min: 0 }),
  email_type: p.enumOf(['credit_note', 'none']),
  expand: p.array(p.string()),
  lines: p.array(creditNoteLine, { max: 250 }),
  memo: p.string({ max: 5000 }),
  metadata: p.metadata(),
  out_of_band_amount: p.amount({ min: 0 }),
  reason,
  refund_amount: p.amount({ min: 0 }),
  refunds: p.array(refund, { max: 50 }),
  shipping_cost: p.object({ shipping_rate: p.string() }),
};

export const createCreditNoteParams = p.object(creditNoteShape);
export const previewCreditNoteParams = createCreditNoteParams;
export const previewCreditNoteLinesParams = p.object({
  ...creditNoteShape,
  ending_before: p.string(),
  limit: p.integer({ min: 1, max: 100 }),
  starting_after: p.string(),
});

export const updateCreditNoteParams = p.object({
  expand: p.array(p.string()),
  memo: p.string({ max: 5000 }),
  metadata: p.metadata(),
});

export const listCreditNoteParams = listParams({
  customer: p.string(),
  customer_account: p.string(),
  invoice: p.string(),
});

export const listCreditNoteLinesParams = listParams({});

export type CreateCreditNoteParams = Infer<typeof createCreditNoteParams>;
export type CreditNoteLineParam = Infer<typeof creditNoteLine>;
export type PreviewCreditNoteLinesParams = Infer<typeof previewCreditNoteLinesParams>;
export type UpdateCreditNoteParams = Infer<typeof updateCreditNoteParams>;
export type ListCreditNoteParams = Infer<typeof listCreditNoteParams>;
export type ListCreditNoteLinesParams = Infer<typeof listCreditNoteLinesParams>;
