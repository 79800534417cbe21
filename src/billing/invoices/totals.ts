import type Stripe from 'stripe';
import { applyDiscounts, type InvoiceDiscount } from '../math/discounts.ts';
import { invoiceTotals } from '../math/totals.ts';
import { lineProduct } from './lines.ts';

/**
 * Works out an invoice's discount amounts and totals from its lines, its discounts and the
 * customer's balance at that moment, in place. Drafts are recomputed whenever they change;
 * finalization fixes them.
 */
export function computeTotals(
  invoice: Stripe.Invoice,
  discounts: InvoiceDiscount[],
  startingBalance: number,
): void {
  const lines = invoice.lines.data;
  const allocation = applyDiscounts(
    lines.map((l) => ({ amount: l.amount, product: lineProduct(l), discountable: l.discountable })),
    discounts,
    invoice.currency,
  );
  lines.forEach((line, i) => {
    line.discount_amounts = allocation.lines[i]!;
    line.discounts = line.discount_amounts.map((d) => String(d.discount));
  });
  invoice.discounts = discounts.map((d) => d.id);
  invoice.total_discount_amounts = allocation.total_discount_amounts;
  const totals = invoiceTotals({
    lines,
    totalDiscountAmounts: allocation.total_discount_amounts,
    startingBalance,
    amountPaid: invoice.amount_paid,
  });
  invoice.subtotal = totals.subtotal;
  invoice.subtotal_excluding_tax = totals.subtotal_excluding_tax;
  invoice.total = totals.total;
  invoice.total_excluding_tax = totals.total_excluding_tax;
  invoice.starting_balance = totals.starting_balance;
  invoice.amount_due = totals.amount_due;
  invoice.amount_remaining = totals.amount_remaining;
  invoice.ending_balance = invoice.status === 'draft' ? null : totals.ending_balance;
}

/** What finalizing leaves on the customer's balance (credit left over, or credit handed back). */
export function endingBalance(invoice: Stripe.Invoice): number {
  return invoice.total + invoice.starting_balance - invoice.amount_due;
}
