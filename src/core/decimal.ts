import type Stripe from 'stripe';

/**
 * Decimals such as `unit_amount_decimal` travel as strings; the SDK turns them into its own
 * Decimal class when it reads a response. Portico keeps the string, typed as the SDK declares it.
 */
export const wireDecimal = (text: string): Stripe.Decimal => text as unknown as Stripe.Decimal;
