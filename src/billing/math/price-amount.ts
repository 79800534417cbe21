import type Stripe from 'stripe';
import { fail } from '../../core/errors.ts';
import { MAX_AMOUNT } from '../../core/limits.ts';
import { divRound, fixedOf, SCALE } from './fixed.ts';

/**
 * What a quantity of a price costs, in integer minor units: Stripe's `billing_scheme` rules.
 *
 * - `per_unit`: quantity × `unit_amount_decimal` (or `unit_amount`), computed exactly and rounded
 *   once to the nearest minor unit, halves away from zero (0.05 × 30 = 1.5 → 2, as in Stripe's
 *   decimal-amounts guide: rounding happens per line, after multiplying).
 * - `transform_quantity` first divides the quantity by `divide_by` and rounds the result `up` or
 *   `down` to a whole number (1001 units, divide_by 1000, up → 2 packages).
 * - `tiered`, `graduated`: each tier prices the units that fall within it (tier k holds the units
 *   above the previous `up_to` up to and including its own; `up_to: null` is the last, unbounded
 *   tier), and every tier the quantity reaches adds its flat amount.
 * - `tiered`, `volume`: the whole quantity is priced at the one tier it falls in, plus that tier's
 *   flat amount.
 * - Quantity 0 falls in the first tier (Portico rule): both modes charge the first tier's flat
 *   amount, so "base fee plus usage" prices bill the base fee when nothing was used.
 *
 * The sum over tiers stays exact and is rounded once: one price gives one invoice line.
 */
export type PriceTerms = Pick<
  Stripe.Price,
  'billing_scheme' | 'unit_amount' | 'unit_amount_decimal' | 'tiers' | 'tiers_mode' | 'transform_quantity'
> & { currency?: string };

type Amount = number | null;
type DecimalAmount = Stripe.Decimal | string | null;

/** The exact value of an amount pair (`x_decimal` wins: it is the precise one), in fixed units. */
function pairValue(integer: Amount, decimal: DecimalAmount): bigint {
  if (decimal !== null && decimal !== undefined) return fixedOf(decimal);
  if (integer !== null && integer !== undefined) return fixedOf(integer);
  return 0n;
}

/** The quantity after `transform_quantity`, or as given. */
export function billedQuantity(terms: Pick<Stripe.Price, 'transform_quantity'>, quantity: number): number {
  if (!Number.isSafeInteger(quantity) || quantity < 0) {
    throw new RangeError(`Quantity must be a non-negative integer, got ${quantity}`);
  }
  const transform = terms.transform_quantity;
  if (!transform) return quantity;
  const { divide_by: divideBy, round } = transform;
  if (!Number.isSafeInteger(divideBy) || divideBy < 1) throw new RangeError(`Bad divide_by: ${divideBy}`);
  return round === 'up' ? Math.ceil(quantity / divideBy) : Math.floor(quantity / divideBy);
}

/** Tiers in `up_to` order, the unbounded one last. */
function orderedTiers(tiers: Stripe.Price.Tier[] | undefined): Stripe.Price.Tier[] {
  if (!tiers || tiers.length === 0) throw new RangeError('A tiered price needs tiers');
  return [...tiers].sort(
    (a, b) => (a.up_to ?? Number.POSITIVE_INFINITY) - (b.up_to ?? Number.POSITIVE_INFINITY),
  );
}

const unitOf = (tier: Stripe.Price.Tier) => pairValue(tier.unit_amount, tier.unit_amount_decimal);
const flatOf = (tier: Stripe.Price.Tier) => pairValue(tier.flat_amount, tier.flat_amount_decimal);

function graduated(tiers: Stripe.Price.Tier[], quantity: number): bigint {
  let total = 0n;
  let below = 0; // units already priced by earlier tiers
  for (const tier of tiers) {
    const top = tier.up_to ?? Number.POSITIVE_INFINITY;
    const units = Math.min(quantity, top) - below;
    // A tier is reached when units fall in it; the first tier is reached even by quantity 0.
    if (units > 0 || below === 0) total += flatOf(tier) + BigInt(Math.max(units, 0)) * unitOf(tier);
    if (quantity <= top) break;
    below = top;
  }
  return total;
}

function volume(tiers: Stripe.Price.Tier[], quantity: number): bigint {
  const tier = tiers.find((t) => t.up_to === null || quantity <= t.up_to) ?? tiers[tiers.length - 1]!;
  return flatOf(tier) + BigInt(quantity) * unitOf(tier);
}

/** The exact amount before rounding, in fixed units (10⁻¹² minor units). */
export function priceAmountExact(terms: PriceTerms, quantity: number): bigint {
  const q = billedQuantity(terms, quantity);
  if (terms.billing_scheme === 'tiered') {
    const tiers = orderedTiers(terms.tiers);
    if (terms.tiers_mode === 'graduated') return graduated(tiers, q);
    if (terms.tiers_mode === 'volume') return volume(tiers, q);
    throw new RangeError(`Unknown tiers_mode: ${terms.tiers_mode}`);
  }
  if (terms.billing_scheme === 'per_unit') {
    if (
      terms.unit_amount === null &&
      (terms.unit_amount_decimal === null || terms.unit_amount_decimal === undefined)
    ) {
      throw new RangeError('A per_unit price needs unit_amount or unit_amount_decimal');
    }
    return BigInt(q) * pairValue(terms.unit_amount, terms.unit_amount_decimal);
  }
  throw new RangeError(`Unknown billing_scheme: ${terms.billing_scheme}`);
}

/**
 * The amount in integer minor units for `quantity` of a price. An amount past `MAX_AMOUNT` either
 * way is refused (`amount_too_large`, naming no param: the caller knows which one made it) before
 * it leaves the exact BigInt maths, so no line ever holds more than an invoice may charge.
 */
export function priceAmount(terms: PriceTerms, quantity: number): number {
  const amount = divRound(priceAmountExact(terms, quantity), SCALE);
  if (amount > BigInt(MAX_AMOUNT) || amount < BigInt(-MAX_AMOUNT)) {
    throw fail('amount_too_large', { max: MAX_AMOUNT, currency: terms.currency ?? null, subject: 'line' });
  }
  return Number(amount);
}
