import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  intervalChangeResetsCycle,
  prorationDateText,
  prorationLines,
  remainingShare,
} from '../../src/billing/math/proration.ts';

const at = (iso: string) => Date.parse(`${iso}Z`) / 1000;

// January 2027: 31 days = 2 678 400 s.
const january = { start: at('2027-01-01T00:00:00'), end: at('2027-02-01T00:00:00') };

describe('prorationLines, worked figures', () => {
  test('quantity 2 → 3 of Pro (10.00 each) on 15 Jan: 17 of 31 days left', () => {
    const change = at('2027-01-15T00:00:00');
    const lines = prorationLines({
      period: january,
      prorationDate: change,
      from: { amount: 2000, quantity: 2, name: 'Pro' },
      to: { amount: 3000, quantity: 3, name: 'Pro' },
    });
    assert.deepEqual(lines, [
      {
        kind: 'unused_time',
        amount: -1097, // 2000 × 17/31 = 1096.77…
        quantity: 2,
        description: 'Unused time on 2 × Pro after 15 Jan 2027',
        period: { start: change, end: january.end },
      },
      {
        kind: 'remaining_time',
        amount: 1645, // 3000 × 17/31 = 1645.16…
        quantity: 3,
        description: 'Remaining time on 3 × Pro after 15 Jan 2027',
        period: { start: change, end: january.end },
      },
    ]);
  });

  test('Basic → Pro at quantity 1: no "1 ×", and the day padded', () => {
    const period = { start: at('2027-01-20T00:00:00'), end: at('2027-02-20T00:00:00') }; // 31 days
    const change = at('2027-02-05T12:00:00'); // 14.5 days left
    const lines = prorationLines({
      period,
      prorationDate: change,
      from: { amount: 1000, quantity: 1, name: 'Basic' },
      to: { amount: 2900, quantity: 1, name: 'Pro' },
    });
    assert.deepEqual(
      lines.map((l) => [l.description, l.amount]),
      [
        ['Unused time on Basic after 05 Feb 2027', -468], // 1000 × 14.5/31 = 467.74…
        ['Remaining time on Pro after 05 Feb 2027', 1356], // 2900 × 14.5/31 = 1356.45…
      ],
    );
  });

  test('a half minor unit rounds away from zero on both sides', () => {
    const period = { start: 1000, end: 1002 };
    const lines = prorationLines({
      period,
      prorationDate: 1001,
      from: { amount: 1, quantity: 1, name: 'Tiny' },
      to: { amount: 3, quantity: 1, name: 'Tiny' },
    });
    assert.deepEqual(
      lines.map((l) => l.amount),
      [-1, 2], // 0.5 → 1, 1.5 → 2
    );
  });

  test('a change at the start of the period credits and charges whole periods', () => {
    const lines = prorationLines({
      period: january,
      prorationDate: january.start,
      from: { amount: 2000, quantity: 2, name: 'Pro' },
      to: { amount: 5000, quantity: 5, name: 'Pro' },
    });
    assert.deepEqual(
      lines.map((l) => l.amount),
      [-2000, 5000],
    );
  });

  test('one second before the end: almost nothing', () => {
    const lines = prorationLines({
      period: january,
      prorationDate: january.end - 1,
      from: { amount: 100_000, quantity: 1, name: 'Pro' },
      to: { amount: 2_678_400 * 3, quantity: 1, name: 'Max' },
    });
    assert.deepEqual(
      lines.map((l) => l.amount),
      [0, 3], // 100000/2678400 = 0.037 → 0 (no -0); 3 per second exactly
    );
    assert.ok(Object.is(lines[0]!.amount, 0));
  });

  test('at the very end of the period: no lines', () => {
    const lines = prorationLines({
      period: january,
      prorationDate: january.end,
      from: { amount: 2000, quantity: 2, name: 'Pro' },
      to: { amount: 3000, quantity: 3, name: 'Pro' },
    });
    assert.deepEqual(lines, []);
  });

  test('adding an item only charges; removing one only credits', () => {
    const change = at('2027-01-15T00:00:00');
    const added = prorationLines({
      period: january,
      prorationDate: change,
      to: { amount: 3100, quantity: 1, name: 'Add-on' },
    });
    assert.deepEqual(
      added.map((l) => [l.kind, l.amount]),
      [['remaining_time', 1700]],
    );
    const removed = prorationLines({
      period: january,
      prorationDate: change,
      from: { amount: 3100, quantity: 1, name: 'Add-on' },
      to: null,
    });
    assert.deepEqual(
      removed.map((l) => [l.kind, l.amount]),
      [['unused_time', -1700]],
    );
  });

  test('a side with quantity 0 gives no line; a free price gives a line of 0', () => {
    const change = at('2027-01-15T00:00:00');
    const lines = prorationLines({
      period: january,
      prorationDate: change,
      from: { amount: 0, quantity: 0, name: 'Seats' },
      to: { amount: 0, quantity: 1, name: 'Free' },
    });
    assert.deepEqual(
      lines.map((l) => [l.description, l.amount]),
      [['Remaining time on Free after 15 Jan 2027', 0]],
    );
  });

  test('a proration date outside the period is refused', () => {
    assert.throws(() => prorationLines({ period: january, prorationDate: january.start - 1 }), RangeError);
    assert.throws(() => prorationLines({ period: january, prorationDate: january.end + 1 }), RangeError);
    assert.throws(() => remainingShare(100, { start: 10, end: 10 }, 10), RangeError);
  });
});

describe('prorationDateText', () => {
  const cases: [string, string][] = [
    ['2027-01-15T00:00:00', '15 Jan 2027'],
    ['2027-02-05T23:59:59', '05 Feb 2027'],
    ['2028-12-31T12:00:00', '31 Dec 2028'],
  ];
  for (const [t, expected] of cases) test(expected, () => assert.equal(prorationDateText(at(t)), expected));
});

describe('intervalChangeResetsCycle', () => {
  const cases: [string, [string, number], [string, number], boolean][] = [
    ['same interval and count', ['month', 1], ['month', 1], false],
    ['monthly → yearly', ['month', 1], ['year', 1], true],
    ['1 month → 3 months', ['month', 1], ['month', 3], true],
    ['12 months → 1 year (same length, other interval)', ['month', 12], ['year', 1], true],
    ['weekly → weekly', ['week', 2], ['week', 2], false],
  ];
  for (const [name, [fi, fc_], [ti, tc], expected] of cases) {
    test(name, () =>
      assert.equal(
        intervalChangeResetsCycle(
          { interval: fi, interval_count: fc_ },
          { interval: ti, interval_count: tc },
        ),
        expected,
      ),
    );
  }
});

describe('proration, properties', () => {
  const scenario = fc
    .record({
      start: fc.integer({ min: 1_600_000_000, max: 1_900_000_000 }),
      length: fc.integer({ min: 1, max: 3 * 366 * 86_400 }),
      fraction: fc.double({ min: 0, max: 1, noNaN: true }),
      a: fc.integer({ min: 0, max: 100_000_000 }),
      b: fc.integer({ min: 0, max: 100_000_000 }),
      qa: fc.integer({ min: 1, max: 50 }),
      qb: fc.integer({ min: 1, max: 50 }),
    })
    .map((s) => ({
      ...s,
      period: { start: s.start, end: s.start + s.length },
      prorationDate: s.start + Math.floor(s.fraction * s.length),
    }));

  test('upgrading then downgrading at the same instant nets to zero', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const pro = { amount: s.a, quantity: s.qa, name: 'A' };
        const max = { amount: s.b, quantity: s.qb, name: 'B' };
        const up = prorationLines({ period: s.period, prorationDate: s.prorationDate, from: pro, to: max });
        const down = prorationLines({ period: s.period, prorationDate: s.prorationDate, from: max, to: pro });
        const lines = [...up, ...down];
        const net = lines.reduce((sum, l) => sum + l.amount, 0);
        // Within rounding, one minor unit per line at most; with symmetric rounding it is exact.
        assert.ok(Math.abs(net) <= lines.length);
        assert.equal(net, 0);
      }),
    );
  });

  test('each line is the exact share rounded, and never more than the whole amount', () => {
    fc.assert(
      fc.property(scenario, (s) => {
        const left = s.period.end - s.prorationDate;
        const share = remainingShare(s.a, s.period, s.prorationDate);
        const exact = (s.a * left) / s.length;
        assert.ok(Math.abs(share - exact) <= 0.5 + 1e-6, `${share} vs ${exact}`);
        assert.ok(share >= 0 && share <= s.a);
      }),
    );
  });

  test('the later the change, the smaller the share', () => {
    fc.assert(
      fc.property(scenario, fc.integer({ min: 0, max: 86_400 }), (s, later) => {
        const t2 = Math.min(s.period.end, s.prorationDate + later);
        assert.ok(remainingShare(s.a, s.period, t2) <= remainingShare(s.a, s.period, s.prorationDate));
      }),
    );
  });
});
