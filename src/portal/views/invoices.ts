import type Stripe from 'stripe';
import type { InvoicePdfView } from '../../billing/invoices/pdf/index.ts';
import type { HostedTax } from '../../billing/portal/hosted/invoices.ts';
import { addressLines } from '../ui/components/address.tsx';
import { taxIdTypeName } from '../ui/components/billing.tsx';
import type {
  FieldError,
  HostedInvoiceView,
  I18n,
  InvoiceLineView,
  InvoiceListView,
  InvoicePayView,
  InvoiceRowView,
  InvoiceStatus,
  PageChrome,
} from '../ui/index.ts';
import { addressView, invoiceRow, paymentMethodView } from './home.ts';

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** The path of an invoice's hosted page (`/i/<id>/<secret>`), on whatever origin serves it. */
export const hostedInvoicePath = (invoice: Stripe.Invoice): string | null =>
  invoice.hosted_invoice_url ? new URL(invoice.hosted_invoice_url).pathname : null;

/** One page of the invoice history, with links to the newer and older pages. */
export function invoiceListView(
  page: PageChrome,
  base: string,
  invoices: { data: Stripe.Invoice[]; hasNewer: boolean; hasOlder: boolean },
  now: number,
): InvoiceListView {
  const items: InvoiceRowView[] = invoices.data.map((invoice) => invoiceRow(invoice, base, now));
  const first = invoices.data[0];
  const last = invoices.data.at(-1);
  return {
    page,
    items,
    newerUrl:
      invoices.hasNewer && first ? `${base}/invoices?ending_before=${encodeURIComponent(first.id!)}` : null,
    olderUrl:
      invoices.hasOlder && last ? `${base}/invoices?starting_after=${encodeURIComponent(last.id!)}` : null,
    backUrl: page.homeUrl ?? null,
  };
}

/** What the hosted invoice page and its PDF are built from. */
export interface HostedInvoiceData {
  invoice: Stripe.Invoice;
  /** The business the invoice is from (its account, or `on_behalf_of`'s). */
  business: Stripe.Account;
  /** The customer's saved cards (offered by the pay form). */
  cards: Stripe.PaymentMethod[];
  /** The customer's default payment method, preselected. */
  defaultPaymentMethod: string | null;
  discounts: { name: string | null; amount: number }[];
  /** The invoice's taxes by rate (none without tax rates). */
  taxes?: HostedTax[];
  /** Now on the customer's clock. */
  now: number;
}

const businessAddress = (account: Stripe.Account) =>
  account.business_profile?.support_address ?? account.company?.address ?? null;

export const businessName = (account: Stripe.Account) =>
  account.business_profile?.name || account.settings?.dashboard?.display_name || account.id;

/** A tax's row label: the rate's name and percentage, marked when included in the prices. */
export function taxLabel(i: I18n, tax: HostedTax): string {
  const name = tax.name ?? i.t('pdf.tax');
  if (tax.percentage === null) return name;
  const percentage = new Intl.NumberFormat(i.locale, { maximumFractionDigits: 4 }).format(tax.percentage);
  return i.t(tax.inclusive ? 'hostedInvoice.taxInclusive' : 'hostedInvoice.taxExclusive', {
    name,
    percentage,
  });
}

/** The lines of an invoice as both the page and the PDF show them. */
function lines(invoice: Stripe.Invoice) {
  return invoice.lines.data.map((line) => {
    const unit = line.pricing?.unit_amount_decimal;
    const period = line.period && line.period.end > line.period.start ? line.period : null;
    return {
      description: line.description ?? '',
      quantity: line.quantity ?? null,
      unitAmount: unit !== null && unit !== undefined ? Math.round(Number(unit)) : null,
      amount: line.amount,
      period,
    };
  });
}

const issuedAt = (invoice: Stripe.Invoice) => invoice.status_transitions?.finalized_at ?? invoice.created;

/** The hosted invoice page's view: the invoice, and the pay form while it is open. */
export function hostedInvoiceView(
  page: PageChrome,
  i: I18n,
  data: HostedInvoiceData,
  form: {
    csrfToken: string;
    action: string;
    notice?: HostedInvoiceView['notice'];
    selected?: string | null;
    card?: InvoicePayView['card'];
    errors?: FieldError[];
  },
): HostedInvoiceView {
  const { invoice, business } = data;
  const money = (amount: number) => ({ amount, currency: invoice.currency });
  const status = (invoice.status ?? 'draft') as InvoiceStatus;
  const payable = invoice.status === 'open' && invoice.amount_remaining > 0;
  const lineViews: InvoiceLineView[] = lines(invoice).map((line) => ({
    description: line.description,
    quantity: line.quantity,
    unitAmount: line.unitAmount !== null ? money(line.unitAmount) : null,
    amount: money(line.amount),
    period: line.period,
  }));
  const shipping = invoice.customer_shipping;
  return {
    page,
    csrfToken: form.csrfToken,
    notice: form.notice ?? null,
    invoice: {
      number: invoice.number,
      status,
      date: issuedAt(invoice),
      dueDate: invoice.due_date,
      paidAt: invoice.status_transitions?.paid_at ?? null,
      overdue: invoice.status === 'open' && invoice.due_date !== null && invoice.due_date < data.now,
      memo: invoice.description,
      footer: invoice.footer,
      business: {
        name: businessName(business),
        email: business.business_profile?.support_email ?? null,
        phone: business.business_profile?.support_phone ?? null,
        address: addressView(businessAddress(business)),
      },
      customer: {
        name: invoice.customer_name,
        email: invoice.customer_email,
        address: addressView(invoice.customer_address),
        shipping: shipping ? { name: shipping.name, address: addressView(shipping.address) } : null,
        taxIds: (invoice.customer_tax_ids ?? []).map((t) => ({ type: t.type, value: t.value ?? '' })),
      },
      lines: lineViews,
      subtotal: money(invoice.subtotal),
      discounts: data.discounts.map((d) => ({
        name: d.name ?? i.t('pdf.discount'),
        amount: money(d.amount),
      })),
      taxes: (data.taxes ?? []).map((t) => ({ name: taxLabel(i, t), amount: money(t.amount) })),
      total: money(invoice.total),
      amountDue: money(invoice.amount_due),
      amountPaid: money(invoice.amount_paid),
      amountRemaining: money(invoice.amount_remaining),
      pdfUrl: invoice.invoice_pdf ? new URL(invoice.invoice_pdf).pathname : null,
      receiptUrl: null,
    },
    pay: payable
      ? {
          action: form.action,
          savedMethods: data.cards.map((pm) => paymentMethodView(pm, data.defaultPaymentMethod, data.now)),
          selected: form.selected ?? null,
          card: form.card,
          errors: form.errors ?? [],
        }
      : null,
  };
}

/** The invoice as its PDF shows it: every label, date and amount written out in the page's language. */
export function invoicePdfView(i: I18n, data: HostedInvoiceData, logo?: Uint8Array): InvoicePdfView {
  const { invoice, business } = data;
  const money = (amount: number) => i.money({ amount, currency: invoice.currency });
  const linesOf = (address: Stripe.Address | null | undefined) => {
    const view = addressView(address);
    return view ? addressLines(view, i) : [];
  };
  const status = (invoice.status ?? 'draft') as InvoiceStatus;
  const paidAt = invoice.status_transitions?.paid_at ?? null;
  const shipping = invoice.customer_shipping;
  const t = (key: Parameters<I18n['t']>[0]) => i.t(key);
  const headline =
    status === 'paid'
      ? i.t('pdf.headlinePaid', {
          amount: money(invoice.amount_paid),
          date: i.date(paidAt ?? issuedAt(invoice)),
        })
      : status === 'open' && invoice.due_date
        ? i.t('pdf.headlineDue', { amount: money(invoice.amount_remaining), date: i.date(invoice.due_date) })
        : undefined;
  const present = <T>(value: T | null | undefined): T | undefined => value ?? undefined;
  return {
    locale: i.locale,
    labels: {
      invoice: t('pdf.invoice'),
      invoiceNumber: t('pdf.invoiceNumber'),
      dateOfIssue: t('pdf.dateOfIssue'),
      dateDue: t('pdf.dateDue'),
      datePaid: t('pdf.datePaid'),
      billTo: t('pdf.billTo'),
      shipTo: t('pdf.shipTo'),
      description: t('pdf.description'),
      quantity: t('pdf.quantity'),
      unitPrice: t('pdf.unitPrice'),
      amount: t('pdf.amount'),
      subtotal: t('pdf.subtotal'),
      discount: t('pdf.discount'),
      tax: t('pdf.tax'),
      total: t('pdf.total'),
      amountDue: t('pdf.amountDue'),
      amountPaid: t('pdf.amountPaid'),
      amountRemaining: t('pdf.amountRemaining'),
      payOnline: t('pdf.payOnline'),
      // The renderer fills in the page numbers itself.
      page: i.t('pdf.page', { page: '{page}', pages: '{pages}' }),
      paid: t('pdf.paid'),
      void: t('pdf.void'),
      uncollectible: t('pdf.uncollectible'),
    },
    issuedAt: new Date(issuedAt(invoice) * 1000),
    number: invoice.number ?? invoice.id!,
    status,
    dates: {
      issued: i.date(issuedAt(invoice)),
      due: invoice.due_date ? i.date(invoice.due_date) : undefined,
      paid: status === 'paid' && paidAt ? i.date(paidAt) : undefined,
    },
    business: {
      name: businessName(business),
      addressLines: linesOf(businessAddress(business)),
      email: present(business.business_profile?.support_email),
      phone: present(business.business_profile?.support_phone),
      logo,
    },
    customer: {
      name: invoice.customer_name ?? invoice.customer_email ?? idOf(invoice.customer as string) ?? '',
      addressLines: linesOf(invoice.customer_address),
      email: present(invoice.customer_email),
      phone: present(invoice.customer_phone),
      taxIds: (invoice.customer_tax_ids ?? []).map((t) => `${taxIdTypeName(i, t.type)} ${t.value ?? ''}`),
      shippingLines: shipping
        ? [shipping.name ?? '', ...linesOf(shipping.address)].filter((l) => l !== '')
        : undefined,
    },
    headline,
    memo: present(invoice.description),
    lines: lines(invoice).map((line) => ({
      description: line.description,
      period: line.period
        ? i.t('hostedInvoice.period', { start: i.date(line.period.start), end: i.date(line.period.end) })
        : undefined,
      quantity: line.quantity !== null ? String(line.quantity) : undefined,
      unitPrice: line.unitAmount !== null ? money(line.unitAmount) : undefined,
      amount: money(line.amount),
    })),
    subtotal: money(invoice.subtotal),
    discounts: data.discounts.map((d) => ({
      label: d.name ?? undefined,
      amount: money(-Math.abs(d.amount)),
    })),
    taxes: (data.taxes ?? []).map((t) => ({ label: taxLabel(i, t), amount: money(t.amount) })),
    total: money(invoice.total),
    amountPaid: money(invoice.amount_paid),
    amountRemaining: money(invoice.amount_remaining),
    amountDue: money(invoice.amount_due),
    footer: present(invoice.footer),
    hostedInvoiceUrl: status === 'open' ? present(invoice.hosted_invoice_url) : undefined,
  };
}
