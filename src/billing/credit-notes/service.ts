import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, listObject, pageQuery } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { type Filter, findObject, listObjectTexts, updateObject } from '../../store/objects.ts';
import { recordBalanceMove } from '../balance-transactions/record.ts';
import { refuseAccountsV2 } from '../invoices/create.ts';
import { markPaid } from '../invoices/paid.ts';
import { requireInvoice, saveInvoice } from '../invoices/store.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { planCreditNote } from './build.ts';
import type {
  CreateCreditNoteParams,
  ListCreditNoteLinesParams,
  ListCreditNoteParams,
  PreviewCreditNoteLinesParams,
  UpdateCreditNoteParams,
} from './params.ts';
import { refundForCreditNote } from './refund.ts';
import { insertCreditNote, requireCreditNote, saveCreditNote } from './store.ts';

type CreditNote = Stripe.CreditNote;

async function liveCustomer(ctx: Ctx, id: string): Promise<Stripe.Customer | undefined> {
  const found = await findObject<Stripe.Customer | Stripe.DeletedCustomer>(
    ctx.db,
    'customers',
    ctx.scope,
    id,
  );
  return found && !found.deleted ? found : undefined;
}

/** The context on the invoice's customer's time (its test clock), and that customer if it lives. */
async function onInvoiceTime(base: Ctx, invoiceId: string, param?: string) {
  const invoice = await requireInvoice(base, invoiceId, param);
  const customer = await liveCustomer(base, String(invoice.customer));
  return { ctx: customer ? await ctxForCustomer(base, customer) : base, customer };
}

/** The credit note's PDF, under the invoice's hosted page (whose secret makes it unguessable). */
function pdfUrl(invoice: Stripe.Invoice, id: string): string {
  return invoice.hosted_invoice_url ? `${invoice.hosted_invoice_url}/credit_notes/${id}/pdf` : '';
}

/** Moves a customer's balance by `amount` for a credit note, with its balance transaction. */
async function moveBalance(
  ctx: Ctx,
  customer: Stripe.Customer,
  note: CreditNote,
  amount: number,
): Promise<Stripe.CustomerBalanceTransaction> {
  const updated: Stripe.Customer = { ...customer, balance: customer.balance + amount };
  const transaction = await recordBalanceMove(ctx, {
    customer: updated,
    amount,
    type: 'credit_note',
    currency: note.currency,
    invoice: String(note.invoice),
    creditNote: note.id,
  });
  await updateObject(ctx.db, 'customers', ctx.scope, updated);
  await emitEvent(ctx, 'customer.updated', updated, { before: customer });
  return transaction;
}

/**
 * `POST /v1/credit_notes`: what is still due on the invoice is reduced first (`pre_payment`);
 * the rest is refunded, credited to the customer's balance or recorded as settled out of band.
 * An invoice left with nothing to pay is paid.
 */
export async function createCreditNote(base: Ctx, params: CreateCreditNoteParams): Promise<CreditNote> {
  const { ctx, customer } = await onInvoiceTime(base, params.invoice, 'invoice');
  const id = newId('cn');
  const plan = await planCreditNote(ctx, params, { note: id, line: () => newId('cnli') }, ctx.clock.now());
  const { invoice, note, split } = plan;
  note.pdf = pdfUrl(invoice, id);
  if (plan.credit > 0) {
    if (!customer) throw errors.noSuchParam('customer', String(invoice.customer), 'credit_amount');
    note.customer_balance_transaction = (await moveBalance(ctx, customer, note, -plan.credit)).id;
  }
  if (plan.refund > 0) await refundForCreditNote(ctx, note, invoice, plan.refund);
  await insertCreditNote(ctx, note);
  await emitEvent(ctx, 'credit_note.created', note);

  const before = structuredClone(invoice);
  invoice.pre_payment_credit_notes_amount += split.prePayment;
  invoice.post_payment_credit_notes_amount += split.postPayment;
  invoice.amount_due -= split.prePayment;
  invoice.amount_remaining -= split.prePayment;
  await saveInvoice(ctx, invoice);
  await emitEvent(ctx, 'invoice.updated', invoice, { before });
  if (invoice.status !== 'paid' && invoice.amount_remaining === 0) {
    await markPaid(ctx, invoice, invoice.amount_paid);
  }
  return note;
}

/** `GET /v1/credit_notes/preview`: the credit note create would make, written nowhere. */
export async function previewCreditNote(base: Ctx, params: CreateCreditNoteParams): Promise<CreditNote> {
  const { ctx } = await onInvoiceTime(base, params.invoice, 'invoice');
  // Stable line ids, so that the preview's lines page the same way on every call.
  const plan = await planCreditNote(
    ctx,
    params,
    { note: 'cn_preview', line: (i) => `cnli_preview_${i + 1}` },
    ctx.clock.now(),
  );
  if (plan.credit > 0) {
    plan.note.customer_balance_transaction = null;
  }
  return plan.note;
}

function pageLines(
  lines: Stripe.CreditNoteLineItem[],
  params: { limit?: number; starting_after?: string; ending_before?: string },
  url: string,
): ListObject<Stripe.CreditNoteLineItem> {
  const query = pageQuery(params);
  let start = 0;
  let end = lines.length;
  if (query.startingAfter !== undefined) {
    const i = lines.findIndex((l) => l.id === query.startingAfter);
    if (i < 0) throw errors.noSuchParam('credit_note_line_item', query.startingAfter, 'starting_after');
    start = i + 1;
  }
  if (query.endingBefore !== undefined) {
    const i = lines.findIndex((l) => l.id === query.endingBefore);
    if (i < 0) throw errors.noSuchParam('credit_note_line_item', query.endingBefore, 'ending_before');
    end = i;
    start = Math.max(0, end - query.limit);
  }
  const data = lines.slice(start, Math.min(end, start + query.limit));
  return listObject({ data, hasMore: start + data.length < end }, url);
}

/** `GET /v1/credit_notes/preview/lines`. */
export async function previewCreditNoteLines(
  ctx: Ctx,
  params: PreviewCreditNoteLinesParams,
): Promise<ListObject<Stripe.CreditNoteLineItem>> {
  const note = await previewCreditNote(ctx, params);
  return pageLines(note.lines.data, params, '/v1/credit_notes/preview/lines');
}

export function retrieveCreditNote(ctx: Ctx, id: string): Promise<CreditNote> {
  return requireCreditNote(ctx, id);
}

/** `GET /v1/credit_notes/:id/lines`. */
export async function listCreditNoteLines(
  ctx: Ctx,
  id: string,
  params: ListCreditNoteLinesParams,
): Promise<ListObject<Stripe.CreditNoteLineItem>> {
  const note = await requireCreditNote(ctx, id);
  return pageLines(note.lines.data, params, `/v1/credit_notes/${id}/lines`);
}

/** `POST /v1/credit_notes/:id`: `memo` and `metadata`, with `credit_note.updated`. */
export async function updateCreditNote(
  ctx: Ctx,
  id: string,
  params: UpdateCreditNoteParams,
): Promise<CreditNote> {
  const before = await requireCreditNote(ctx, id);
  const note = structuredClone(before);
  if (params.memo !== undefined) note.memo = params.memo;
  note.metadata = mergeMetadata(note.metadata ?? {}, params.metadata);
  await saveCreditNote(ctx, note);
  await emitEvent(ctx, 'credit_note.updated', note, { before });
  return note;
}

/**
 * `POST /v1/credit_notes/:id/void`: undoes what the credit note did. What it took off the amount
 * due is owed again, and credit it gave the customer is taken back (a `credit_note` balance
 * transaction). Refused once refunded, or when it reduced an invoice that has been paid since.
 */
export async function voidCreditNote(base: Ctx, id: string): Promise<CreditNote> {
  const found = await requireCreditNote(base, id);
  const { ctx, customer } = await onInvoiceTime(base, String(found.invoice));
  const invoice = await requireInvoice(ctx, String(found.invoice));
  const refuse = (reason: 'void' | 'refunded' | 'invoice_paid') =>
    fail('credit_note_void_refused', { creditNote: id, reason });
  if (found.status === 'void') throw refuse('void');
  if (found.refunds.length > 0) throw refuse('refunded');
  if (found.pre_payment_amount > 0 && invoice.status === 'paid') throw refuse('invoice_paid');
  const note = structuredClone(found);
  note.status = 'void';
  note.voided_at = ctx.clock.now();
  const transactionId = found.customer_balance_transaction;
  if (transactionId && customer) {
    const given = await findObject<Stripe.CustomerBalanceTransaction>(
      ctx.db,
      'customer_balance_transactions',
      ctx.scope,
      String(transactionId),
    );
    if (given) await moveBalance(ctx, customer, note, -given.amount);
  }
  const before = structuredClone(invoice);
  invoice.pre_payment_credit_notes_amount -= found.pre_payment_amount;
  invoice.post_payment_credit_notes_amount -= found.post_payment_amount;
  invoice.amount_due += found.pre_payment_amount;
  invoice.amount_remaining += found.pre_payment_amount;
  await saveInvoice(ctx, invoice);
  await emitEvent(ctx, 'invoice.updated', invoice, { before });
  await saveCreditNote(ctx, note);
  await emitEvent(ctx, 'credit_note.voided', note, { before: found });
  return note;
}

/** `GET /v1/credit_notes`: newest first, by `customer`, `invoice` and `created`. */
export async function listCreditNotes(
  ctx: Ctx,
  params: ListCreditNoteParams,
): Promise<JsonText<ListObject<CreditNote>>> {
  refuseAccountsV2(params.customer_account);
  const where: Record<string, Filter> = {};
  if (params.customer !== undefined) where.customer = params.customer;
  if (params.invoice !== undefined) where.invoice = params.invoice;
  const page = await listObjectTexts(ctx.db, 'credit_notes', ctx.scope, pageQuery(params), where);
  return listJson<CreditNote>(page, '/v1/credit_notes');
}

/** A credit note of the given invoice, for its PDF under the invoice's hosted page. */
export async function invoiceCreditNote(
  ctx: Ctx,
  invoiceId: string,
  id: string,
): Promise<CreditNote | undefined> {
  const note = await findObject<CreditNote>(ctx.db, 'credit_notes', ctx.scope, id);
  return note && note.invoice === invoiceId ? note : undefined;
}
