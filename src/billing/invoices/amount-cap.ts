import type Stripe from 'stripe';
import { fail } from '../../core/errors.ts';
import { MAX_AMOUNT } from '../../core/limits.ts';

/**
 * Stripe's per-invoice maximum (core/limits.ts `MAX_AMOUNT`, $999,999.99) held on every invoice
 * Portico makes or changes: a line, the subtotal or the total past it either way is refused with
 * `amount_too_large`, so the write that would make such an invoice (an invoice with pending items,
 * an item added to a draft, a subscription's first invoice) fails and nothing of it is kept.
 */
export function checkInvoiceAmounts(invoice: Stripe.Invoice): void {
  const over = (amount: number) => Math.abs(amount) > MAX_AMOUNT;
  const refuse = (subject: 'line' | 'invoice') =>
    fail('amount_too_large', { max: MAX_AMOUNT, currency: invoice.currency, subject });
  if (invoice.lines.data.some((line) => over(line.amount))) throw refuse('line');
  if (over(invoice.subtotal) || over(invoice.total)) throw refuse('invoice');
}

/**
 * The renewal rule. A renewal cannot be refused (nobody asked for it), so instead of failing it
 * leaves out the pending invoice items that would take it past the maximum: they are taken in
 * creation order, each one only if the lines so far plus it stay within `MAX_AMOUNT` either way;
 * those left out stay pending and go on a later invoice. The period's own lines always fit: a
 * subscription's amount for one period is held under the maximum when it is created or changed.
 */
export function pendingWithinCap<T extends { amount: number }>(base: number, items: T[]): T[] {
  let running = base;
  const kept: T[] = [];
  for (const item of items) {
    const next = running + item.amount;
    if (Math.abs(next) > MAX_AMOUNT) continue;
    running = next;
    kept.push(item);
  }
  return kept;
}
