import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { findObject, updateObject } from '../../store/objects.ts';
import { recordBalanceMove } from '../balance-transactions/record.ts';
import { saveInvoice } from './store.ts';

/**
 * What a finalized invoice did to its customer's balance is undone when it is voided (Stripe's
 * `unapplied_from_invoice`): credit it used comes back, credit it handed out goes away.
 */
async function unapplyBalance(ctx: Ctx, invoice: Stripe.Invoice): Promise<void> {
  if (invoice.ending_balance === null) return;
  const change = invoice.ending_balance - invoice.starting_balance;
  if (change === 0) return;
  const customer = await findObject<Stripe.Customer | Stripe.DeletedCustomer>(
    ctx.db,
    'customers',
    ctx.scope,
    String(invoice.customer),
  );
  if (!customer || customer.deleted) return;
  const updated: Stripe.Customer = { ...customer, balance: customer.balance - change };
  await updateObject(ctx.db, 'customers', ctx.scope, updated);
  await recordBalanceMove(ctx, {
    customer: updated,
    amount: -change,
    type: 'unapplied_from_invoice',
    currency: invoice.currency,
    invoice: invoice.id ?? null,
  });
  await emitEvent(ctx, 'customer.updated', updated, { before: customer });
}

/** Voids an invoice: nothing more is owed or attempted on it. */
export async function voidInvoice(ctx: Ctx, invoice: Stripe.Invoice): Promise<Stripe.Invoice> {
  const before = structuredClone(invoice);
  if (invoice.status === 'open' || invoice.status === 'uncollectible') await unapplyBalance(ctx, invoice);
  invoice.status = 'void';
  invoice.status_transitions.voided_at = ctx.clock.now();
  invoice.next_payment_attempt = null;
  invoice.amount_remaining = 0;
  invoice.auto_advance = false;
  await saveInvoice(ctx, invoice);
  await emitEvent(ctx, 'invoice.voided', invoice, { before });
  return invoice;
}

/** Marks an open invoice uncollectible: no more automatic attempts, though it can still be paid. */
export async function markUncollectible(ctx: Ctx, invoice: Stripe.Invoice): Promise<Stripe.Invoice> {
  const before = structuredClone(invoice);
  invoice.status = 'uncollectible';
  invoice.status_transitions.marked_uncollectible_at = ctx.clock.now();
  invoice.next_payment_attempt = null;
  invoice.auto_advance = false;
  await saveInvoice(ctx, invoice);
  await emitEvent(ctx, 'invoice.marked_uncollectible', invoice, { before });
  return invoice;
}
