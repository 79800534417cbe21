import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  currencyDecimals,
  formatMinorUnits,
  SUPPORTED_CURRENCIES,
} from '../../src/billing/money/currencies.ts';

describe('currencies and their minor units', () => {
  test('decimal places as Stripe’s API writes amounts', () => {
    const table: [string, number | undefined][] = [
      ['usd', 2],
      ['EUR', 2],
      ['jpy', 0],
      ['krw', 0],
      ['ugx', 0],
      ['xof', 0],
      ['bhd', 3],
      ['kwd', 3],
      ['tnd', 3],
      // Zero-decimal in cash, two decimals in the API, as on Stripe.
      ['isk', 2],
      ['huf', 2],
      ['twd', 2],
      ['xyz', undefined],
      ['', undefined],
    ];
    for (const [code, decimals] of table) assert.equal(currencyDecimals(code), decimals, code);
  });

  test('amounts formatted from minor units', () => {
    const table: [number, string, string][] = [
      [1050, 'usd', '10.50'],
      [5, 'usd', '0.05'],
      [-5, 'eur', '-0.05'],
      [1050, 'jpy', '1050'],
      [1234, 'kwd', '1.234'],
      [50000, 'isk', '500.00'],
    ];
    for (const [amount, currency, text] of table)
      assert.equal(formatMinorUnits(amount, currency), text, `${amount} ${currency}`);
  });

  test('the list is lower case, sorted and without duplicates', () => {
    assert.ok(SUPPORTED_CURRENCIES.length > 130);
    assert.deepEqual([...SUPPORTED_CURRENCIES], [...new Set(SUPPORTED_CURRENCIES)].sort());
    assert.ok(SUPPORTED_CURRENCIES.every((c) => /^[a-z]{3}$/.test(c)));
  });
});
