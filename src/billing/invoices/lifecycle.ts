import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { saveInvoice } from './store.ts';

/** Voids an invoice: nothing more is owed or attempted on it. */
export async function voidInvoice(ctx: Ctx, invoice: Stripe.Invoice): Promise<Stripe.Invoice> {
  const before = structuredClone(invoice);
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
