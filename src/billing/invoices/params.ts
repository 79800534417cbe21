import { type Infer, listParams, p } from '../../core/params.ts';

export const listInvoiceParams = listParams({
  collection_method: p.enumOf(['charge_automatically', 'send_invoice']),
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

export type ListInvoiceParams = Infer<typeof listInvoiceParams>;
export type ListLinesParams = Infer<typeof listLinesParams>;
export type PayInvoiceParams = Infer<typeof payInvoiceParams>;
export type FinalizeInvoiceParams = Infer<typeof finalizeInvoiceParams>;
