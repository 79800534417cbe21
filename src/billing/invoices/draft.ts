import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { newId } from '../../core/ids.ts';
import { emitEvent } from '../../events/emit.ts';
import { claimItems, pendingItems } from '../invoice-items/store.ts';
import type { InvoiceDiscount } from '../math/discounts.ts';
import { pendingWithinCap } from './amount-cap.ts';
import { discountsById } from './discounts.ts';
import { invoiceLine, type LineInput } from './lines.ts';
import { insertInvoice } from './store.ts';
import { computeTotals } from './totals.ts';

/** Stripe finalizes a subscription's renewal draft about an hour after making it. */
export const FINALIZE_DELAY_SECONDS = 3600;

export interface DraftInput {
  customer: Stripe.Customer;
  currency: string;
  billingReason: Stripe.Invoice.BillingReason;
  lines: LineInput[];
  /** Pull the customer's pending invoice items for this subscription (or for none) onto it. */
  includePending: boolean;
  /** Pull only the subscription's own pending items (a one-off invoice that names it). */
  onlySubscriptionItems?: boolean;
  subscription?: Stripe.Subscription;
  collectionMethod: Stripe.Invoice.CollectionMethod;
  daysUntilDue: number | null;
  defaultPaymentMethod: string | null;
  discounts: InvoiceDiscount[];
  /** The tax rates of lines without their own (a subscription's `default_tax_rates`). */
  defaultTaxRates?: Stripe.TaxRate[];
  period: { start: number; end: number };
  /** Drafts the engine finalizes by itself after FINALIZE_DELAY_SECONDS (one-off ones: when asked). */
  autoAdvance: boolean;
  description?: string | null;
  metadata?: Stripe.Metadata;
  /** A chosen id, for discounts that must name the invoice before it is written. */
  id?: string;
  /** A due date given outright (`send_invoice`); otherwise `daysUntilDue` days from now. */
  dueDate?: number | null;
  footer?: string | null;
  statementDescriptor?: string | null;
  customFields?: Stripe.Invoice.CustomField[] | null;
  rendering?: Stripe.Invoice.Rendering | null;
  shippingDetails?: Stripe.Invoice.ShippingDetails | null;
}

/** What a new invoice is made of, once its lines are known: drafts and previews alike. */
export interface InvoiceInput extends Omit<DraftInput, 'lines' | 'includePending' | 'onlySubscriptionItems'> {
  id: string;
  lines: LineInput[];
  /** Each line's own discounts (an invoice item's), in line order. */
  lineDiscounts: InvoiceDiscount[][];
}

const idOf = (v: unknown) =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : (v as { id: string }).id;

/** A draft invoice with its lines and totals, written with an `invoice.created` event. */
export async function createDraft(ctx: Ctx, input: DraftInput): Promise<Stripe.Invoice> {
  const id = input.id ?? newId('in');
  const subscriptionId = input.subscription?.id ?? null;
  const found = input.includePending
    ? await pendingItems(ctx, input.customer.id, subscriptionId, input.currency, {
        onlySubscription: input.onlySubscriptionItems,
      })
    : [];
  // A renewal leaves out the items that would take it past the maximum (amount-cap.ts); an
  // invoice someone asked for is refused instead.
  const pending =
    input.billingReason === 'subscription_cycle'
      ? pendingWithinCap(
          input.lines.reduce((sum, l) => sum + l.amount, 0),
          found,
        )
      : found;
  const lines = [...input.lines, ...(await claimItems(ctx, pending, id))];
  const lineDiscounts: InvoiceDiscount[][] = [];
  for (const line of lines) lineDiscounts.push(await discountsById(ctx, line.discounts ?? []));
  const invoice = buildInvoice(ctx, { ...input, id, lines, lineDiscounts });
  await insertInvoice(ctx, invoice);
  await emitEvent(ctx, 'invoice.created', invoice);
  return invoice;
}

/** The invoice object with its lines and totals, written nowhere (a draft's, or a preview's). */
export function buildInvoice(ctx: Ctx, input: InvoiceInput): Stripe.Invoice {
  const now = ctx.clock.now();
  const id = input.id;
  const customer = input.customer;
  const invoice: Stripe.Invoice = {
    id,
    object: 'invoice',
    account_country: null,
    account_name: null,
    account_tax_ids: null,
    amount_due: 0,
    amount_overpaid: 0,
    amount_paid: 0,
    amount_remaining: 0,
    amount_shipping: 0,
    application: null,
    attempt_count: 0,
    attempted: false,
    auto_advance: input.autoAdvance,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null, provider: null, status: null },
    automatically_finalizes_at: input.autoAdvance ? now + FINALIZE_DELAY_SECONDS : null,
    billing_reason: input.billingReason,
    collection_method: input.collectionMethod,
    created: now,
    currency: input.currency,
    custom_fields: input.customFields ?? null,
    customer: customer.id,
    customer_account: null,
    customer_address: customer.address ?? null,
    customer_email: customer.email,
    customer_name: customer.name ?? null,
    customer_phone: customer.phone ?? null,
    customer_shipping: customer.shipping ?? null,
    customer_tax_exempt: customer.tax_exempt ?? 'none',
    customer_tax_ids: [],
    default_payment_method: input.defaultPaymentMethod,
    default_source: null,
    default_tax_rates: input.defaultTaxRates ?? [],
    description: input.description ?? null,
    discounts: [],
    due_date:
      input.collectionMethod === 'send_invoice'
        ? (input.dueDate ?? now + (input.daysUntilDue ?? 30) * 86_400)
        : null,
    effective_at: null,
    ending_balance: null,
    footer: input.footer ?? null,
    from_invoice: null,
    hosted_invoice_url: null,
    invoice_pdf: null,
    issuer: { type: 'self' },
    last_finalization_error: null,
    latest_revision: null,
    lines: { object: 'list', data: [], has_more: false, url: `/v1/invoices/${id}/lines` },
    livemode: ctx.scope.livemode,
    metadata: input.metadata ?? {},
    next_payment_attempt: null,
    number: null,
    on_behalf_of: input.subscription?.on_behalf_of ?? null,
    parent: input.subscription
      ? {
          type: 'subscription_details',
          quote_details: null,
          subscription_details: {
            metadata: input.subscription.metadata,
            subscription: input.subscription.id,
          },
        }
      : null,
    payment_settings: { default_mandate: null, payment_method_options: null, payment_method_types: null },
    payments: { object: 'list', data: [], has_more: false, url: `/v1/invoice_payments?invoice=${id}` },
    period_end: input.period.end,
    period_start: input.period.start,
    post_payment_credit_notes_amount: 0,
    pre_payment_credit_notes_amount: 0,
    receipt_number: null,
    rendering: input.rendering ?? null,
    shipping_cost: null,
    shipping_details: input.shippingDetails ?? null,
    starting_balance: 0,
    statement_descriptor: input.statementDescriptor ?? null,
    status: 'draft',
    status_transitions: { finalized_at: null, marked_uncollectible_at: null, paid_at: null, voided_at: null },
    subtotal: 0,
    subtotal_excluding_tax: 0,
    test_clock: idOf(customer.test_clock),
    total: 0,
    total_discount_amounts: [],
    total_excluding_tax: 0,
    total_pretax_credit_amounts: [],
    total_taxes: [],
    webhooks_delivered_at: null,
  };
  invoice.lines.data = input.lines.map((l) => invoiceLine(l, id, input.currency, ctx.scope.livemode));
  computeTotals(
    invoice,
    input.discounts,
    customer.balance,
    input.lineDiscounts,
    input.lines.map((l) => l.taxRates ?? []),
  );
  return invoice;
}
