import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { wireDecimal } from '../../core/decimal.ts';
import { errors, fail } from '../../core/errors.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { findObject } from '../../store/objects.ts';
import { requireInvoice } from '../invoices/store.ts';
import { taxObject } from '../invoices/totals.ts';
import {
  type CreditedAmounts,
  creditedLine,
  creditedTaxes,
  creditNoteTotals,
  type PaymentSplit,
  splitCreditNote,
} from '../math/credit-notes.ts';
import { type LineTax, lineTaxes, totalTaxes } from '../math/tax.ts';
import { applicableTaxRates } from '../tax-rates/service.ts';
import type { CreateCreditNoteParams, CreditNoteLineParam } from './params.ts';
import { invoiceCreditNotes } from './store.ts';

type CreditNote = Stripe.CreditNote;
type Line = Stripe.CreditNoteLineItem;

/** A credit note worked out from its params, before anything is written. */
export interface CreditNotePlan {
  invoice: Stripe.Invoice;
  note: CreditNote;
  split: PaymentSplit;
  refund: number;
  credit: number;
}

/** Where ids come from: fresh ones for a credit note that is made, stable ones for a preview. */
export interface PlanIds {
  note: string;
  line: (index: number) => string;
}

const CREDITABLE: Stripe.Invoice.Status[] = ['open', 'paid', 'uncollectible'];

/** Half away from zero, for a custom line's decimal unit amount times its quantity. */
const roundHalfAway = (value: number) => Math.sign(value) * Math.round(Math.abs(value));

/**
 * Taxes given as amounts (`tax_amounts`) are not supported: a credit note's taxes are always
 * worked out from the tax rates (the invoice line's, or a custom line's `tax_rates`).
 */
function refuseTaxAmounts(line: CreditNoteLineParam, path: string): void {
  if (line.tax_amounts?.length) throw fail('credit_note_tax_amounts_unsupported', {}, `${path}[tax_amounts]`);
}

function refuseField(line: CreditNoteLineParam, path: string, fields: (keyof CreditNoteLineParam)[]): void {
  for (const field of fields) {
    if (line[field] !== undefined) {
      throw fail(
        'credit_note_line_param_type',
        { field: `${path}[${field}]`, type: line.type },
        `${path}[${field}]`,
      );
    }
  }
}

/** What credit notes credited of an invoice line: its amount and each rate's tax. */
interface Credited {
  amount: number;
  taxes: Map<string, { amount: number; taxableAmount: number }>;
}

/** A line's or a credit note's taxes in the shape the maths use. */
function lineTaxesOf(taxes: readonly Stripe.CreditNoteLineItem.Tax[] | null | undefined): LineTax[] {
  return (taxes ?? []).map((t) => ({
    rate: t.tax_rate_details?.tax_rate ?? '',
    inclusive: t.tax_behavior === 'inclusive',
    amount: t.amount,
    taxableAmount: t.taxable_amount ?? 0,
  }));
}

function addCredit(credited: Map<string, Credited>, lineId: string, amount: number, taxes: LineTax[]): void {
  const entry = credited.get(lineId) ?? { amount: 0, taxes: new Map() };
  entry.amount += amount;
  for (const t of taxes) {
    const sum = entry.taxes.get(t.rate) ?? { amount: 0, taxableAmount: 0 };
    sum.amount += t.amount;
    sum.taxableAmount += t.taxableAmount;
    entry.taxes.set(t.rate, sum);
  }
  credited.set(lineId, entry);
}

/** What earlier credit notes that are not void credited of each invoice line. */
function creditedSoFar(earlier: CreditNote[]): Map<string, Credited> {
  const credited = new Map<string, Credited>();
  for (const note of earlier) {
    if (note.status === 'void') continue;
    for (const line of note.lines.data) {
      if (line.invoice_line_item)
        addCredit(credited, line.invoice_line_item, line.amount, lineTaxesOf(line.taxes));
    }
  }
  return credited;
}

/** An invoice line's tax rates, in its taxes' order (a rate deleted since is left out of `tax_rates`). */
async function invoiceLineRates(ctx: Ctx, line: Stripe.InvoiceLineItem): Promise<Stripe.TaxRate[]> {
  const out: Stripe.TaxRate[] = [];
  for (const tax of line.taxes ?? []) {
    const id = tax.tax_rate_details?.tax_rate;
    const rate = id ? await findObject<Stripe.TaxRate>(ctx.db, 'tax_rates', ctx.scope, id) : undefined;
    if (rate) out.push(rate);
  }
  return out;
}

interface BuiltLine {
  line: Line;
  amounts: CreditedAmounts;
  discounts: (string | Stripe.Discount | Stripe.DeletedDiscount)[];
}

async function invoiceLine(
  ctx: Ctx,
  invoice: Stripe.Invoice,
  param: CreditNoteLineParam,
  path: string,
  credited: Map<string, Credited>,
  id: string,
): Promise<BuiltLine> {
  refuseField(param, path, ['description', 'unit_amount', 'unit_amount_decimal']);
  if (param.tax_rates?.length) {
    throw fail(
      'credit_note_line_param_type',
      { field: `${path}[tax_rates]`, type: 'invoice_line_item' },
      `${path}[tax_rates]`,
    );
  }
  if (param.invoice_line_item === undefined) throw errors.parameterMissing(`${path}[invoice_line_item]`);
  if (param.amount !== undefined && param.quantity !== undefined) {
    throw fail('parameters_exclusive', { other: `${path}[quantity]` }, `${path}[amount]`);
  }
  const source = invoice.lines.data.find((l) => l.id === param.invoice_line_item);
  if (!source)
    throw errors.noSuchParam('invoice_line_item', param.invoice_line_item, `${path}[invoice_line_item]`);
  if (source.amount <= 0)
    throw fail('credit_note_line_not_creditable', { line: source.id }, `${path}[invoice_line_item]`);
  const amounts = creditedLine({
    lineAmount: source.amount,
    lineQuantity: source.quantity,
    discountAmounts: (source.discount_amounts ?? []).map((d) => d.amount),
    quantity: param.quantity,
    amount: param.amount,
  });
  const before = credited.get(source.id);
  const available = source.amount - (before?.amount ?? 0);
  if (amounts.amount > available) {
    throw fail(
      'credit_note_line_exceeds',
      { line: source.id, amount: amounts.amount, available, currency: invoice.currency },
      param.quantity !== undefined ? `${path}[quantity]` : `${path}[amount]`,
    );
  }
  const rates = await invoiceLineRates(ctx, source);
  amounts.taxes = creditedTaxes({
    base: amounts.amount - amounts.discountAmounts.reduce((s, d) => s + d, 0),
    rates: lineTaxesOf(source.taxes).map((t) => ({
      id: t.rate,
      inclusive: t.inclusive,
      percentage: rates.find((r) => r.id === t.rate)?.percentage ?? 0,
    })),
    rest: amounts.amount === available,
    lineTaxes: lineTaxesOf(source.taxes),
    creditedBefore: before?.taxes ?? new Map(),
  });
  addCredit(credited, source.id, amounts.amount, amounts.taxes);
  const discounts = (source.discount_amounts ?? []).map((d) => d.discount);
  const quantity = param.quantity ?? source.quantity;
  const unit = source.pricing?.unit_amount_decimal ?? null;
  return {
    amounts,
    discounts,
    line: {
      id,
      object: 'credit_note_line_item',
      amount: amounts.amount,
      description: source.description,
      discount_amount: amounts.discountAmounts.reduce((s, d) => s + d, 0),
      discount_amounts: amounts.discountAmounts.map((amount, i) => ({ amount, discount: discounts[i]! })),
      invoice_line_item: source.id,
      livemode: invoice.livemode,
      metadata: mergeMetadata({}, param.metadata),
      pretax_credit_amounts: amounts.discountAmounts.map((amount, i) => ({
        amount,
        discount: discounts[i]!,
        type: 'discount' as const,
      })),
      quantity: param.amount !== undefined ? null : quantity,
      tax_rates: rates,
      taxes: amounts.taxes.map(taxObject),
      type: 'invoice_line_item',
      unit_amount: param.amount !== undefined || unit === null ? null : Number(unit),
      unit_amount_decimal: param.amount !== undefined ? null : unit,
    },
  };
}

async function customLine(
  ctx: Ctx,
  livemode: boolean,
  param: CreditNoteLineParam,
  path: string,
  id: string,
): Promise<BuiltLine> {
  refuseField(param, path, ['amount', 'invoice_line_item']);
  if (param.description === undefined) throw errors.parameterMissing(`${path}[description]`);
  if (param.unit_amount !== undefined && param.unit_amount_decimal !== undefined) {
    throw fail('parameters_exclusive', { other: `${path}[unit_amount_decimal]` }, `${path}[unit_amount]`);
  }
  if (param.unit_amount === undefined && param.unit_amount_decimal === undefined) {
    throw errors.parameterMissing(`${path}[unit_amount]`);
  }
  const quantity = param.quantity ?? 1;
  const unitDecimal = param.unit_amount_decimal ?? String(param.unit_amount);
  const amount = roundHalfAway(Number(unitDecimal) * quantity);
  const rates = await applicableTaxRates(ctx, param.tax_rates || [], `${path}[tax_rates]`);
  const built = customLineOf(livemode, id, amount, param.description, quantity, unitDecimal, param.metadata);
  built.amounts.taxes = lineTaxes(amount, rates);
  built.line.tax_rates = rates;
  built.line.taxes = built.amounts.taxes.map(taxObject);
  return built;
}

function customLineOf(
  livemode: boolean,
  id: string,
  amount: number,
  description: string | null,
  quantity: number,
  unitDecimal: string,
  metadata?: Record<string, string | null> | null,
): BuiltLine {
  const unit = Number(unitDecimal);
  return {
    amounts: { amount, discountAmounts: [] },
    discounts: [],
    line: {
      id,
      object: 'credit_note_line_item',
      amount,
      description,
      discount_amount: 0,
      discount_amounts: [],
      livemode,
      metadata: mergeMetadata({}, metadata),
      pretax_credit_amounts: [],
      quantity,
      tax_rates: [],
      taxes: [],
      type: 'custom_line_item',
      unit_amount: Number.isInteger(unit) ? unit : null,
      unit_amount_decimal: wireDecimal(unitDecimal),
    },
  };
}

/** Linking refunds made beforehand (`refunds[]`) is not supported: every one is missing (use `refund_amount`). */
function refuseLinkedRefunds(params: CreateCreditNoteParams): void {
  for (const [i, r] of (params.refunds ?? []).entries()) {
    if (r.refund !== undefined) throw errors.noSuchParam('refund', r.refund, `refunds[${i}][refund]`);
    const record = r.payment_record_refund?.payment_record;
    if (record !== undefined) {
      throw errors.noSuchParam(
        'payment_record',
        record,
        `refunds[${i}][payment_record_refund][payment_record]`,
      );
    }
    throw errors.parameterMissing(`refunds[${i}][refund]`);
  }
}

function sumDiscounts(built: BuiltLine[]): Stripe.CreditNote.DiscountAmount[] {
  const byDiscount = new Map<string, Stripe.CreditNote.DiscountAmount>();
  for (const b of built) {
    b.amounts.discountAmounts.forEach((amount, i) => {
      const discount = b.discounts[i]!;
      const key = typeof discount === 'string' ? discount : discount.id;
      const entry = byDiscount.get(key);
      if (entry) entry.amount += amount;
      else byDiscount.set(key, { amount, discount });
    });
  }
  return [...byDiscount.values()];
}

/**
 * Works out a credit note on an invoice from create (or preview) params and the invoice's
 * earlier credit notes: its lines and amounts, how it divides between what is still due and what
 * was paid, and every refusal, all before anything is written.
 */
export async function planCreditNote(
  ctx: Ctx,
  params: CreateCreditNoteParams,
  ids: PlanIds,
  now: number,
): Promise<CreditNotePlan> {
  const invoice = await requireInvoice(ctx, params.invoice, 'invoice');
  if (!CREDITABLE.includes(invoice.status ?? 'draft')) {
    throw fail(
      'invoice_status_forbids',
      { action: 'credit', allowed: CREDITABLE, status: invoice.status },
      'invoice',
    );
  }
  if (params.shipping_cost?.shipping_rate !== undefined) {
    throw errors.noSuchParam(
      'shipping_rate',
      params.shipping_cost.shipping_rate,
      'shipping_cost[shipping_rate]',
    );
  }
  refuseLinkedRefunds(params);
  const earlier = await invoiceCreditNotes(ctx, invoice.id!);
  const credited = creditedSoFar(earlier);
  const built: BuiltLine[] = [];
  for (const [i, param] of (params.lines ?? []).entries()) {
    const path = `lines[${i}]`;
    refuseTaxAmounts(param, path);
    built.push(
      param.type === 'invoice_line_item'
        ? await invoiceLine(ctx, invoice, param, path, credited, ids.line(i))
        : await customLine(ctx, invoice.livemode, param, path, ids.line(i)),
    );
  }
  if (built.length === 0) {
    if (params.amount === undefined) throw fail('credit_note_amount_missing', {}, 'amount');
    // A credit note of an amount alone has one line of that amount (Portico rule).
    built.push(customLineOf(invoice.livemode, ids.line(0), params.amount, null, 1, String(params.amount)));
  }
  const totals = creditNoteTotals(built.map((b) => b.amounts));
  if (params.lines?.length && params.amount !== undefined && params.amount !== totals.total) {
    throw fail('credit_note_amount_mismatch', { amount: params.amount, linesTotal: totals.total }, 'amount');
  }
  if (totals.total <= 0)
    throw fail('credit_note_amount_not_positive', {}, params.lines?.length ? 'lines' : 'amount');
  const creditable =
    invoice.total - invoice.pre_payment_credit_notes_amount - invoice.post_payment_credit_notes_amount;
  if (totals.total > creditable) {
    throw fail(
      'credit_note_exceeds_invoice',
      { total: totals.total, creditable: Math.max(0, creditable), currency: invoice.currency },
      params.lines?.length ? 'lines' : 'amount',
    );
  }
  const split = splitCreditNote(totals.total, invoice.status === 'paid' ? 0 : invoice.amount_remaining);
  const refund = params.refund_amount ?? 0;
  const credit = params.credit_amount ?? 0;
  const outOfBand = params.out_of_band_amount ?? 0;
  if (refund + credit + outOfBand !== split.postPayment) {
    const param =
      params.refund_amount !== undefined
        ? 'refund_amount'
        : params.out_of_band_amount !== undefined
          ? 'out_of_band_amount'
          : 'credit_amount';
    throw fail(
      'credit_note_post_payment_mismatch',
      { postPayment: split.postPayment, sum: refund + credit + outOfBand, currency: invoice.currency },
      param,
    );
  }
  if (refund > 0) {
    const refunded = earlier
      .filter((n) => n.status !== 'void')
      .flatMap((n) => n.refunds)
      .reduce((s, r) => s + r.amount_refunded, 0);
    const refundable = invoice.amount_paid - refunded;
    if (refund > refundable) {
      throw fail(
        'credit_note_refund_exceeds',
        { amount: refund, refundable: Math.max(0, refundable), currency: invoice.currency },
        'refund_amount',
      );
    }
  }
  const sequence = String(earlier.length + 1).padStart(2, '0');
  const note: CreditNote = {
    id: ids.note,
    object: 'credit_note',
    amount: totals.total,
    amount_shipping: 0,
    created: now,
    currency: invoice.currency,
    customer: String(invoice.customer),
    customer_account: null,
    customer_balance_transaction: null,
    discount_amount: totals.discount,
    discount_amounts: sumDiscounts(built),
    effective_at: params.effective_at ?? now,
    invoice: invoice.id!,
    lines: {
      object: 'list',
      data: built.map((b) => b.line),
      has_more: false,
      url: `/v1/credit_notes/${ids.note}/lines`,
    },
    livemode: invoice.livemode,
    memo: params.memo ?? null,
    metadata: mergeMetadata({}, params.metadata),
    number: `${invoice.number}-CN-${sequence}`,
    out_of_band_amount: params.out_of_band_amount ?? null,
    pdf: '',
    post_payment_amount: split.postPayment,
    pre_payment_amount: split.prePayment,
    pretax_credit_amounts: sumDiscounts(built).map((d) => ({ ...d, type: 'discount' as const })),
    reason: params.reason ?? null,
    refunds: [],
    shipping_cost: null,
    status: 'issued',
    subtotal: totals.subtotal,
    subtotal_excluding_tax: totals.subtotalExcludingTax,
    total: totals.total,
    total_excluding_tax: totals.totalExcludingTax,
    total_taxes: totalTaxes(built.map((b) => b.amounts.taxes ?? [])).map(taxObject),
    type: split.type,
    voided_at: null,
  };
  return { invoice, note, split, refund, credit };
}
