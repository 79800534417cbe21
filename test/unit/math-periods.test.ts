import assert from 'node:assert/strict';
import { describe, test } from 'node:test';
import fc from 'fast-check';
import {
  type AnchorConfig,
  addInterval,
  anchorFromConfig,
  type Interval,
  nextBoundaryAfter,
  periodContaining,
} from '../../src/billing/math/periods.ts';

/** Unix seconds of a UTC ISO time, and back: the tables read as dates. */
const at = (iso: string) => Date.parse(`${iso}Z`) / 1000;
const iso = (t: number) => new Date(t * 1000).toISOString().replace('.000Z', '');
/** The last day of a UTC month, for any year (Date.UTC would read years 0–99 as 19xx). */
const lastDayOf = (d: Date) =>
  new Date(new Date(0).setUTCFullYear(d.getUTCFullYear(), d.getUTCMonth() + 1, 0)).getUTCDate();

describe('addInterval', () => {
  const cases: [string, string, Interval, number, number, string][] = [
    ['monthly from 31 Jan: February clamps', '2027-01-31T10:30:00', 'month', 1, 1, '2027-02-28T10:30:00'],
    [
      'monthly from 31 Jan: back to the 31st in March',
      '2027-01-31T10:30:00',
      'month',
      1,
      2,
      '2027-03-31T10:30:00',
    ],
    ['monthly from 31 Jan: 30 Apr', '2027-01-31T10:30:00', 'month', 1, 3, '2027-04-30T10:30:00'],
    ['monthly from 31 Jan: 31 May', '2027-01-31T10:30:00', 'month', 1, 4, '2027-05-31T10:30:00'],
    [
      'monthly from 31 Jan: 29 Feb in a leap year',
      '2027-01-31T10:30:00',
      'month',
      1,
      13,
      '2028-02-29T10:30:00',
    ],
    ['monthly from 31 Jan, counting back', '2027-03-31T10:30:00', 'month', 1, -1, '2027-02-28T10:30:00'],
    ['quarterly from 30 Nov: 28 Feb', '2026-11-30T00:00:00', 'month', 3, 1, '2027-02-28T00:00:00'],
    [
      'quarterly from 30 Nov: 30 May, from the anchor',
      '2026-11-30T00:00:00',
      'month',
      3,
      2,
      '2027-05-30T00:00:00',
    ],
    ['yearly from 29 Feb: 28 Feb', '2028-02-29T08:00:00', 'year', 1, 1, '2029-02-28T08:00:00'],
    [
      'yearly from 29 Feb: 29 Feb again four years on',
      '2028-02-29T08:00:00',
      'year',
      1,
      4,
      '2032-02-29T08:00:00',
    ],
    ['every 2 years', '2027-06-15T12:00:00', 'year', 2, 1, '2029-06-15T12:00:00'],
    ['weekly', '2027-01-29T23:59:59', 'week', 1, 1, '2027-02-05T23:59:59'],
    ['every 2 weeks, 3rd boundary', '2027-01-01T00:00:00', 'week', 2, 3, '2027-02-12T00:00:00'],
    ['daily across a month end', '2027-01-31T06:00:00', 'day', 1, 1, '2027-02-01T06:00:00'],
    ['every 10 days', '2027-12-25T00:00:00', 'day', 10, 1, '2028-01-04T00:00:00'],
    ['n = 0 is the anchor', '2027-01-31T10:30:00', 'month', 1, 0, '2027-01-31T10:30:00'],
  ];
  for (const [name, anchor, interval, count, n, expected] of cases) {
    test(name, () => assert.equal(iso(addInterval(at(anchor), interval, count, n)), expected));
  }

  test('dayOfMonth keeps the configured day when the anchor itself was clamped', () => {
    const anchor = at('2027-02-28T00:00:00'); // day_of_month 31 in February
    assert.equal(iso(addInterval(anchor, 'month', 1, 1, { dayOfMonth: 31 })), '2027-03-31T00:00:00');
    assert.equal(iso(addInterval(anchor, 'month', 1, 2, { dayOfMonth: 31 })), '2027-04-30T00:00:00');
    assert.equal(iso(addInterval(anchor, 'month', 1, 1)), '2027-03-28T00:00:00');
  });

  test('boundaries counted back into the first centuries keep their year (Date.UTC would read 94 as 1994)', () => {
    const anchor = at('1990-01-01T00:00:00');
    assert.equal(iso(addInterval(anchor, 'year', 12, -158)), '0094-01-01T00:00:00');
    assert.equal(iso(addInterval(anchor, 'year', 12, -157)), '0106-01-01T00:00:00');
    assert.equal(iso(addInterval(anchor, 'month', 1, -23_880)), '0000-01-01T00:00:00');
    const period = periodContaining(anchor, 'year', 12, at('0100-06-01T00:00:00'));
    assert.deepEqual([iso(period.start), iso(period.end)], ['0094-01-01T00:00:00', '0106-01-01T00:00:00']);
  });

  test('a boundary past the representable date range is refused, not NaN', () => {
    assert.throws(() => addInterval(at('2027-01-01T00:00:00'), 'year', 1, 400_000), RangeError);
    assert.throws(() => addInterval(at('2027-01-01T00:00:00'), 'day', 1, 200_000_000), RangeError);
  });

  test('bad cycles are programming errors', () => {
    assert.throws(() => addInterval(0, 'month', 0, 1), RangeError);
    assert.throws(() => addInterval(0, 'fortnight', 1, 1), RangeError);
    assert.throws(() => addInterval(0, 'day', 1, 0.5), RangeError);
  });
});

describe('periodContaining and nextBoundaryAfter', () => {
  const anchor = at('2027-01-31T10:30:00');
  const cases: [string, string, string, string][] = [
    [
      'inside the clamped February period',
      '2027-03-01T00:00:00',
      '2027-02-28T10:30:00',
      '2027-03-31T10:30:00',
    ],
    [
      'exactly on a boundary: the period it starts',
      '2027-02-28T10:30:00',
      '2027-02-28T10:30:00',
      '2027-03-31T10:30:00',
    ],
    ['one second before a boundary', '2027-02-28T10:29:59', '2027-01-31T10:30:00', '2027-02-28T10:30:00'],
    ['at the anchor', '2027-01-31T10:30:00', '2027-01-31T10:30:00', '2027-02-28T10:30:00'],
    ['before the anchor', '2027-01-15T00:00:00', '2026-12-31T10:30:00', '2027-01-31T10:30:00'],
    ['years later', '2031-07-30T23:00:00', '2031-06-30T10:30:00', '2031-07-31T10:30:00'],
  ];
  for (const [name, t, start, end] of cases) {
    test(name, () => {
      const period = periodContaining(anchor, 'month', 1, at(t));
      assert.deepEqual({ start: iso(period.start), end: iso(period.end) }, { start, end });
      assert.equal(iso(nextBoundaryAfter(anchor, 'month', 1, at(t))), end);
    });
  }

  test('weekly periods', () => {
    const weekly = periodContaining(at('2027-01-01T09:00:00'), 'week', 1, at('2027-01-20T08:59:59'));
    assert.deepEqual([iso(weekly.start), iso(weekly.end)], ['2027-01-15T09:00:00', '2027-01-22T09:00:00']);
  });
});

describe('anchorFromConfig', () => {
  const cases: [string, string, AnchorConfig, string][] = [
    [
      'later this month, keeping the start time of day',
      '2027-01-15T12:00:00',
      { day_of_month: 31 },
      '2027-01-31T12:00:00',
    ],
    [
      'the day has passed this month: next month',
      '2027-01-15T12:00:00',
      { day_of_month: 10 },
      '2027-02-10T12:00:00',
    ],
    [
      '31 in February clamps to the 28th',
      '2027-02-03T08:00:00',
      { day_of_month: 31, hour: 0, minute: 0, second: 0 },
      '2027-02-28T00:00:00',
    ],
    [
      'hour only: minutes and seconds from the start',
      '2027-01-15T12:34:56',
      { day_of_month: 20, hour: 5 },
      '2027-01-20T05:34:56',
    ],
    ['same day, later hour', '2027-01-15T12:00:00', { day_of_month: 15, hour: 18 }, '2027-01-15T18:00:00'],
    [
      'same day, earlier hour: next month',
      '2027-01-15T12:00:00',
      { day_of_month: 15, hour: 6 },
      '2027-02-15T06:00:00',
    ],
    [
      'a month: its next occurrence',
      '2027-01-15T12:00:00',
      { day_of_month: 1, month: 7 },
      '2027-07-01T12:00:00',
    ],
    [
      'a month already past: next year',
      '2027-08-15T12:00:00',
      { day_of_month: 1, month: 7 },
      '2028-07-01T12:00:00',
    ],
    [
      'exactly the start: the start itself',
      '2027-01-01T00:00:00',
      { day_of_month: 1, month: 1, hour: 0, minute: 0, second: 0 },
      '2027-01-01T00:00:00',
    ],
    [
      'one second after: a year later',
      '2027-01-01T00:00:01',
      { day_of_month: 1, month: 1, hour: 0, minute: 0, second: 0 },
      '2028-01-01T00:00:00',
    ],
    [
      '29 Feb in a year without one',
      '2027-01-10T00:00:00',
      { day_of_month: 29, month: 2 },
      '2027-02-28T00:00:00',
    ],
    [
      'null fields (the object shape) default like absent ones',
      '2027-01-15T12:00:00',
      { day_of_month: 31, hour: null, minute: null, month: null, second: null },
      '2027-01-31T12:00:00',
    ],
  ];
  for (const [name, start, config, expected] of cases) {
    test(name, () => assert.equal(iso(anchorFromConfig(at(start), config)), expected));
  }
});

describe('periods, properties', () => {
  const intervals = fc.constantFrom<Interval>('day', 'week', 'month', 'year');
  // 1990 to 2100, whole seconds. Boundaries counted back reach the first centuries (300 × 12
  // years before 1990), where Date.UTC's two-digit years once broke the maths.
  const instant = fc.integer({ min: 631_152_000, max: 4_102_444_800 });

  test('the period holding any instant between boundaries n and n + 1 is exactly [n, n + 1)', () => {
    fc.assert(
      fc.property(
        instant,
        intervals,
        fc.integer({ min: 1, max: 12 }),
        fc.integer({ min: -300, max: 300 }),
        fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        (anchor, interval, count, n, fraction) => {
          const start = addInterval(anchor, interval, count, n);
          const end = addInterval(anchor, interval, count, n + 1);
          assert.ok(start < end);
          const t = start + Math.floor(fraction * (end - start));
          assert.deepEqual(periodContaining(anchor, interval, count, t), { start, end });
          assert.equal(nextBoundaryAfter(anchor, interval, count, t), end);
        },
      ),
    );
  });

  test("month boundaries fall on the anchor's day, or the month's last day, at its time of day", () => {
    fc.assert(
      fc.property(instant, fc.integer({ min: -240, max: 240 }), (anchor, n) => {
        const a = new Date(anchor * 1000);
        const b = new Date(addInterval(anchor, 'month', 1, n) * 1000);
        assert.equal(b.getUTCDate(), Math.min(a.getUTCDate(), lastDayOf(b)));
        assert.equal(anchor % 86_400, (((b.getTime() / 1000) % 86_400) + 86_400) % 86_400);
        const months = (b.getUTCFullYear() - a.getUTCFullYear()) * 12 + b.getUTCMonth() - a.getUTCMonth();
        assert.equal(months, n);
      }),
    );
  });

  test('the configured anchor is the first matching instant at or after the start', () => {
    const config = fc.record({
      day_of_month: fc.integer({ min: 1, max: 31 }),
      hour: fc.integer({ min: 0, max: 23 }),
      minute: fc.integer({ min: 0, max: 59 }),
      second: fc.integer({ min: 0, max: 59 }),
    });
    fc.assert(
      fc.property(instant, config, (start, c) => {
        const anchor = anchorFromConfig(start, c);
        const d = new Date(anchor * 1000);
        assert.ok(anchor >= start);
        assert.equal(d.getUTCDate(), Math.min(c.day_of_month, lastDayOf(d)));
        assert.deepEqual(
          [d.getUTCHours(), d.getUTCMinutes(), d.getUTCSeconds()],
          [c.hour, c.minute, c.second],
        );
        // The month before holds no matching instant at or after the start.
        const previous = addInterval(anchor, 'month', 1, -1, { dayOfMonth: c.day_of_month });
        assert.ok(previous < start);
      }),
    );
  });
});
