/**
 * Exact arithmetic for money. Stripe's decimal amounts (`unit_amount_decimal`, `flat_amount_decimal`)
 * carry at most 12 decimal places of a minor unit, and a quantity times such an amount must not
 * pick up binary floating-point error before it is rounded, so amounts are held here as BigInt
 * counts of 10⁻¹² minor units ("fixed") and rounded to whole minor units once, at the end.
 *
 * Rounding is half away from zero everywhere: Stripe's decimal-amount guide rounds 0.05 × 30 = 1.5
 * up to 2, and rounding a credit as the negative of the matching charge keeps credits and charges
 * for the same time exactly opposite.
 */

/** Decimal places Stripe allows on decimal amounts. */
export const PLACES = 12;
/** One minor unit, in fixed units. */
export const SCALE = 10n ** BigInt(PLACES);

const DECIMAL = /^([+-]?)(\d+)(?:\.(\d*))?(?:[eE]([+-]?\d+))?$/;

/**
 * A decimal as fixed units. Takes the wire string (`"0.05"`), a number, or anything whose
 * `toString()` is a decimal literal (the SDK's Decimal). More than 12 significant decimal places
 * is a programming error: stored prices never have them.
 */
export function fixedOf(value: string | number | bigint | { toString(): string }): bigint {
  if (typeof value === 'bigint') return value * SCALE;
  if (typeof value === 'number' && Number.isInteger(value)) return BigInt(value) * SCALE;
  const text = String(value).trim();
  const match = DECIMAL.exec(text);
  if (!match) throw new RangeError(`Not a decimal: ${text}`);
  const [, sign, whole, fraction = '', exponent = '0'] = match;
  // Move the decimal point by the exponent, then to 12 places.
  const digits = `${whole}${fraction}`;
  const shift = PLACES - fraction.length + Number(exponent);
  let units: bigint;
  if (shift >= 0) {
    units = BigInt(digits) * 10n ** BigInt(shift);
  } else {
    const cut = 10n ** BigInt(-shift);
    units = BigInt(digits) / cut;
    if (units * cut !== BigInt(digits)) throw new RangeError(`More than ${PLACES} decimal places: ${text}`);
  }
  return sign === '-' ? -units : units;
}

/** n / d rounded to the nearest integer, halves away from zero. */
export function divRound(n: bigint, d: bigint): bigint {
  if (d === 0n) throw new RangeError('Division by zero');
  const negative = n < 0n !== d < 0n;
  const an = n < 0n ? -n : n;
  const ad = d < 0n ? -d : d;
  let q = an / ad;
  if ((an % ad) * 2n >= ad) q += 1n;
  return negative ? -q : q;
}

/** Fixed units rounded to whole minor units, as a safe JavaScript integer. */
export function toMinorUnits(fixed: bigint): number {
  return toSafeNumber(divRound(fixed, SCALE));
}

export function toSafeNumber(value: bigint): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n)) throw new RangeError(`Amount out of range: ${value}`);
  return n;
}

/** The exact amount as a decimal string of minor units (e.g. `"1.5"`), for `unit_amount_decimal` on lines. */
export function decimalText(fixed: bigint): string {
  const negative = fixed < 0n;
  const abs = negative ? -fixed : fixed;
  const whole = abs / SCALE;
  const fraction = (abs % SCALE).toString().padStart(PLACES, '0').replace(/0+$/, '');
  return `${negative ? '-' : ''}${whole}${fraction ? `.${fraction}` : ''}`;
}
