/**
 * Stripe's minimum amount for a charge, in minor units, per currency it publishes one for (its
 * "minimum and maximum charge amounts" table). Elsewhere Stripe asks for the equivalent of
 * 0.50 USD at the day's rate; Portico has no exchange rates, so any positive amount is taken.
 */
const MINIMUM_CHARGE: Record<string, number> = {
  usd: 50,
  aed: 200,
  aud: 50,
  bgn: 100,
  brl: 50,
  cad: 50,
  chf: 50,
  czk: 1500,
  dkk: 250,
  eur: 50,
  gbp: 30,
  hkd: 400,
  huf: 17500,
  inr: 50,
  jpy: 50,
  mxn: 1000,
  myr: 200,
  nok: 300,
  nzd: 50,
  pln: 200,
  ron: 200,
  sek: 300,
  sgd: 50,
  thb: 1000,
};

/** The least amount a payment in `currency` may be for (1 where Stripe publishes no minimum). */
export function minimumCharge(currency: string): number {
  return MINIMUM_CHARGE[currency] ?? 1;
}
