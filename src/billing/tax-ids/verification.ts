import type Stripe from 'stripe';

type Verification = Stripe.TaxId.Verification;

/** The types Stripe checks against a government registry: EU VAT (VIES), UK VAT (HMRC), Australian ABN. */
const VERIFIED_TYPES = new Set<string>(['eu_vat', 'gb_vat', 'au_abn']);

/**
 * What the registry check of a new tax ID comes to. Portico contacts no registry, so in test mode
 * the value decides, with Stripe's test numbers: a value whose digits contain `000000000` is
 * verified, `111111111` unverified, `222222222` unavailable (the registry could not answer); any
 * other value stays pending. In live mode every check is `unavailable`. Types Stripe does not
 * verify have no verification at all (null).
 */
export function verificationOutcome(
  type: string,
  value: string,
  livemode: boolean,
): Verification['status'] | null {
  if (!VERIFIED_TYPES.has(type)) return null;
  if (livemode) return 'unavailable';
  const digits = value.replace(/\D/g, '');
  if (digits.includes('000000000')) return 'verified';
  if (digits.includes('111111111')) return 'unverified';
  if (digits.includes('222222222')) return 'unavailable';
  return 'pending';
}

/** A new tax ID starts pending when it is verified at all; the outcome follows as an update. */
export function pendingVerification(type: string): Verification | null {
  return VERIFIED_TYPES.has(type) ? { status: 'pending', verified_address: null, verified_name: null } : null;
}
