import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';

type Invoice = Stripe.Invoice;

/**
 * When the engine next has work for an invoice: a draft that finalizes by itself, or an open
 * invoice whose payment is retried. Nothing otherwise.
 */
function nextActionAt(invoice: Invoice): number | null {
  if (invoice.status === 'draft' && invoice.auto_advance) return invoice.automatically_finalizes_at;
  if (
    invoice.status === 'open' &&
    invoice.collection_method === 'charge_automatically' &&
    invoice.auto_advance
  ) {
    return invoice.next_payment_attempt;
  }
  return null;
}

const idOf = (v: string | { id: string } | null) => (v === null ? null : typeof v === 'string' ? v : v.id);

function indexed(invoice: Invoice) {
  return {
    customer: idOf(invoice.customer as string | { id: string }) ?? '',
    subscription: idOf((invoice.parent?.subscription_details?.subscription as string | null) ?? null),
    status: invoice.status ?? 'draft',
    collection_method: invoice.collection_method,
    due_date: invoice.due_date,
    test_clock: idOf(invoice.test_clock as string | null) ?? '',
    next_action_at: nextActionAt(invoice),
  };
}

export async function insertInvoice(ctx: Ctx, invoice: Invoice): Promise<void> {
  await insertObject(ctx.db, 'invoices', ctx.scope, invoice, indexed(invoice));
}

export async function saveInvoice(ctx: Ctx, invoice: Invoice): Promise<void> {
  await updateObject(ctx.db, 'invoices', ctx.scope, invoice, indexed(invoice));
}

/** An invoice for a path (404) or a param (400). */
export async function requireInvoice(ctx: Ctx, id: string, param?: string): Promise<Invoice> {
  const found = await findObject<Invoice & { deleted?: true }>(ctx.db, 'invoices', ctx.scope, id);
  if (!found || found.deleted)
    throw param ? errors.noSuchParam('invoice', id, param) : errors.noSuchPath('invoice', id);
  return found;
}

/** The subscription an invoice bills, if any. */
export function invoiceSubscription(invoice: Invoice): string | null {
  return idOf((invoice.parent?.subscription_details?.subscription as string | null) ?? null);
}

/** A deleted draft keeps its row (its id stays taken) and answers 404 from then on. */
export async function markInvoiceDeleted(ctx: Ctx, id: string): Promise<Stripe.DeletedInvoice> {
  const gone: Stripe.DeletedInvoice = { id, object: 'invoice', deleted: true };
  await updateObject(ctx.db, 'invoices', ctx.scope, gone, { deleted: 1, next_action_at: null });
  return gone;
}
