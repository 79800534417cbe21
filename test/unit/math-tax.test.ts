import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { checkPercentage, lineTaxes, type TaxRateTerms, totalTaxes } from '../../src/billing/math/tax.ts';
import { invoiceTotals } from '../../src/billing/math/totals.ts';

const exclusive = (id: string, percentage: number): TaxRateTerms => ({ id, percentage, inclusive: false });
const inclusive = (id: string, percentage: number): TaxRateTerms => ({ id, percentage, inclusive: true });

describe('lineTaxes, worked figures', () => {
  // [what, base, rates, [rate, amount, taxable amount][]]
  const cases: [string, number, TaxRateTerms[], [string, number, number][]][] = [
    ['20% on top of 10.00', 1000, [exclusive('vat', 20)], [['vat', 200, 1000]]],
    ['8.875% on 9.99 rounds 88.66 up', 999, [exclusive('ny', 8.875)], [['ny', 89, 999]]],
    ['7.25% on 2.00 rounds 14.5 half away from zero', 200, [exclusive('ca', 7.25)], [['ca', 15, 200]]],
    ['a credit is taxed as the negative of the charge', -200, [exclusive('ca', 7.25)], [['ca', -15, -200]]],
    ['20% inside 12.00 is 2.00', 1200, [inclusive('vat', 20)], [['vat', 200, 1000]]],
    ['20% inside 10.00: 1.666… rounds to 1.67', 1000, [inclusive('vat', 20)], [['vat', 167, 833]]],
    ['19% inside 9.99: 1.595 rounds to 1.60', 999, [inclusive('de', 19)], [['de', 160, 839]]],
    [
      'two inclusive rates are taken out together, then split',
      1150,
      [inclusive('gst', 5), inclusive('pst', 10)],
      [
        ['gst', 50, 1000],
        ['pst', 100, 1000],
      ],
    ],
    [
      'exclusive rates apply to what is left after the inclusive ones',
      1200,
      [inclusive('vat', 20), exclusive('levy', 1.5)],
      [
        ['vat', 200, 1000],
        ['levy', 15, 1000],
      ],
    ],
    [
      'two exclusive rates each on the whole amount',
      1000,
      [exclusive('a', 5), exclusive('b', 9.975)],
      [
        ['a', 50, 1000],
        ['b', 100, 1000],
      ],
    ],
    ['zero percent', 1000, [exclusive('zero', 0)], [['zero', 0, 1000]]],
    ['no rates, no taxes', 1000, [], []],
    [
      'the largest amount at 100% stays exact',
      99_999_999,
      [exclusive('all', 100)],
      [['all', 99_999_999, 99_999_999]],
    ],
  ];
  for (const [what, base, rates, expected] of cases) {
    test(what, () => {
      assert.deepEqual(
        lineTaxes(base, rates).map((t) => [t.rate, t.amount, t.taxableAmount]),
        expected,
      );
    });
  }
});

describe('invoice taxes and totals', () => {
  test('total_taxes sums each rate over the lines, in first-seen order', () => {
    const lines = [
      lineTaxes(999, [exclusive('ny', 8.875)]),
      lineTaxes(1000, [exclusive('vat', 20)]),
      lineTaxes(501, [exclusive('ny', 8.875)]),
    ];
    assert.deepEqual(
      totalTaxes(lines).map((t) => [t.rate, t.amount, t.taxableAmount]),
      [
        ['ny', 89 + 44, 1500],
        ['vat', 200, 1000],
      ],
    );
  });

  test('exclusive tax is added to the total; inclusive tax is only shown', () => {
    const excl = lineTaxes(900, [exclusive('vat', 20)]);
    assert.deepEqual(
      pick(
        invoiceTotals({
          lines: [{ amount: 1000 }],
          totalDiscountAmounts: [{ amount: 100 }],
          taxes: excl,
          startingBalance: 0,
        }),
      ),
      {
        subtotal: 1000,
        subtotal_excluding_tax: 1000,
        total: 1080,
        total_excluding_tax: 900,
        amount_due: 1080,
      },
    );
    const incl = lineTaxes(900, [inclusive('vat', 20)]);
    assert.deepEqual(
      pick(
        invoiceTotals({
          lines: [{ amount: 1000 }],
          totalDiscountAmounts: [{ amount: 100 }],
          taxes: incl,
          startingBalance: 0,
        }),
      ),
      { subtotal: 1000, subtotal_excluding_tax: 850, total: 900, total_excluding_tax: 750, amount_due: 900 },
    );
  });

  test('percentages: 0 to 100 with at most four decimal places', () => {
    for (const ok of [0, 5, 8.875, 9.9975, 100]) assert.equal(checkPercentage(ok), true, String(ok));
    for (const bad of [-0.01, 100.0001, 1.23456, Number.NaN])
      assert.equal(checkPercentage(bad), false, String(bad));
  });

  test('property: a charge and its credit are taxed exactly opposite; inclusive tax never exceeds the amount', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 99_999_999 }),
        fc.integer({ min: 0, max: 1_000_000 }),
        fc.boolean(),
        (base, units, isInclusive) => {
          const rate = { id: 'r', percentage: units / 10_000, inclusive: isInclusive };
          const charge = lineTaxes(base, [rate])[0]!;
          const credit = lineTaxes(-base, [rate])[0]!;
          assert.equal(credit.amount + charge.amount, 0);
          if (isInclusive) {
            assert.ok(charge.amount <= base);
            assert.equal(charge.taxableAmount + charge.amount, base);
          }
        },
      ),
    );
  });
});

function pick(t: ReturnType<typeof invoiceTotals>) {
  return {
    subtotal: t.subtotal,
    subtotal_excluding_tax: t.subtotal_excluding_tax,
    total: t.total,
    total_excluding_tax: t.total_excluding_tax,
    amount_due: t.amount_due,
  };
}
