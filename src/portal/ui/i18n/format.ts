import { currencyDecimals } from '../../../billing/money/currencies.ts';

/** An amount as the API keeps it: an integer in the currency's minor units, and the currency. */
export interface Money {
  amount: number;
  /** ISO 4217 code, any case (`usd`, `EUR`). */
  currency: string;
}

const numberFormats = new Map<string, Intl.NumberFormat>();

function currencyFormat(locale: string, currency: string, decimals: number): Intl.NumberFormat {
  const key = `${locale}|${currency}|${decimals}`;
  let format = numberFormats.get(key);
  if (!format) {
    // Intl's own digits for the currency, widened to the API's minor units so that nothing is
    // rounded away (ISK is written with no decimals but kept in hundredths by the API).
    const natural = new Intl.NumberFormat(locale, { style: 'currency', currency }).resolvedOptions()
      .maximumFractionDigits;
    const minimum = Math.min(natural ?? decimals, decimals);
    format = new Intl.NumberFormat(locale, {
      style: 'currency',
      currency,
      minimumFractionDigits: minimum,
      maximumFractionDigits: decimals,
    });
    numberFormats.set(key, format);
  }
  return format;
}

/** Money in the locale's way: 1500 USD in `en` → "$15.00", in `de` 1500 EUR → "15,00 €", 1500 JPY → "￥1,500". */
export function formatMoney(money: Money, locale: string): string {
  const currency = money.currency.toUpperCase();
  const decimals = currencyDecimals(currency) ?? 2;
  const major = money.amount / 10 ** decimals;
  return currencyFormat(locale, currency, decimals).format(major);
}

const dateFormats = new Map<string, Intl.DateTimeFormat>();

function dateFormat(locale: string, timeZone: string, style: 'long' | 'medium'): Intl.DateTimeFormat {
  const key = `${locale}|${timeZone}|${style}`;
  let format = dateFormats.get(key);
  if (!format) {
    format = new Intl.DateTimeFormat(locale, { dateStyle: style, timeZone });
    dateFormats.set(key, format);
  }
  return format;
}

/**
 * A date (Unix seconds, as the API gives them) in the locale's long style: "15 January 2026" in
 * `en-GB`, "January 15, 2026" in `en`, "15. Januar 2026" in `de`, "2026年1月15日" in `ja`. Days
 * are those of `timeZone` (UTC unless the page knows the customer's zone).
 */
export function formatDate(
  unixSeconds: number,
  locale: string,
  timeZone = 'UTC',
  style: 'long' | 'medium' = 'long',
): string {
  return dateFormat(locale, timeZone, style).format(new Date(unixSeconds * 1000));
}

const displayNames = new Map<string, Intl.DisplayNames>();

/** A country's name in the locale (`DE` in `fr` → "Allemagne"); the code itself when unknown. */
export function countryName(code: string, locale: string): string {
  let names = displayNames.get(locale);
  if (!names) {
    names = new Intl.DisplayNames(locale, { type: 'region', fallback: 'code' });
    displayNames.set(locale, names);
  }
  try {
    return names.of(code.toUpperCase()) ?? code;
  } catch {
    return code;
  }
}
