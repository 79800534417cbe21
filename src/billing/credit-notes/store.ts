import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';

type CreditNote = Stripe.CreditNote;

const indexed = (note: CreditNote) => ({ customer: String(note.customer), invoice: String(note.invoice) });

export async function insertCreditNote(ctx: Ctx, note: CreditNote): Promise<void> {
  await insertObject(ctx.db, 'credit_notes', ctx.scope, note, indexed(note));
}

export async function saveCreditNote(ctx: Ctx, note: CreditNote): Promise<void> {
  await updateObject(ctx.db, 'credit_notes', ctx.scope, note, indexed(note));
}

export async function requireCreditNote(ctx: Ctx, id: string): Promise<CreditNote> {
  const found = await findObject<CreditNote>(ctx.db, 'credit_notes', ctx.scope, id);
  if (!found) throw errors.noSuchPath('credit_note', id);
  return found;
}

/** Every credit note of an invoice, void ones included, oldest first. */
export async function invoiceCreditNotes(ctx: Ctx, invoice: string): Promise<CreditNote[]> {
  const rows = await ctx.db
    .selectFrom('credit_notes')
    .select('data')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('invoice', '=', invoice)
    .orderBy('seq')
    .execute();
  return rows.map((r) => JSON.parse(r.data) as CreditNote);
}
