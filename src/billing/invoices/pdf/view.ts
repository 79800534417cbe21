/**
 * What an invoice PDF shows, already written out in the reader's language: every label, date and
 * amount is a finished string, so the renderer formats nothing and knows nothing of Stripe objects.
 * Optional parts that are missing (or empty) are left out of the page.
 */
export interface InvoicePdfView {
  /** BCP 47 tag of the language the strings are written in: "de", "en-GB", "zh-TW", "pt-BR"… */
  locale: string;
  /** Paper size; by default Letter for US and Canadian English and French ("en", "en-US", "en-CA", "fr-CA"), A4 elsewhere. */
  paperSize?: 'A4' | 'LETTER';
  labels: InvoicePdfLabels;
  /**
   * When the invoice was finalized. Written as the document's creation date; the document's ID
   * derives from it and the number, so one invoice always renders to the same bytes.
   */
  issuedAt: Date;
  /** The invoice number, e.g. "ABCD1234-0001". */
  number: string;
  /** Paid and void invoices carry a stamp (labels.paid, labels.void); so does uncollectible when labels.uncollectible is given. */
  status: InvoicePdfStatus;
  dates: {
    issued: string;
    due?: string;
    paid?: string;
  };
  business: InvoicePdfParty & {
    /** PNG or JPEG bytes, drawn top right within 160 × 48 pt. */
    logo?: Uint8Array;
  };
  customer: InvoicePdfParty & {
    /** The shipping address (name first), shown as a third column under labels.shipTo. */
    shippingLines?: string[];
  };
  /** The line above the table, e.g. "€1,234.56 due 31 March 2026" or "€1,234.56 paid on 2 March 2026". */
  headline?: string;
  /** The invoice's description (Stripe's `description`, shown as a memo above the lines). */
  memo?: string;
  lines: InvoicePdfLine[];
  subtotal: string;
  /** Each discount, e.g. { label: "SPRING (20% off)", amount: "−€10.00" }; label defaults to labels.discount. */
  discounts?: InvoicePdfAmount[];
  /** Each tax, e.g. { label: "VAT (19% on €100.00)", amount: "€19.00" }; label defaults to labels.tax. */
  taxes?: InvoicePdfAmount[];
  total: string;
  amountPaid?: string;
  amountRemaining?: string;
  amountDue: string;
  /** The invoice's footer text, printed after the totals. */
  footer?: string;
  /** The hosted invoice page; shown as a "pay online" link while the invoice is open. */
  hostedInvoiceUrl?: string;
}

export type InvoicePdfStatus = 'draft' | 'open' | 'paid' | 'void' | 'uncollectible';

export interface InvoicePdfParty {
  name: string;
  addressLines?: string[];
  email?: string;
  phone?: string;
  /** Formatted tax IDs, e.g. "DE VAT DE123456789". */
  taxIds?: string[];
}

export interface InvoicePdfLine {
  description: string;
  /** The service period, e.g. "1 Mar 2026 – 31 Mar 2026", printed under the description. */
  period?: string;
  quantity?: string;
  unitPrice?: string;
  amount: string;
}

export interface InvoicePdfAmount {
  label?: string;
  amount: string;
}

export interface InvoicePdfLabels {
  invoice: string;
  invoiceNumber: string;
  dateOfIssue: string;
  dateDue: string;
  datePaid?: string;
  billTo: string;
  shipTo?: string;
  description: string;
  quantity: string;
  unitPrice: string;
  amount: string;
  subtotal: string;
  discount: string;
  tax?: string;
  total: string;
  amountDue: string;
  amountPaid: string;
  amountRemaining: string;
  /** The link text to the hosted invoice page, e.g. "Pay online". */
  payOnline?: string;
  /** Page numbering with {page} and {pages} in it, e.g. "Page {page} of {pages}". */
  page: string;
  /** Stamp texts. */
  paid: string;
  void: string;
  uncollectible?: string;
}
