import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import { invoiceTotals, type TotalsInput } from '../../src/billing/math/totals.ts';

const input = (
  lines: number[],
  discounts: number[],
  startingBalance: number,
  extra: Partial<TotalsInput> = {},
): TotalsInput => ({
  lines: lines.map((amount) => ({ amount })),
  totalDiscountAmounts: discounts.map((amount) => ({ amount })),
  startingBalance,
  ...extra,
});

interface Expected {
  subtotal: number;
  total: number;
  amount_due: number;
  ending_balance: number;
}

describe('invoiceTotals, worked figures', () => {
  const cases: [string, TotalsInput, Expected][] = [
    [
      '20.00 + 5.00 with 2.50 off, no balance',
      input([2000, 500], [250], 0),
      { subtotal: 2500, total: 2250, amount_due: 2250, ending_balance: 0 },
    ],
    [
      '10.00 of credit pays part of it',
      input([2000, 500], [250], -1000),
      { subtotal: 2500, total: 2250, amount_due: 1250, ending_balance: 0 },
    ],
    [
      '50.00 of credit pays all of it; 27.50 is left',
      input([2000, 500], [250], -5000),
      { subtotal: 2500, total: 2250, amount_due: 0, ending_balance: -2750 },
    ],
    [
      '3.00 owed is added',
      input([2000, 500], [250], 300),
      { subtotal: 2500, total: 2250, amount_due: 2550, ending_balance: 0 },
    ],
    [
      'a downgrade: the credit goes to the customer balance',
      input([-1097, 645], [], 0),
      { subtotal: -452, total: -452, amount_due: 0, ending_balance: -452 },
    ],
    [
      'a downgrade credit against money owed',
      input([-1097, 645], [], 1000),
      { subtotal: -452, total: -452, amount_due: 548, ending_balance: 0 },
    ],
    [
      'a downgrade credit added to existing credit',
      input([-1097, 645], [], -200),
      { subtotal: -452, total: -452, amount_due: 0, ending_balance: -652 },
    ],
    ['an empty invoice', input([], [], 0), { subtotal: 0, total: 0, amount_due: 0, ending_balance: 0 }],
    [
      'below the minimum charge (0.50): not charged, carried as debt',
      input([30], [], 0, { minimumCharge: 50 }),
      { subtotal: 30, total: 30, amount_due: 0, ending_balance: 30 },
    ],
    [
      'below the minimum after credit: the rest is carried',
      input([30], [], -10, { minimumCharge: 50 }),
      { subtotal: 30, total: 30, amount_due: 0, ending_balance: 20 },
    ],
    [
      'exactly the minimum is charged',
      input([50], [], 0, { minimumCharge: 50 }),
      { subtotal: 50, total: 50, amount_due: 50, ending_balance: 0 },
    ],
  ];
  for (const [name, totalsInput, expected] of cases) {
    test(name, () => {
      const totals = invoiceTotals(totalsInput);
      assert.deepEqual(
        {
          subtotal: totals.subtotal,
          total: totals.total,
          amount_due: totals.amount_due,
          ending_balance: totals.ending_balance,
        },
        expected,
      );
      assert.equal(totals.starting_balance, totalsInput.startingBalance);
      assert.equal(totals.subtotal_excluding_tax, totals.subtotal);
      assert.equal(totals.total_excluding_tax, totals.total);
    });
  }

  test('amount paid and remaining', () => {
    const totals = invoiceTotals(input([2000, 500], [250], 0, { amountPaid: 1000 }));
    assert.deepEqual(
      [totals.amount_due, totals.amount_paid, totals.amount_remaining, totals.discount],
      [2250, 1000, 1250, 250],
    );
    assert.equal(invoiceTotals(input([2000], [], 0)).amount_paid, 0);
  });
});

describe('invoiceTotals, properties', () => {
  test('what is owed is either due now or left in the balance, never both, never lost', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: -100_000, max: 100_000 }), { maxLength: 6 }),
        fc.array(fc.integer({ min: 0, max: 10_000 }), { maxLength: 3 }),
        fc.integer({ min: -200_000, max: 200_000 }),
        (lines, discounts, balance) => {
          const t = invoiceTotals(input(lines, discounts, balance));
          assert.equal(t.amount_due + t.ending_balance, t.total + balance);
          assert.ok(t.amount_due >= 0);
          assert.ok(t.ending_balance <= 0);
          assert.ok(t.amount_due === 0 || t.ending_balance === 0);
        },
      ),
    );
  });
});
