import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import { creditedLine, creditNoteTotals, splitCreditNote } from '../../src/billing/math/credit-notes.ts';

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
      { subtotal: 1500, discount: 100, total: 1400 },
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
