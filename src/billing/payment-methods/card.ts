import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import { errors, fail } from '../../core/errors.ts';
import { cvcLength, DISPLAY_BRAND, luhnValid, normaliseNumber } from '../../payments/card-number.ts';
import { type CheckResult, shortcutCard, type TestCard, testCard } from '../../payments/test-cards.ts';

/**
 * Card details: checking what a caller typed (number, expiry, CVC) with Stripe's card errors, and
 * building the `card` hash of a payment method from a test card.
 */

export interface RawCard {
  number: string;
  exp_month?: number;
  exp_year?: number;
  cvc?: string;
}

export interface CheckedCard {
  card: TestCard;
  expMonth: number;
  expYear: number;
  cvcGiven: boolean;
}

const EXPIRY_YEARS_AHEAD = 50;

/** Stripe accepts two-digit years (`30` is 2030). */
function fullYear(year: number): number {
  return year >= 0 && year < 100 ? 2000 + year : year;
}

function yearMonth(now: number): { year: number; month: number } {
  const date = new Date(now * 1000);
  return { year: date.getUTCFullYear(), month: date.getUTCMonth() + 1 };
}

/** An expiry must be a real month, not in the past and not absurdly far ahead. */
export function checkExpiry(expMonth: number, expYearInput: number, now: number, prefix: string): number {
  const expYear = fullYear(expYearInput);
  const { year, month } = yearMonth(now);
  if (expMonth < 1 || expMonth > 12) {
    throw fail('card_expiry_month_invalid', {}, `${prefix}[exp_month]`);
  }
  if (expYear < year || expYear > year + EXPIRY_YEARS_AHEAD) {
    throw fail('card_expiry_year_invalid', {}, `${prefix}[exp_year]`);
  }
  if (expYear === year && expMonth < month) {
    throw fail('card_expiry_month_invalid', {}, `${prefix}[exp_month]`);
  }
  return expYear;
}

/**
 * A raw card (`card[number]`, test mode only), checked in Stripe's order: the number's shape, its
 * check digit, that it is one of the test cards, then expiry and CVC.
 */
export function checkRawCard(raw: RawCard, now: number): CheckedCard {
  const digits = normaliseNumber(raw.number);
  if (!digits) throw fail('card_number_invalid', {}, 'card[number]');
  if (!luhnValid(digits)) {
    throw fail('card_number_incorrect', {}, 'card[number]');
  }
  const card = testCard(digits);
  if (!card) {
    throw fail('card_live_in_test_mode', {}, 'card[number]');
  }
  if (raw.exp_month === undefined) throw errors.parameterMissing('card[exp_month]');
  if (raw.exp_year === undefined) throw errors.parameterMissing('card[exp_year]');
  const expYear = checkExpiry(raw.exp_month, raw.exp_year, now, 'card');
  if (raw.cvc !== undefined) {
    const length = cvcLength(card.brand);
    if (!new RegExp(`^\\d{${length}}$`).test(raw.cvc)) {
      throw fail('card_cvc_invalid', {}, 'card[cvc]');
    }
  }
  return { card, expMonth: raw.exp_month, expYear, cvcGiven: raw.cvc !== undefined };
}

/**
 * A test token (`card[token]=tok_visa`): it stands for its test card with an expiry three years
 * ahead and a CVC, as Stripe's test tokens carry one.
 */
export function tokenCard(token: string, now: number): CheckedCard | undefined {
  const card = token.startsWith('tok_') ? shortcutCard(token) : undefined;
  return card && testCardDefaults(card, now);
}

/** The expiry and CVC a test card gets when it comes from a shortcut or a token. */
export function testCardDefaults(card: TestCard, now: number): CheckedCard {
  const { year, month } = yearMonth(now);
  return { card, expMonth: month, expYear: year + 3, cvcGiven: true };
}

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * The same card number gives the same fingerprint within an account, and different ones across
 * accounts, like Stripe's: 16 characters derived from a hash of both.
 */
export function fingerprint(accountId: string, number: string): string {
  const digest = createHash('sha256').update(`card-fingerprint:${accountId}:${number}`).digest();
  let out = '';
  for (let i = 0; i < 16; i++) out += ALPHABET[digest[i]! % 62];
  return out;
}

export interface AddressGiven {
  line1: boolean;
  postalCode: boolean;
}

/** Checks are reported for what was given: a check for a field nobody sent is null. */
export function cardChecks(
  card: TestCard,
  cvcGiven: boolean,
  address: AddressGiven,
): Stripe.PaymentMethod.Card.Checks {
  const result = (given: boolean, value: CheckResult) => (given ? value : null);
  return {
    address_line1_check: result(address.line1, card.checks.line1),
    address_postal_code_check: result(address.postalCode, card.checks.postalCode),
    cvc_check: result(cvcGiven, card.checks.cvc),
  };
}

export function cardDetails(
  checked: CheckedCard,
  accountId: string,
  address: AddressGiven,
  preferredNetwork: string | null,
): Stripe.PaymentMethod.Card {
  const { card } = checked;
  return {
    brand: card.brand,
    checks: cardChecks(card, checked.cvcGiven, address),
    country: card.country,
    display_brand: DISPLAY_BRAND[card.brand],
    exp_month: checked.expMonth,
    exp_year: checked.expYear,
    fingerprint: fingerprint(accountId, card.number),
    funding: card.funding,
    generated_from: null,
    last4: card.number.slice(-4),
    networks: { available: [card.brand], preferred: preferredNetwork },
    regulated_status: 'unregulated',
    three_d_secure_usage: { supported: card.threeDSecureSupported },
    wallet: null,
  };
}
