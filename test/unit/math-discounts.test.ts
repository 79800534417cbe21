import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import type Stripe from 'stripe';
import {
  allocateProportionally,
  applyDiscounts,
  type DiscountableLine,
  type DiscountCoupon,
  discountEnd,
  discountStillApplies,
} from '../../src/billing/math/discounts.ts';

const at = (iso: string) => Date.parse(`${iso}Z`) / 1000;

const line = (
  amount: number,
  product: string | null = 'prod_pro',
  discountable = true,
): DiscountableLine => ({
  amount,
  product,
  discountable,
});

function percent(percent_off: number, products?: string[]): DiscountCoupon {
  return {
    percent_off,
    amount_off: null,
    currency: null,
    ...(products ? { applies_to: { products } } : {}),
  };
}

function amountOff(
  amount_off: number,
  currency = 'usd',
  extra: Partial<DiscountCoupon> = {},
): DiscountCoupon {
  return { percent_off: null, amount_off, currency, ...extra };
}

/** The amounts each line got, one array per line, for discounts named di_1, di_2, … */
function amounts(lines: DiscountableLine[], coupons: DiscountCoupon[], currency = 'usd') {
  const result = applyDiscounts(
    lines,
    coupons.map((coupon, i) => ({ id: `di_${i + 1}`, coupon })),
    currency,
  );
  return {
    perLine: result.lines.map((l) => l.map((d) => d.amount)),
    totals: result.total_discount_amounts.map((t) => [t.discount, t.amount]),
    notApplied: result.not_applied,
  };
}

describe('applyDiscounts, percent_off', () => {
  test('25 % of 10.00 and 3.33: 2.50 and 0.8325 → 0.83, rounded per line', () => {
    assert.deepEqual(amounts([line(1000), line(333)], [percent(25)]), {
      perLine: [[250], [83]],
      totals: [['di_1', 333]],
      notApplied: [],
    });
  });

  test('decimal percentages: 33.33 % of 10.00 = 3.333 → 3.33; of 0.15 = 4.9995 → 5', () => {
    assert.deepEqual(amounts([line(1000), line(15)], [percent(33.33)]).perLine, [[333], [5]]);
  });

  test('a half unit rounds away from zero: 50 % of 0.01', () => {
    assert.deepEqual(amounts([line(1)], [percent(50)]).perLine, [[1]]);
  });

  test('100 % takes everything', () => {
    assert.deepEqual(amounts([line(1999), line(1)], [percent(100)]).perLine, [[1999], [1]]);
  });

  test('applies_to limits the discount to those products', () => {
    const lines = [line(1000, 'prod_a'), line(2000, 'prod_b'), line(500, null)];
    assert.deepEqual(amounts(lines, [percent(10, ['prod_b'])]), {
      perLine: [[], [200], []],
      totals: [['di_1', 200]],
      notApplied: [],
    });
  });

  test('lines that are not discountable (prorations) and credit lines take nothing', () => {
    const lines = [line(-1097, 'prod_pro', false), line(1645, 'prod_pro', false), line(-500), line(3000)];
    assert.deepEqual(amounts(lines, [percent(20)]).perLine, [[], [], [], [600]]);
  });

  test('a coupon that matches no line is listed with 0', () => {
    assert.deepEqual(amounts([line(1000, 'prod_a')], [percent(10, ['prod_z'])]).totals, [['di_1', 0]]);
  });
});

describe('applyDiscounts, amount_off', () => {
  const cases: [string, number[], number, number[]][] = [
    ['5.00 over 10.00 and 30.00: in proportion', [1000, 3000], 500, [125, 375]],
    ['capped at what the lines cost', [1, 1, 1], 1000, [1, 1, 1]],
    ['1.00 over 3.33, 3.33, 3.34: leftover to the largest remainder', [333, 333, 334], 100, [33, 33, 34]],
    ['2.00 over three equal lines: leftover to earlier lines', [1000, 1000, 1000], 200, [67, 67, 66]],
    ['more than the invoice: the whole invoice', [1500], 2000, [1500]],
  ];
  for (const [name, lineAmounts, off, expected] of cases) {
    test(name, () => {
      const result = amounts(
        lineAmounts.map((a) => line(a)),
        [amountOff(off)],
      );
      assert.deepEqual(
        result.perLine.map((l) => l[0] ?? 0),
        expected,
      );
      assert.deepEqual(result.totals, [['di_1', expected.reduce((s, a) => s + a, 0)]]);
    });
  }

  test('another currency: the discount does not apply', () => {
    assert.deepEqual(amounts([line(1000)], [amountOff(500, 'eur')], 'usd'), {
      perLine: [[]],
      totals: [],
      notApplied: ['di_1'],
    });
  });

  test('currencies compare without case', () => {
    assert.deepEqual(amounts([line(1000)], [amountOff(500, 'usd')], 'USD').perLine, [[500]]);
  });

  test('currency_options give the amount in the invoice currency', () => {
    const coupon = amountOff(500, 'usd', { currency_options: { eur: { amount_off: 450 } } });
    assert.deepEqual(amounts([line(1000)], [coupon], 'eur').perLine, [[450]]);
  });

  test('a credit line does not absorb a fixed discount', () => {
    assert.deepEqual(amounts([line(-500), line(1000)], [amountOff(2000)]).perLine, [[], [1000]]);
  });

  test('applies_to with amount_off spreads over matching lines only', () => {
    const lines = [line(1000, 'prod_a'), line(3000, 'prod_b'), line(1000, 'prod_b')];
    assert.deepEqual(
      amounts(lines, [amountOff(800, 'usd', { applies_to: { products: ['prod_b'] } })]).perLine,
      [[], [600], [200]],
    );
  });
});

describe('applyDiscounts, several discounts apply in order', () => {
  test('50 % then 5.00 off 20.00: 10.00 + 5.00', () => {
    assert.deepEqual(amounts([line(2000)], [percent(50), amountOff(500)]), {
      perLine: [[1000, 500]],
      totals: [
        ['di_1', 1000],
        ['di_2', 500],
      ],
      notApplied: [],
    });
  });

  test('5.00 off then 50 % of 20.00: 5.00 + 7.50', () => {
    assert.deepEqual(amounts([line(2000)], [amountOff(500), percent(50)]).perLine, [[500, 750]]);
  });

  test('each discount works on what the ones before left', () => {
    assert.deepEqual(amounts([line(1000), line(1000)], [amountOff(1500), percent(50)]).perLine, [
      [750, 125],
      [750, 125],
    ]);
    assert.deepEqual(amounts([line(1000)], [percent(100), amountOff(100)]).totals, [
      ['di_1', 1000],
      ['di_2', 0],
    ]);
  });
});

describe('allocateProportionally', () => {
  test('sums exactly and stays within one unit of the exact share', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 1_000_000 }), { minLength: 1, maxLength: 12 }),
        fc.integer({ min: 0, max: 10_000_000 }),
        (weights, rawTotal) => {
          const sum = weights.reduce((s, w) => s + w, 0);
          const total = Math.min(rawTotal, sum);
          const parts = allocateProportionally(total, weights);
          if (sum === 0)
            return assert.deepEqual(
              parts,
              weights.map(() => 0),
            );
          assert.equal(
            parts.reduce((s, p) => s + p, 0),
            total,
          );
          parts.forEach((p, i) => {
            const exact = (total * weights[i]!) / sum;
            assert.ok(Math.abs(p - exact) < 1, `${p} vs ${exact}`);
            assert.ok(p <= weights[i]!);
          });
        },
      ),
    );
  });
});

describe('applyDiscounts, properties', () => {
  const lineArb = fc.record({
    amount: fc.integer({ min: -10_000, max: 1_000_000 }),
    product: fc.constantFrom('prod_a', 'prod_b', null),
    discountable: fc.boolean(),
  });
  const couponArb: fc.Arbitrary<DiscountCoupon> = fc.oneof(
    fc.record({
      percent_off: fc.integer({ min: 1, max: 10_000 }).map((n) => n / 100),
      amount_off: fc.constant(null),
      currency: fc.constant(null),
    }),
    fc.record({
      percent_off: fc.constant(null),
      amount_off: fc.integer({ min: 1, max: 2_000_000 }),
      currency: fc.constantFrom('usd', 'eur'),
      applies_to: fc.constantFrom<Stripe.Coupon.AppliesTo>(
        { products: ['prod_a'] },
        { products: ['prod_a', 'prod_b'] },
      ),
    }),
  );

  test('no line is discounted below zero, and only eligible lines are discounted', () => {
    fc.assert(
      fc.property(
        fc.array(lineArb, { maxLength: 8 }),
        fc.array(couponArb, { maxLength: 4 }),
        (lines, coupons) => {
          const result = applyDiscounts(
            lines,
            coupons.map((coupon, i) => ({ id: `di_${i}`, coupon })),
            'usd',
          );
          result.lines.forEach((discounts, i) => {
            const off = discounts.reduce((s, d) => s + d.amount, 0);
            const l = lines[i]!;
            if (!l.discountable || l.amount <= 0) assert.equal(off, 0);
            else assert.ok(off >= 0 && off <= l.amount);
            for (const d of discounts) assert.ok(d.amount > 0);
          });
          const perDiscount = new Map(
            result.total_discount_amounts.map((t) => [t.discount as string, t.amount]),
          );
          coupons.forEach((coupon, i) => {
            const id = `di_${i}`;
            if (coupon.amount_off !== null && coupon.currency !== 'usd') {
              assert.ok(result.not_applied.includes(id));
              assert.ok(!perDiscount.has(id));
            } else if (coupon.amount_off !== null) {
              assert.ok(perDiscount.get(id)! <= coupon.amount_off);
            }
          });
        },
      ),
    );
  });
});

describe('discountEnd and discountStillApplies', () => {
  const repeating3 = { duration: 'repeating', duration_in_months: 3 } as const;

  test('a 3-month coupon from 31 Jan ends on 30 Apr', () => {
    assert.equal(discountEnd(repeating3, at('2027-01-31T09:00:00')), at('2027-04-30T09:00:00'));
  });

  test('forever and once have no end', () => {
    assert.equal(discountEnd({ duration: 'forever', duration_in_months: null }, 0), null);
    assert.equal(discountEnd({ duration: 'once', duration_in_months: null }, 0), null);
  });

  test('a 3-month coupon on a monthly subscription covers three invoices', () => {
    const start = at('2027-01-31T09:00:00');
    const periods = [
      '2027-01-31T09:00:00',
      '2027-02-28T09:00:00',
      '2027-03-31T09:00:00',
      '2027-04-30T09:00:00',
    ];
    assert.deepEqual(
      periods.map((p) => discountStillApplies(repeating3, start, at(p))),
      [true, true, true, false],
    );
  });

  test('a discount added mid-period applies to the periods that start before its end', () => {
    const start = at('2027-01-15T00:00:00'); // ends 15 Apr
    const periods = ['2027-02-01T00:00:00', '2027-04-01T00:00:00', '2027-05-01T00:00:00'];
    assert.deepEqual(
      periods.map((p) => discountStillApplies(repeating3, start, at(p))),
      [true, true, false],
    );
  });

  test('forever and once apply while attached', () => {
    assert.equal(
      discountStillApplies({ duration: 'forever', duration_in_months: null }, 0, at('2040-01-01T00:00:00')),
      true,
    );
    assert.equal(
      discountStillApplies({ duration: 'once', duration_in_months: null }, 0, at('2027-01-01T00:00:00')),
      true,
    );
  });

  test('a repeating coupon without months is a programming error', () => {
    assert.throws(() => discountEnd({ duration: 'repeating', duration_in_months: null }, 0), RangeError);
  });
});
