import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import {
  creditedLine,
  creditedTaxes,
  creditNoteTotals,
  splitCreditNote,
} from '../../src/billing/math/credit-notes.ts';

describe('creditedLine, worked figures', () => {
  const cases: [string, Parameters<typeof creditedLine>[0], { amount: number; discountAmounts: number[] }][] =
    [
      [
        'whole line keeps its discounts exactly',
        { lineAmount: 3000, lineQuantity: 3, discountAmounts: [333] },
        { amount: 3000, discountAmounts: [333] },
      ],
      [
        'one of three seats',
        { lineAmount: 3000, lineQuantity: 3, discountAmounts: [], quantity: 1 },
        { amount: 1000, discountAmounts: [] },
      ],
      [
        'one of three at 10.01 rounds half away',
        { lineAmount: 1001, lineQuantity: 2, discountAmounts: [100], quantity: 1 },
        { amount: 501, discountAmounts: [50] },
      ],
      [
        'an amount takes its share of each discount',
        { lineAmount: 2000, lineQuantity: 1, discountAmounts: [500, 150], amount: 500 },
        { amount: 500, discountAmounts: [125, 38] },
      ],
    ];
  for (const [name, input, expected] of cases)
    test(name, () => assert.deepEqual(creditedLine(input), expected));
});

describe('creditNoteTotals and splitCreditNote', () => {
  test('subtotal less discounts', () => {
    assert.deepEqual(
      creditNoteTotals([
        { amount: 1000, discountAmounts: [100] },
        { amount: 500, discountAmounts: [] },
      ]),
      { subtotal: 1500, subtotalExcludingTax: 1500, discount: 100, total: 1400, totalExcludingTax: 1400 },
    );
  });
  test('exclusive taxes add to the total, inclusive ones are inside the subtotal', () => {
    const exclusive = { rate: 'txr_ex', inclusive: false, amount: 180, taxableAmount: 900 };
    const inclusive = { rate: 'txr_in', inclusive: true, amount: 100, taxableAmount: 500 };
    assert.deepEqual(
      creditNoteTotals([
        { amount: 1000, discountAmounts: [100], taxes: [exclusive] },
        { amount: 600, discountAmounts: [], taxes: [inclusive] },
      ]),
      { subtotal: 1600, subtotalExcludingTax: 1500, discount: 100, total: 1680, totalExcludingTax: 1400 },
    );
  });
  const cases: [number, number, ReturnType<typeof splitCreditNote>][] = [
    [1000, 4200, { prePayment: 1000, postPayment: 0, type: 'pre_payment' }],
    [1000, 0, { prePayment: 0, postPayment: 1000, type: 'post_payment' }],
    [1000, 300, { prePayment: 300, postPayment: 700, type: 'mixed' }],
  ];
  for (const [total, remaining, expected] of cases) {
    test(`${total} with ${remaining} remaining`, () =>
      assert.deepEqual(splitCreditNote(total, remaining), expected));
  }
});

describe('creditedTaxes, worked figures', () => {
  const ex20 = { id: 'txr_ex', percentage: 20, inclusive: false };
  const in20 = { id: 'txr_in', percentage: 20, inclusive: true };
  const lineTax = (rate: typeof ex20, amount: number, taxableAmount: number) => ({
    rate: rate.id,
    inclusive: rate.inclusive,
    amount,
    taxableAmount,
  });
  const none = new Map<string, { amount: number; taxableAmount: number }>();
  const cases: [string, Parameters<typeof creditedTaxes>[0], ReturnType<typeof creditedTaxes>][] = [
    [
      'a whole exclusive line credits its tax exactly',
      { base: 3000, rates: [ex20], rest: true, lineTaxes: [lineTax(ex20, 600, 3000)], creditedBefore: none },
      [lineTax(ex20, 600, 3000)],
    ],
    [
      'a part of an exclusive line: 3 × 20% = 0.6 → 1',
      { base: 3, rates: [ex20], rest: false, lineTaxes: [lineTax(ex20, 240, 1200)], creditedBefore: none },
      [lineTax(ex20, 1, 3)],
    ],
    [
      'the rest of a line takes the tax left, not 1194 × 20% = 238.8 → 239',
      {
        base: 1194,
        rates: [ex20],
        rest: true,
        lineTaxes: [lineTax(ex20, 240, 1200)],
        creditedBefore: new Map([['txr_ex', { amount: 2, taxableAmount: 6 }]]),
      },
      [lineTax(ex20, 238, 1194)],
    ],
    [
      'a part of an inclusive line: 1000 × 20 / 120 = 166.67 → 167',
      { base: 1000, rates: [in20], rest: false, lineTaxes: [lineTax(in20, 200, 1000)], creditedBefore: none },
      [lineTax(in20, 167, 833)],
    ],
    [
      'a part after discounts is taxed on what is left of it',
      { base: 750, rates: [ex20], rest: false, lineTaxes: [lineTax(ex20, 300, 1500)], creditedBefore: none },
      [lineTax(ex20, 150, 750)],
    ],
    [
      'an untaxed line credits no tax',
      { base: 500, rates: [], rest: false, lineTaxes: [], creditedBefore: none },
      [],
    ],
  ];
  for (const [name, input, expected] of cases)
    test(name, () => assert.deepEqual(creditedTaxes(input), expected));
});
