import { divRound, fixedOf, toSafeNumber } from './fixed.ts';

/**
 * Tax from manual tax rates, per invoice line.
 *
 * - A line is taxed on what it costs after its discounts (`base`, minor units; negative for
 *   credits, whose taxes are the exact negatives of the matching charge's).
 * - Inclusive rates are already in `base`: each one's tax is `base × rate / (100 + the sum of the
 *   line's inclusive rates)`, i.e. the amount minus the amount divided by (1 + rates), split by
 *   rate. What is left (`base` minus those taxes) is the line's net amount.
 * - Exclusive rates are added on top of the net amount: `net × rate / 100` each.
 * - Every tax is rounded to the minor unit on its own (per line and per rate), halves away from
 *   zero, as every Portico amount is; the invoice's tax for a rate is the sum of its lines'.
 * - `taxableAmount` is the net amount for every rate of the line.
 *
 * Percentages have at most 4 decimal places, so they are held exactly as counts of 10⁻⁴ percent.
 */

export interface TaxRateTerms {
  id: string;
  percentage: number;
  inclusive: boolean;
}

export interface LineTax {
  rate: string;
  inclusive: boolean;
  amount: number;
  taxableAmount: number;
}

/** 100 % in units of 10⁻⁴ percent. */
const HUNDRED = 1_000_000n;
const MAX_PLACES = 4;

/** Whether a percentage can be a tax rate's: 0 to 100, at most 4 decimal places. */
export function checkPercentage(percentage: number): boolean {
  if (!Number.isFinite(percentage) || percentage < 0 || percentage > 100) return false;
  const places = String(percentage).split('.')[1]?.length ?? 0;
  return places <= MAX_PLACES && !String(percentage).includes('e');
}

/** A percentage in units of 10⁻⁴ percent (8.25 → 82500). */
function units(percentage: number): bigint {
  return fixedOf(String(percentage)) / 10n ** 8n;
}

/** Each rate's tax on one line, in the rates' order. */
export function lineTaxes(base: number, rates: readonly TaxRateTerms[]): LineTax[] {
  const amount = BigInt(base);
  const inclusiveSum = rates.filter((r) => r.inclusive).reduce((s, r) => s + units(r.percentage), 0n);
  const inclusive = new Map<string, bigint>();
  for (const r of rates) {
    if (r.inclusive) inclusive.set(r.id, divRound(amount * units(r.percentage), HUNDRED + inclusiveSum));
  }
  const net = amount - [...inclusive.values()].reduce((s, t) => s + t, 0n);
  return rates.map((r) => ({
    rate: r.id,
    inclusive: r.inclusive,
    amount: toSafeNumber(r.inclusive ? inclusive.get(r.id)! : divRound(net * units(r.percentage), HUNDRED)),
    taxableAmount: toSafeNumber(net),
  }));
}

/** An invoice's taxes by rate, in the order the rates first appear on its lines. */
export function totalTaxes(lines: readonly LineTax[][]): LineTax[] {
  const byRate = new Map<string, LineTax>();
  for (const tax of lines.flat()) {
    const sum = byRate.get(tax.rate);
    if (sum) {
      sum.amount += tax.amount;
      sum.taxableAmount += tax.taxableAmount;
    } else byRate.set(tax.rate, { ...tax });
  }
  return [...byRate.values()];
}

/** The inclusive and exclusive parts of a set of taxes. */
export function taxSums(taxes: readonly Pick<LineTax, 'amount' | 'inclusive'>[]): {
  inclusive: number;
  exclusive: number;
} {
  let inclusive = 0;
  let exclusive = 0;
  for (const t of taxes) {
    if (t.inclusive) inclusive += t.amount;
    else exclusive += t.amount;
  }
  return { inclusive, exclusive };
}
