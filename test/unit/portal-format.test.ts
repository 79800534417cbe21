import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { countryName, formatDate, formatMoney } from '../../src/portal/ui/i18n/format.ts';

// Intl separates some currency symbols with a no-break space (U+00A0) or a narrow one (U+202F).
const plain = (s: string) => s.replace(/[\u00a0\u202f]/g, ' ');

describe('portal money and dates', () => {
  const money: [number, string, string, string][] = [
    [1500, 'usd', 'en', '$15.00'],
    [1500, 'USD', 'en', '$15.00'],
    [5, 'usd', 'en', '$0.05'],
    [-1000, 'usd', 'en', '-$10.00'],
    [123456789, 'usd', 'en', '$1,234,567.89'],
    [1500, 'usd', 'en-GB', 'US$15.00'],
    [1500, 'eur', 'de', '15,00 €'],
    [123456, 'eur', 'de', '1.234,56 €'],
    [1500, 'eur', 'fr', '15,00 €'],
    [1500, 'jpy', 'ja', '￥1,500'],
    [1500, 'jpy', 'en', '¥1,500'],
    [1234, 'kwd', 'en', 'KWD 1.234'],
    [1000, 'kwd', 'en', 'KWD 1.000'],
    [500, 'isk', 'en', 'ISK 5'],
    [550, 'isk', 'en', 'ISK 5.5'],
    [1500, 'gbp', 'en-GB', '£15.00'],
  ];
  for (const [amount, currency, locale, expected] of money)
    test(`${amount} ${currency} in ${locale} → ${expected}`, () =>
      assert.equal(plain(formatMoney({ amount, currency }, locale)), expected));

  // 2026-01-15 12:00 UTC.
  const noon = Date.UTC(2026, 0, 15, 12) / 1000;
  const dates: [string, string][] = [
    ['en', 'January 15, 2026'],
    ['en-GB', '15 January 2026'],
    ['de', '15. Januar 2026'],
    ['fr', '15 janvier 2026'],
    ['ja', '2026年1月15日'],
  ];
  for (const [locale, expected] of dates)
    test(`date in ${locale} → ${expected}`, () => assert.equal(formatDate(noon, locale), expected));

  test('dates fall on the day of the given time zone', () => {
    const lateUtc = Date.UTC(2026, 0, 15, 23, 30) / 1000;
    assert.equal(formatDate(lateUtc, 'en'), 'January 15, 2026');
    assert.equal(formatDate(lateUtc, 'en', 'Asia/Tokyo'), 'January 16, 2026');
  });

  test('country names in the page language', () => {
    assert.equal(countryName('DE', 'fr'), 'Allemagne');
    assert.equal(countryName('us', 'de'), 'Vereinigte Staaten');
    assert.equal(countryName('JP', 'ja'), '日本');
  });
});
