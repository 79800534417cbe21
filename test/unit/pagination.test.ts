import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseStoreUrl } from '../../src/config.ts';
import type { PageQuery, RangeFilter } from '../../src/core/list.ts';
import { openStore, type Store } from '../../src/store/database.ts';
import { insertObject, listObjects, type Scope } from '../../src/store/objects.ts';
import { asWire } from '../support/refusal.ts';
import { freshStore, type TestStore } from '../support/store.ts';

interface Item {
  id: string;
  object: 'customer';
  created: number;
  n: number;
}

const scope: Scope = { accountId: 'acct_pagination', livemode: false };

/**
 * 25 customers inserted in this order; most share a second, and the seconds are not inserted in
 * order, so only (created, insertion order) gives the expected list.
 */
const CREATED = [
  ...Array(8).fill(1000), // n 0..7
  ...Array(9).fill(1002), // n 8..16
  ...Array(6).fill(1001), // n 17..22
  999, // n 23
  1002, // n 24
];
const items: Item[] = CREATED.map((created, n) => ({
  id: `cus_page${String(n).padStart(2, '0')}`,
  object: 'customer',
  created,
  n,
}));
/** Newest first; within one second the later insert first. */
const expected = [...items].sort((a, b) => b.created - a.created || b.n - a.n).map((i) => i.id);

describe('listObjects pagination', () => {
  let testStore: TestStore;
  let store: Store;

  before(async () => {
    testStore = freshStore();
    store = await openStore(parseStoreUrl(testStore.url));
    for (const item of items) await insertObject(store.db, 'customers', scope, item);
    // Same table, other scopes: never listed, never usable as cursors.
    await insertObject(
      store.db,
      'customers',
      { ...scope, livemode: true },
      {
        id: 'cus_live',
        created: 1001,
      },
    );
    await insertObject(
      store.db,
      'customers',
      { accountId: 'acct_other', livemode: false },
      {
        id: 'cus_other',
        created: 1001,
      },
    );
  });

  after(async () => {
    await store?.close();
    await testStore?.dispose();
  });

  const list = async (query: Partial<PageQuery>) => {
    const page = await listObjects<Item>(store.db, 'customers', scope, { limit: 10, ...query });
    return { ids: page.data.map((i) => i.id), hasMore: page.hasMore };
  };

  test('the expected order is what the fixture says (sanity)', () => {
    assert.deepEqual(expected.slice(0, 11), [
      'cus_page24',
      'cus_page16',
      'cus_page15',
      'cus_page14',
      'cus_page13',
      'cus_page12',
      'cus_page11',
      'cus_page10',
      'cus_page09',
      'cus_page08',
      'cus_page22',
    ]);
    assert.equal(expected.at(-1), 'cus_page23');
  });

  test('first page: the 10 newest, newest first, ties newest insert first', async () => {
    assert.deepEqual(await list({}), { ids: expected.slice(0, 10), hasMore: true });
  });

  test('a limit above the count returns everything, has_more false', async () => {
    assert.deepEqual(await list({ limit: 100 }), { ids: expected, hasMore: false });
  });

  test('forwards with starting_after: pages of 10, 10, 5', async () => {
    const p1 = await list({});
    const p2 = await list({ startingAfter: p1.ids.at(-1) });
    const p3 = await list({ startingAfter: p2.ids.at(-1) });
    assert.deepEqual(p1, { ids: expected.slice(0, 10), hasMore: true });
    assert.deepEqual(p2, { ids: expected.slice(10, 20), hasMore: true });
    assert.deepEqual(p3, { ids: expected.slice(20, 25), hasMore: false });
  });

  test('backwards with ending_before from the oldest: pages of 10, 10, 4, newest first within each', async () => {
    const oldest = expected.at(-1)!;
    const p1 = await list({ endingBefore: oldest });
    const p2 = await list({ endingBefore: p1.ids[0] });
    const p3 = await list({ endingBefore: p2.ids[0] });
    assert.deepEqual(p1, { ids: expected.slice(14, 24), hasMore: true });
    assert.deepEqual(p2, { ids: expected.slice(4, 14), hasMore: true });
    assert.deepEqual(p3, { ids: expected.slice(0, 4), hasMore: false });
  });

  test('ending_before the newest is an empty page without more', async () => {
    assert.deepEqual(await list({ endingBefore: expected[0] }), { ids: [], hasMore: false });
  });

  test('starting_after the oldest is an empty page without more', async () => {
    assert.deepEqual(await list({ startingAfter: expected.at(-1) }), { ids: [], hasMore: false });
  });

  test('has_more is false when exactly limit objects remain, in both directions', async () => {
    assert.deepEqual(await list({ startingAfter: expected[4], limit: 20 }), {
      ids: expected.slice(5, 25),
      hasMore: false,
    });
    assert.deepEqual(await list({ startingAfter: expected[4], limit: 19 }), {
      ids: expected.slice(5, 24),
      hasMore: true,
    });
    assert.deepEqual(await list({ endingBefore: expected[20], limit: 20 }), {
      ids: expected.slice(0, 20),
      hasMore: false,
    });
    assert.deepEqual(await list({ endingBefore: expected[20], limit: 19 }), {
      ids: expected.slice(1, 20),
      hasMore: true,
    });
  });

  test('one at a time forwards visits every object once, in order', async () => {
    const seen: string[] = [];
    let cursor: string | undefined;
    for (let i = 0; i < 30; i++) {
      const page = await list({ limit: 1, startingAfter: cursor });
      seen.push(...page.ids);
      if (!page.hasMore) break;
      cursor = page.ids[0];
    }
    assert.deepEqual(seen, expected);
  });

  test('one at a time backwards visits every newer object once, in order', async () => {
    const seen: string[] = [];
    let cursor = expected.at(-1)!;
    for (let i = 0; i < 30; i++) {
      const page = await list({ limit: 1, endingBefore: cursor });
      seen.unshift(...page.ids);
      if (!page.hasMore) break;
      cursor = page.ids[0]!;
    }
    assert.deepEqual(seen, expected.slice(0, 24));
  });

  test('every cursor position, every limit from 1 to 12: no duplicates, no gaps', async () => {
    for (const limit of [1, 3, 7, 10, 12]) {
      for (let at = 0; at < expected.length; at++) {
        const after = await list({ startingAfter: expected[at], limit });
        assert.deepEqual(
          after.ids,
          expected.slice(at + 1, at + 1 + limit),
          `starting_after #${at} limit ${limit}`,
        );
        assert.equal(after.hasMore, at + 1 + limit < expected.length, `has_more after #${at} limit ${limit}`);
        const beforeAt = await list({ endingBefore: expected[at], limit });
        assert.deepEqual(
          beforeAt.ids,
          expected.slice(Math.max(0, at - limit), at),
          `ending_before #${at} limit ${limit}`,
        );
        assert.equal(beforeAt.hasMore, at - limit > 0, `has_more before #${at} limit ${limit}`);
      }
    }
  });

  const within = (range: RangeFilter) =>
    items
      .filter(
        (i) =>
          (range.gt === undefined || i.created > range.gt) &&
          (range.gte === undefined || i.created >= range.gte) &&
          (range.lt === undefined || i.created < range.lt) &&
          (range.lte === undefined || i.created <= range.lte),
      )
      .sort((a, b) => b.created - a.created || b.n - a.n)
      .map((i) => i.id);

  const ranges: RangeFilter[] = [
    { gte: 1001 },
    { gt: 1001 },
    { lt: 1001 },
    { lte: 1001 },
    { gte: 1001, lte: 1001 },
    { gt: 999, lt: 1002 },
    { gte: 5000 },
    { lt: 0 },
  ];
  for (const range of ranges) {
    test(`created ${JSON.stringify(range)}`, async () => {
      const want = within(range);
      assert.deepEqual(await list({ created: range, limit: 100 }), { ids: want, hasMore: false });
    });
  }

  test('a created range combined with cursors, both directions', async () => {
    const range = { gte: 1000, lte: 1001 };
    const want = within(range);
    assert.equal(want.length, 14);
    const p1 = await list({ created: range, limit: 5 });
    const p2 = await list({ created: range, limit: 5, startingAfter: p1.ids.at(-1) });
    const p3 = await list({ created: range, limit: 5, startingAfter: p2.ids.at(-1) });
    assert.deepEqual(
      [p1, p2, p3],
      [
        { ids: want.slice(0, 5), hasMore: true },
        { ids: want.slice(5, 10), hasMore: true },
        { ids: want.slice(10, 14), hasMore: false },
      ],
    );
    const back = await list({ created: range, limit: 5, endingBefore: p3.ids[0] });
    assert.deepEqual(back, { ids: want.slice(5, 10), hasMore: true });
    // A cursor outside the range still positions the page.
    const fromNewest = await list({ created: range, limit: 3, startingAfter: expected[0] });
    assert.deepEqual(fromNewest, { ids: want.slice(0, 3), hasMore: true });
  });

  for (const [name, query, param] of [
    ['starting_after', { startingAfter: 'cus_nope' }, 'starting_after'],
    ['ending_before', { endingBefore: 'cus_nope' }, 'ending_before'],
    ['starting_after naming a live-mode object', { startingAfter: 'cus_live' }, 'starting_after'],
    ['starting_after naming another account’s object', { startingAfter: 'cus_other' }, 'starting_after'],
  ] as const) {
    test(`unknown cursor: ${name} → 400 resource_missing`, async () => {
      const id = (query as Partial<PageQuery>).startingAfter ?? (query as Partial<PageQuery>).endingBefore;
      await assert.rejects(list(query), (error: unknown) => {
        const wire = asWire(error);
        assert.ok(wire, 'a refusal');
        assert.equal(wire.status, 400);
        assert.deepEqual(wire.body, {
          type: 'invalid_request_error',
          code: 'resource_missing',
          param,
          message: `No such customer: '${id}'`,
        });
        return true;
      });
    });
  }

  test('other scopes list only their own objects', async () => {
    const live = await listObjects<Item>(store.db, 'customers', { ...scope, livemode: true }, { limit: 10 });
    assert.deepEqual(
      live.data.map((i) => i.id),
      ['cus_live'],
    );
    const other = await listObjects<Item>(
      store.db,
      'customers',
      { accountId: 'acct_other', livemode: false },
      {
        limit: 10,
      },
    );
    assert.deepEqual(
      other.data.map((i) => i.id),
      ['cus_other'],
    );
  });

  test('the listed objects are the stored objects', async () => {
    const page = await listObjects<Item>(store.db, 'customers', scope, { limit: 1 });
    assert.deepEqual(page.data, [items[24]]);
  });
});
