import type Stripe from 'stripe';
import { applyDiscounts, type InvoiceDiscount } from '../math/discounts.ts';
import { type LineTax, lineTaxes, totalTaxes } from '../math/tax.ts';
import { invoiceTotals } from '../math/totals.ts';
import { checkInvoiceAmounts } from './amount-cap.ts';
import { lineProduct } from './lines.ts';

/**
 * Works out an invoice's discount amounts and totals from its lines, its discounts and the
 * customer's balance at that moment, in place. Drafts are recomputed whenever they change;
 * finalization fixes them.
 *
 * `lineDiscounts[i]` are line i's own discounts (an invoice item's `discounts`): they apply to
 * that line first, then the invoice's discounts apply to what is left of every line. A line's
 * `discounts` lists its own discounts, then the invoice's discounts that took an amount off it.
 *
 * `lineTaxRates[i]` are line i's own tax rates; a line without any is taxed at the invoice's
 * `default_tax_rates`. Each line is taxed on its amount after all its discounts (math/tax.ts).
 */
export function computeTotals(
  invoice: Stripe.Invoice,
  discounts: InvoiceDiscount[],
  startingBalance: number,
  lineDiscounts: InvoiceDiscount[][] = [],
  lineTaxRates: Stripe.TaxRate[][] = [],
): void {
  const lines = invoice.lines.data;
  const own = lines.map((line, i) => {
    const mine = lineDiscounts[i] ?? [];
    if (mine.length === 0) return { amounts: [], totals: [] };
    // A line's own discounts were asked for by name: `discountable` governs the invoice's only.
    const applied = applyDiscounts(
      [{ amount: line.amount, product: lineProduct(line), discountable: true }],
      mine,
      invoice.currency,
    );
    return { amounts: applied.lines[0]!, totals: applied.total_discount_amounts };
  });
  const left = lines.map((line, i) => own[i]!.amounts.reduce((rest, d) => rest - d.amount, line.amount));
  const allocation = applyDiscounts(
    lines.map((l, i) => ({ amount: left[i]!, product: lineProduct(l), discountable: l.discountable })),
    discounts,
    invoice.currency,
  );
  lines.forEach((line, i) => {
    const invoiceLevel = allocation.lines[i]!;
    line.discount_amounts = [...own[i]!.amounts, ...invoiceLevel];
    line.discounts = [
      ...(lineDiscounts[i] ?? []).map((d) => d.id),
      ...invoiceLevel.map((d) => String(d.discount)),
    ];
  });
  const taxes = lines.map((line, i) => {
    const own = lineTaxRates[i] ?? [];
    const rates = own.length > 0 ? own : invoice.default_tax_rates;
    const base = (line.discount_amounts ?? []).reduce((rest, d) => rest - d.amount, line.amount);
    const lineTax = lineTaxes(base, rates);
    line.taxes = lineTax.map(taxObject);
    return lineTax;
  });
  const byRate = totalTaxes(taxes);
  invoice.total_taxes = byRate.map(taxObject);
  invoice.discounts = discounts.map((d) => d.id);
  const totalDiscountAmounts = [...own.flatMap((o) => o.totals), ...allocation.total_discount_amounts];
  invoice.total_discount_amounts = totalDiscountAmounts;
  const totals = invoiceTotals({
    lines,
    totalDiscountAmounts,
    taxes: byRate,
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
  checkInvoiceAmounts(invoice);
}

/** A tax as lines and invoices show it (`taxes`, `total_taxes`: the same shape). */
export function taxObject(tax: LineTax): Stripe.InvoiceLineItem.Tax & Stripe.Invoice.TotalTax {
  return {
    amount: tax.amount,
    tax_behavior: tax.inclusive ? 'inclusive' : 'exclusive',
    tax_rate_details: { tax_rate: tax.rate },
    // A manual rate carries no taxability decision.
    taxability_reason: 'not_available',
    taxable_amount: tax.taxableAmount,
    type: 'tax_rate_details',
  };
}

/** What finalizing leaves on the customer's balance (credit left over, or credit handed back). */
export function endingBalance(invoice: Stripe.Invoice): number {
  return invoice.total + invoice.starting_balance - invoice.amount_due;
}
