import type Stripe from 'stripe';
import type { InvoicePdfView } from '../../billing/invoices/pdf/index.ts';
import type { HostedTax } from '../../billing/portal/hosted/invoices.ts';
import type { I18n } from '../ui/index.ts';
import { type HostedInvoiceData, invoicePdfView, taxLabel } from './invoices.ts';

/**
 * A credit note's PDF: the invoice PDF's layout, parties and branding, with the credit note's
 * title, number, date (`effective_at`), lines, taxes by rate (`taxes`: its `total_taxes`, named as
 * their rates are now) and total credited. A void credit note is stamped.
 */
export function creditNotePdfView(
  i: I18n,
  data: HostedInvoiceData,
  note: Stripe.CreditNote,
  taxes: HostedTax[],
  logo?: Uint8Array,
): InvoicePdfView {
  const base = invoicePdfView(i, data, logo);
  const money = (amount: number) => i.money({ amount, currency: note.currency });
  const issued = note.effective_at ?? note.created;
  return {
    ...base,
    labels: {
      ...base.labels,
      invoice: i.t('pdf.creditNote'),
      invoiceNumber: i.t('pdf.creditNoteNumber'),
      amountDue: i.t('pdf.creditNoteTotal'),
    },
    issuedAt: new Date(issued * 1000),
    number: note.number,
    status: note.status === 'void' ? 'void' : 'open',
    dates: { issued: i.date(issued) },
    headline: i.t('pdf.creditNoteHeadline', { number: data.invoice.number ?? data.invoice.id ?? '' }),
    memo: note.memo ?? undefined,
    lines: note.lines.data.map((line) => ({
      description: line.description ?? note.memo ?? '',
      quantity: line.quantity !== null ? String(line.quantity) : undefined,
      unitPrice: line.unit_amount !== null ? money(line.unit_amount) : undefined,
      amount: money(line.amount),
    })),
    subtotal: money(note.subtotal),
    discounts: note.discount_amount > 0 ? [{ amount: money(-note.discount_amount) }] : [],
    taxes: taxes.map((t) => ({ label: taxLabel(i, t), amount: money(t.amount) })),
    total: money(note.total),
    amountPaid: undefined,
    amountRemaining: undefined,
    amountDue: money(note.total),
    footer: undefined,
    hostedInvoiceUrl: undefined,
  };
}
