import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import Stripe from 'stripe';
import { decimalText } from '../../src/billing/math/fixed.ts';
import { type PriceTerms, priceAmount, priceAmountExact } from '../../src/billing/math/price-amount.ts';

// Prices as the store holds them: decimals are strings on the wire.
const dec = (text: string) => text as unknown as Stripe.Decimal;

function perUnit(unit: number | string, transform: PriceTerms['transform_quantity'] = null): PriceTerms {
  return {
    billing_scheme: 'per_unit',
    unit_amount: typeof unit === 'number' ? unit : null,
    unit_amount_decimal: dec(String(unit)),
    tiers_mode: null,
    transform_quantity: transform,
  };
}

interface TierSpec {
  upTo: number | null;
  unit?: number | string;
  flat?: number | string;
}

function tier({ upTo, unit, flat }: TierSpec): Stripe.Price.Tier {
  return {
    up_to: upTo,
    unit_amount: typeof unit === 'number' ? unit : null,
    unit_amount_decimal: unit === undefined ? null : dec(String(unit)),
    flat_amount: typeof flat === 'number' ? flat : null,
    flat_amount_decimal: flat === undefined ? null : dec(String(flat)),
  };
}

function tiered(mode: 'graduated' | 'volume', tiers: TierSpec[]): PriceTerms {
  return {
    billing_scheme: 'tiered',
    unit_amount: null,
    unit_amount_decimal: null,
    tiers: tiers.map(tier),
    tiers_mode: mode,
    transform_quantity: null,
  };
}

describe('priceAmount, per_unit', () => {
  const cases: [string, PriceTerms, number, number][] = [
    ['10.00 × 3', perUnit(1000), 3, 3000],
    ['quantity 0', perUnit(1000), 0, 0],
    ['unit_amount only, no decimal', { ...perUnit(1000), unit_amount_decimal: null }, 2, 2000],
    // Stripe's decimal-amounts guide: 0.05 × 30 = 1.5, rounded up to 2.
    ['0.05¢ × 30 = 1.5 → 2', perUnit('0.05'), 30, 2],
    ['0.5¢ × 3 = 1.5 → 2', perUnit('0.5'), 3, 2],
    ['0.5¢ × 1 = 0.5 → 1', perUnit('0.5'), 1, 1],
    ['0.4¢ × 1 = 0.4 → 0', perUnit('0.4'), 1, 0],
    ['105.5¢ × 1 → 106', perUnit('105.5'), 1, 106],
    ['105.5¢ × 2 = 211', perUnit('105.5'), 2, 211],
    ['12 places: 0.333333333333 × 3 = 0.999999999999 → 1', perUnit('0.333333333333'), 3, 1],
    // In binary floating point 1.005 × 100 is 100.49999999999999 and would round down.
    ['1.005¢ × 100 = 100.5 exactly → 101', perUnit('1.005'), 100, 101],
    ['large usage: 0.0001¢ × 123 456 789 = 12 345.6789 → 12 346', perUnit('0.0001'), 123_456_789, 12_346],
  ];
  for (const [name, terms, quantity, expected] of cases) {
    test(name, () => assert.equal(priceAmount(terms, quantity), expected));
  }

  test("the SDK's Decimal is read like the wire string", () => {
    const terms = { ...perUnit(0), unit_amount: null, unit_amount_decimal: Stripe.Decimal.from('0.05') };
    assert.equal(priceAmount(terms, 30), 2);
  });
});

describe('priceAmountExact', () => {
  test("keeps the unrounded amount, for a line's unit_amount_decimal", () => {
    assert.equal(decimalText(priceAmountExact(perUnit('0.05'), 30)), '1.5');
    assert.equal(decimalText(priceAmountExact(perUnit('0.333333333333'), 3)), '0.999999999999');
    assert.equal(decimalText(priceAmountExact(perUnit(1000), 3)), '3000');
    assert.equal(decimalText(-priceAmountExact(perUnit('0.5'), 1)), '-0.5');
  });
});

describe('priceAmount, transform_quantity', () => {
  const packs = (round: 'up' | 'down') => perUnit(500, { divide_by: 1000, round });
  const cases: [string, PriceTerms, number, number][] = [
    ['1001 units, packs of 1000 rounded up → 2 packs', packs('up'), 1001, 1000],
    ['1000 units, up → exactly 1 pack', packs('up'), 1000, 500],
    ['1 unit, up → 1 pack', packs('up'), 1, 500],
    ['0 units, up → 0 packs', packs('up'), 0, 0],
    ['1999 units, down → 1 pack', packs('down'), 1999, 500],
    ['999 units, down → 0 packs', packs('down'), 999, 0],
  ];
  for (const [name, terms, quantity, expected] of cases) {
    test(name, () => assert.equal(priceAmount(terms, quantity), expected));
  }
});

describe('priceAmount, graduated tiers', () => {
  // 1–5 at 5.00, 6–10 at 4.00, 11+ at 3.00.
  const seats = tiered('graduated', [
    { upTo: 5, unit: 500 },
    { upTo: 10, unit: 400 },
    { upTo: null, unit: 300 },
  ]);
  // A base fee of 200.00 covering 1000 units, then 0.04 per unit, plus 10.00 once past 1000.
  const baseFee = tiered('graduated', [
    { upTo: 1000, unit: 0, flat: 20000 },
    { upTo: null, unit: '4', flat: 1000 },
  ]);
  const cases: [string, PriceTerms, number, number][] = [
    ['0 seats', seats, 0, 0],
    ['3 seats: 3 × 5.00', seats, 3, 1500],
    ['5 seats: the whole first tier', seats, 5, 2500],
    ['6 seats: 5 × 5.00 + 1 × 4.00', seats, 6, 2900],
    ['12 seats: 25.00 + 20.00 + 2 × 3.00', seats, 12, 5100],
    ['base fee at quantity 0 (the first tier is reached)', baseFee, 0, 20000],
    ['base fee within the first tier', baseFee, 1000, 20000],
    ['one unit past: 200.00 + 10.00 flat + 0.04', baseFee, 1001, 21004],
    ['250 units past: 200.00 + 10.00 + 250 × 0.04', baseFee, 1250, 22000],
    // Exact sum, rounded once: 50 + 0.25 = 50.25 → 50; 50 + 0.75 = 50.75 → 51.
    [
      'decimal tiers, 101 units → 50.25 → 50',
      tiered('graduated', [
        { upTo: 100, unit: '0.5' },
        { upTo: null, unit: '0.25' },
      ]),
      101,
      50,
    ],
    [
      'decimal tiers, 103 units → 50.75 → 51',
      tiered('graduated', [
        { upTo: 100, unit: '0.5' },
        { upTo: null, unit: '0.25' },
      ]),
      103,
      51,
    ],
    // Rounding per tier would give 1 + 1 = 2; one line is rounded once: 0.5 + 0.5 = 1.
    [
      'two half-cent tiers round once',
      tiered('graduated', [
        { upTo: 1, unit: '0.5' },
        { upTo: null, unit: '0.5' },
      ]),
      2,
      1,
    ],
    [
      'tiers given out of order',
      tiered('graduated', [
        { upTo: null, unit: 300 },
        { upTo: 5, unit: 500 },
        { upTo: 10, unit: 400 },
      ]),
      12,
      5100,
    ],
  ];
  for (const [name, terms, quantity, expected] of cases) {
    test(name, () => assert.equal(priceAmount(terms, quantity), expected));
  }
});

describe('priceAmount, volume tiers', () => {
  const volume = tiered('volume', [
    { upTo: 5, unit: 500 },
    { upTo: 10, unit: 400, flat: 100 },
    { upTo: null, unit: 300, flat: 200 },
  ]);
  const withBase = tiered('volume', [
    { upTo: 10, unit: 0, flat: 5000 },
    { upTo: null, unit: 450 },
  ]);
  const cases: [string, PriceTerms, number, number][] = [
    ['0 units: first tier, no flat', volume, 0, 0],
    ['5 units all at 5.00', volume, 5, 2500],
    ['6 units all at 4.00 + 1.00 flat', volume, 6, 2500],
    ['10 units all at 4.00 + 1.00', volume, 10, 4100],
    ['11 units all at 3.00 + 2.00', volume, 11, 3500],
    ['first-tier flat fee at quantity 0', withBase, 0, 5000],
    ['past the flat tier: no flat, all units at 4.50', withBase, 11, 4950],
  ];
  for (const [name, terms, quantity, expected] of cases) {
    test(name, () => assert.equal(priceAmount(terms, quantity), expected));
  }
});

describe('priceAmount, bad input is a programming error', () => {
  test('negative or fractional quantities', () => {
    assert.throws(() => priceAmount(perUnit(100), -1), RangeError);
    assert.throws(() => priceAmount(perUnit(100), 1.5), RangeError);
  });
  test('a per_unit price without an amount', () => {
    assert.throws(
      () => priceAmount({ ...perUnit(100), unit_amount: null, unit_amount_decimal: null }, 1),
      RangeError,
    );
  });
  test('more than 12 decimal places', () => {
    assert.throws(() => priceAmount(perUnit('0.0000000000001'), 1), RangeError);
  });
});

describe('priceAmount, properties', () => {
  const tierList = fc
    .uniqueArray(fc.integer({ min: 1, max: 500 }), { minLength: 0, maxLength: 4 })
    .chain((bounds) =>
      fc.tuple(
        ...[...bounds.sort((a, b) => a - b), null].map((upTo) =>
          fc.record({
            upTo: fc.constant(upTo),
            unit: fc.integer({ min: 0, max: 10_000 }),
            flat: fc.integer({ min: 0, max: 10_000 }),
          }),
        ),
      ),
    );

  test('graduated amounts never fall as the quantity grows', () => {
    fc.assert(
      fc.property(tierList, fc.integer({ min: 0, max: 1000 }), (tiers, q) => {
        const terms = tiered('graduated', tiers);
        assert.ok(priceAmount(terms, q + 1) >= priceAmount(terms, q));
      }),
    );
  });

  test('one unbounded tier without flat fee prices like per_unit', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 1_000_000 }), fc.integer({ min: 0, max: 100_000 }), (unit, q) => {
        // Past Stripe's maximum, every form of the price is refused alike.
        if (unit * q > 99_999_999) {
          for (const terms of [
            perUnit(unit),
            tiered('graduated', [{ upTo: null, unit }]),
            tiered('volume', [{ upTo: null, unit }]),
          ]) {
            assert.throws(() => priceAmount(terms, q), { code: 'amount_too_large' });
          }
          return;
        }
        const expected = priceAmount(perUnit(unit), q);
        assert.equal(expected, unit * q);
        assert.equal(priceAmount(tiered('graduated', [{ upTo: null, unit }]), q), expected);
        assert.equal(priceAmount(tiered('volume', [{ upTo: null, unit }]), q), expected);
      }),
    );
  });

  test('graduated equals each unit at its own tier plus the flat fee of every tier reached', () => {
    fc.assert(
      fc.property(tierList, fc.integer({ min: 0, max: 1000 }), (tiers, q) => {
        const tierOf = (unit: number) => tiers.find((t) => t.upTo === null || unit <= t.upTo)!;
        let expected = 0;
        for (let unit = 1; unit <= q; unit += 1) expected += tierOf(unit).unit;
        tiers.forEach((t, i) => {
          const lowerBound = i === 0 ? 0 : tiers[i - 1]!.upTo!;
          if (i === 0 || q > lowerBound) expected += t.flat;
        });
        assert.equal(priceAmount(tiered('graduated', tiers), q), expected);
      }),
    );
  });
});
