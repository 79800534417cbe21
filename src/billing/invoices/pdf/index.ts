export { paperSizeFor, renderInvoicePdf } from './render.ts';
export type {
  InvoicePdfAmount,
  InvoicePdfLabels,
  InvoicePdfLine,
  InvoicePdfParty,
  InvoicePdfStatus,
  InvoicePdfView,
} from './view.ts';
