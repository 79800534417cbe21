import type Stripe from 'stripe';
import { errors, fail } from '../../core/errors.ts';

const DAY = 86_400;

export interface CollectionParams {
  collection_method?: Stripe.Invoice.CollectionMethod;
  days_until_due?: number;
  due_date?: number;
}

/**
 * `days_until_due` and `due_date` are for invoices sent for payment only, one or the other, and a
 * due date lies ahead (on the customer's clock).
 */
export function checkCollection(
  method: Stripe.Invoice.CollectionMethod,
  params: CollectionParams,
  now: number,
): void {
  if (params.days_until_due !== undefined && params.due_date !== undefined) {
    throw errors.parametersExclusive('days_until_due', 'due_date');
  }
  for (const name of ['days_until_due', 'due_date'] as const) {
    if (params[name] !== undefined && method !== 'send_invoice') {
      throw fail('send_invoice_only', { field: name }, name);
    }
  }
  if (params.due_date !== undefined && params.due_date <= now) {
    throw fail('due_date_past', {}, 'due_date');
  }
}

/**
 * A draft's due date after an update: none when charged automatically; otherwise the one given,
 * or `days_until_due` days after the invoice was created, or the one it had, or 30 days after
 * creation (Stripe's default terms).
 */
export function dueDateAfter(invoice: Stripe.Invoice, params: CollectionParams): number | null {
  if (invoice.collection_method !== 'send_invoice') return null;
  if (params.due_date !== undefined) return params.due_date;
  if (params.days_until_due !== undefined) return invoice.created + params.days_until_due * DAY;
  return invoice.due_date ?? invoice.created + 30 * DAY;
}
