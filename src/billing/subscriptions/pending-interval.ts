import type Stripe from 'stripe';
import { fail } from '../../core/errors.ts';

/**
 * `pending_invoice_item_interval`: how often Stripe invoices a subscription's pending items
 * between renewals. Portico stores and returns it, with Stripe's limit of one year at most
 * (365 days, 52 weeks, 12 months, 1 year); pending items are still billed with the next invoice.
 */
const MOST: Record<Stripe.Subscription.PendingInvoiceItemInterval.Interval & string, number> = {
  day: 365,
  week: 52,
  month: 12,
  year: 1,
};

type Params = { interval: 'day' | 'week' | 'month' | 'year'; interval_count?: number } | null;

export function pendingIntervalOf(params: Params): Stripe.Subscription.PendingInvoiceItemInterval | null {
  if (params === null) return null;
  const count = params.interval_count ?? 1;
  const max = MOST[params.interval];
  if (count > max) {
    throw fail('parameter_above_maximum', { max }, 'pending_invoice_item_interval[interval_count]');
  }
  return { interval: params.interval, interval_count: count };
}
