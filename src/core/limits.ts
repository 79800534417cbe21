/**
 * The numeric limits every amount and quantity is held to, shared by the param schemas and the
 * billing maths (which may import nothing but types, coded errors and this).
 */

/**
 * The largest amount, in minor units, Stripe takes in one amount field and charges on one
 * invoice: 99,999,999 ($999,999.99, ¥99,999,999), whatever the currency. A line or an invoice
 * whose amount would pass it is refused with `amount_too_large`.
 */
export const MAX_AMOUNT = 99_999_999;

/**
 * The largest quantity of an item: twelve digits, enough for per-unit prices of a thousandth of a
 * minor unit, and small enough that a quantity times any allowed amount stays an exact BigInt
 * product well inside what the maths checks before rounding to a safe integer.
 */
export const MAX_QUANTITY = 999_999_999_999;
