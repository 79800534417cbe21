import { type Kysely, sql } from 'kysely';
import { errors } from '../core/errors.ts';
import type { Page, PageQuery } from '../core/list.ts';
import { Lru } from '../core/lru.ts';
import { dialectOf } from './database.ts';
import { withDeferredChecks } from './deferred-guard.ts';
import { isUniqueViolation } from './errors.ts';
import { ConcurrentUpdate, locksReads, readVersion, rememberRead } from './read-versions.ts';
import { selectFirst, selectRows } from './run.ts';
import type { Db, ObjectRow, ObjectTable } from './schema.ts';
import { syncReader, syncWriter } from './sqlite.ts';

/** Every object belongs to one account and one mode; every query is scoped by both. */
export interface Scope {
  accountId: string;
  livemode: boolean;
}

type Extra = Record<string, string | number | null>;
/** An equality filter on an indexed column, or one of a set, or a text prefix. */
export type Filter =
  | string
  | number
  | null
  | { in: string[] }
  | { prefix: string }
  | { gt: number }
  | { range: { gt?: number; gte?: number; lt?: number; lte?: number } };
type Row = ObjectRow & Record<string, unknown>;
// The helpers below serve every resource table, which share ObjectRow's columns; the per-table
// extras are plain column names, so the query builder is loosened to a table of ObjectRow.
type Loose = Kysely<Record<string, Row>>;

const loose = (db: Db) => db as unknown as Loose;

/**
 * PostgreSQL refuses U+0000 in text parameters. Portico never stores it in an id or an indexed
 * column, so a lookup or filter value carrying one matches nothing, on either store.
 */
const hasNul = (value: unknown) => typeof value === 'string' && value.includes('\u0000');
const mode = (scope: Scope) => (scope.livemode ? 1 : 0);

/**
 * Objects read or written during one bulk run on one transaction (a test clock's advance renews
 * the same few customers and subscriptions thousands of times): lookups by id are answered from
 * what the run itself last read or wrote, instead of a round trip each. Bounded, and gone with the
 * run. Only objects written through insertObject/updateObject may be cached, which is how every
 * object the billing engine touches is written.
 */
interface RunCache {
  objects: Lru<string>;
  /**
   * Customers' rows are written once, when the run ends: a renewal changes its customer (the
   * invoice sequence, the balance) every time, and on PostgreSQL thousands of updates of one row
   * in one transaction make each later read and write of it slower. Nothing in a run queries
   * customers by column, so deferring their writes changes nothing it reads.
   */
  deferred: Map<string, { table: ObjectTable; scope: Scope; id: string; data: string; extra: Extra }>;
}

const DEFERRED_TABLES = new Set<ObjectTable>(['customers']);
const runCaches = new WeakMap<Db, RunCache>();
const cacheKey = (table: ObjectTable, scope: Scope, id: string) =>
  `${table} ${scope.accountId} ${mode(scope)} ${id}`;

/** Writes what the run deferred (before a savepoint that may be rolled back, and at its end). */
export async function flushDeferredWrites(db: Db): Promise<void> {
  const cache = runCaches.get(db);
  if (!cache) return;
  const writes = [...cache.deferred.values()];
  cache.deferred.clear();
  for (const w of writes) await writeObject(db, w.table, w.scope, w.id, w.data, w.extra);
}

/** After a rollback to a savepoint, what the run remembers may be what was undone: forget it. */
export function forgetObjectCache(db: Db): void {
  const cache = runCaches.get(db);
  cache?.objects.clear();
  cache?.deferred.clear();
}

export async function withObjectCache<T>(db: Db, work: () => Promise<T>): Promise<T> {
  if (runCaches.has(db)) return work();
  const cache: RunCache = { objects: new Lru<string>(500, 24 * 3_600_000), deferred: new Map() };
  runCaches.set(db, cache);
  try {
    const result = await withDeferredChecks(
      () => new Set([...cache.deferred.values()].map((w) => w.table)),
      work,
    );
    await flushDeferredWrites(db);
    return result;
  } finally {
    runCaches.delete(db);
  }
}

export async function insertObject(
  db: Db,
  table: ObjectTable,
  scope: Scope,
  object: { id: string; created?: number; date?: number },
  extra: Extra = {},
): Promise<void> {
  // Most objects carry `created`; invoice items are dated (`date`); discounts pass it in `extra`.
  const created = object.created ?? object.date ?? extra.created;
  if (typeof created !== 'number')
    throw new Error(`insertObject: ${table} ${object.id} has no creation time`);
  const row = {
    id: object.id,
    account_id: scope.accountId,
    livemode: mode(scope),
    created,
    data: JSON.stringify(object),
    ...extra,
  };
  runCaches.get(db)?.objects.set(cacheKey(table, scope, object.id), row.data);
  const writer = syncWriter(db);
  if (writer) {
    const columns = Object.keys(row);
    const sql = `insert into ${table} (${columns.join(', ')}) values (${columns.map(() => '?').join(', ')})`;
    writer.statement(sql).run(...Object.values(row));
    return;
  }
  await loose(db)
    .insertInto(table)
    .values(row as Row)
    .execute();
}

/**
 * Inserts many objects of one table (with the same extra columns), a few hundred rows per
 * statement: one round trip instead of one per row.
 */
export async function insertObjects(
  db: Db,
  table: ObjectTable,
  scope: Scope,
  items: { object: { id: string; created: number }; extra: Extra }[],
): Promise<void> {
  for (let i = 0; i < items.length; i += 200) {
    const rows = items.slice(i, i + 200).map(({ object, extra }) => ({
      id: object.id,
      account_id: scope.accountId,
      livemode: mode(scope),
      created: object.created,
      data: JSON.stringify(object),
      ...extra,
    }));
    await loose(db)
      .insertInto(table)
      .values(rows as Row[])
      .execute();
  }
}

/** Inserts an object whose id the caller may have chosen: a taken id is `resource_already_exists`. */
export async function insertChosenId(
  db: Db,
  table: ObjectTable,
  scope: Scope,
  object: { id: string; created: number },
  extra: Extra = {},
): Promise<void> {
  try {
    await insertObject(db, table, scope, object, extra);
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.alreadyExists(objectName(table));
    throw error;
  }
}

export async function updateObject(
  db: Db,
  table: ObjectTable,
  scope: Scope,
  object: { id: string },
  extra: Extra = {},
): Promise<void> {
  const data = JSON.stringify(object);
  const cache = runCaches.get(db);
  if (cache) {
    const key = cacheKey(table, scope, object.id);
    cache.objects.set(key, data);
    if (DEFERRED_TABLES.has(table)) {
      const earlier = cache.deferred.get(key);
      cache.deferred.set(key, { table, scope, id: object.id, data, extra: { ...earlier?.extra, ...extra } });
      return;
    }
  }
  await writeObject(db, table, scope, object.id, data, extra);
}

async function writeObject(db: Db, table: ObjectTable, scope: Scope, id: string, data: string, extra: Extra) {
  const writer = syncWriter(db);
  if (writer) {
    const columns = ['data', ...Object.keys(extra)];
    const sql = `update ${table} set ${columns.map((c) => `${c} = ?`).join(', ')} where id = ? and account_id = ? and livemode = ?`;
    writer.statement(sql).run(data, ...Object.values(extra), id, scope.accountId, mode(scope));
    return;
  }
  const key = cacheKey(table, scope, id);
  const read = readVersion(db, key);
  let update = loose(db)
    .updateTable(table)
    .set({ data, ...extra } as Partial<Row>)
    .where('id', '=', id)
    .where('account_id', '=', scope.accountId)
    .where('livemode', '=', mode(scope));
  // Written back only over the state this transaction read (store/read-versions.ts).
  if (read !== undefined) update = update.where('data', '=', read);
  const result = await update.executeTakeFirst();
  if (read !== undefined && result.numUpdatedRows === 0n) {
    // A row that is gone stays gone, as before; a row that changed is a lost race.
    if ((await readObjectText(db, table, scope, id)) !== undefined) throw new ConcurrentUpdate(key);
  }
  rememberRead(db, key, data);
}

export async function findObject<T>(
  db: Db,
  table: ObjectTable,
  scope: Scope,
  id: string,
): Promise<T | undefined> {
  const text = await findObjectText(db, table, scope, id);
  return text === undefined ? undefined : (JSON.parse(text) as T);
}

// The hottest query, written out once per table rather than built per call.
const FIND_TEXT: Record<ObjectTable, string> = {
  accounts: 'select data from accounts where id = ? and account_id = ? and livemode = ?',
  customers: 'select data from customers where id = ? and account_id = ? and livemode = ?',
  products: 'select data from products where id = ? and account_id = ? and livemode = ?',
  prices: 'select data from prices where id = ? and account_id = ? and livemode = ?',
  subscriptions: 'select data from subscriptions where id = ? and account_id = ? and livemode = ?',
  subscription_items: 'select data from subscription_items where id = ? and account_id = ? and livemode = ?',
  subscription_schedules:
    'select data from subscription_schedules where id = ? and account_id = ? and livemode = ?',
  invoices: 'select data from invoices where id = ? and account_id = ? and livemode = ?',
  invoice_items: 'select data from invoice_items where id = ? and account_id = ? and livemode = ?',
  payment_intents: 'select data from payment_intents where id = ? and account_id = ? and livemode = ?',
  charges: 'select data from charges where id = ? and account_id = ? and livemode = ?',
  refunds: 'select data from refunds where id = ? and account_id = ? and livemode = ?',
  discounts: 'select data from discounts where id = ? and account_id = ? and livemode = ?',
  payment_methods: 'select data from payment_methods where id = ? and account_id = ? and livemode = ?',
  setup_intents: 'select data from setup_intents where id = ? and account_id = ? and livemode = ?',
  coupons: 'select data from coupons where id = ? and account_id = ? and livemode = ?',
  promotion_codes: 'select data from promotion_codes where id = ? and account_id = ? and livemode = ?',
  tax_rates: 'select data from tax_rates where id = ? and account_id = ? and livemode = ?',
  test_clocks: 'select data from test_clocks where id = ? and account_id = ? and livemode = ?',
  tax_ids: 'select data from tax_ids where id = ? and account_id = ? and livemode = ?',
  credit_notes: 'select data from credit_notes where id = ? and account_id = ? and livemode = ?',
  customer_balance_transactions:
    'select data from customer_balance_transactions where id = ? and account_id = ? and livemode = ?',
  files: 'select data from files where id = ? and account_id = ? and livemode = ?',
  file_links: 'select data from file_links where id = ? and account_id = ? and livemode = ?',
  events: 'select data from events where id = ? and account_id = ? and livemode = ?',
  webhook_endpoints: 'select data from webhook_endpoints where id = ? and account_id = ? and livemode = ?',
  billing_feedback_options:
    'select data from billing_feedback_options where id = ? and account_id = ? and livemode = ?',
  billing_portal_configurations:
    'select data from billing_portal_configurations where id = ? and account_id = ? and livemode = ?',
};

/** The stored JSON of an object, unparsed. */
export async function findObjectText(
  db: Db,
  table: ObjectTable,
  scope: Scope,
  id: string,
): Promise<string | undefined> {
  if (hasNul(id)) return undefined;
  const run = runCaches.get(db);
  const cache = run?.objects;
  const key = cacheKey(table, scope, id);
  // A deferred write is the latest state even if the bounded cache has let it go.
  const deferred = run?.deferred.get(key);
  if (deferred) return deferred.data;
  const cached = cache?.get(key);
  if (cached !== undefined) return cached;
  const text = await readObjectText(db, table, scope, id);
  if (text !== undefined) cache?.set(key, text);
  return text;
}

async function readObjectText(
  db: Db,
  table: ObjectTable,
  scope: Scope,
  id: string,
): Promise<string | undefined> {
  const reader = syncReader(db);
  const handle = reader && !reader.raw.inTransaction ? reader : syncWriter(db);
  if (handle)
    return handle.value(FIND_TEXT[table]).get(id, scope.accountId, mode(scope)) as string | undefined;
  let query = loose(db)
    .selectFrom(table)
    .select('data')
    .where('id', '=', id)
    .where('account_id', '=', scope.accountId)
    .where('livemode', '=', mode(scope));
  if (locksReads(db)) query = query.forUpdate();
  const row = await query.executeTakeFirst();
  if (row) rememberRead(db, cacheKey(table, scope, id), row.data);
  return row?.data;
}

/**
 * Stripe tells a caller who used the wrong mode's key that the object exists in the other mode.
 * Only asked after a miss, so it costs nothing on the hot path.
 */
/**
 * Takes the row of an object for the rest of the transaction, so that work guarded by it runs once
 * at a time. On PostgreSQL the row is locked (`FOR UPDATE`) and a row another transaction holds is
 * not waited for: the answer is `false`, as for a missing row. SQLite's single writer already runs
 * one transaction at a time, so there the answer is whether the row exists.
 */
export async function lockObject(db: Db, table: ObjectTable, scope: Scope, id: string): Promise<boolean> {
  if (hasNul(id)) return false;
  let q = loose(db)
    .selectFrom(table)
    .select('id')
    .where('id', '=', id)
    .where('account_id', '=', scope.accountId)
    .where('livemode', '=', scope.livemode ? 1 : 0);
  if (dialectOf(db) === 'postgres') q = q.forUpdate().skipLocked();
  return (await q.executeTakeFirst()) !== undefined;
}

export async function existsInOtherMode(db: Db, table: ObjectTable, scope: Scope, id: string) {
  if (hasNul(id)) return false;
  const row = await loose(db)
    .selectFrom(table)
    .select('id')
    .where('id', '=', id)
    .where('account_id', '=', scope.accountId)
    .where('livemode', '=', scope.livemode ? 0 : 1)
    .executeTakeFirst();
  return row !== undefined;
}

/**
 * One page of a list, newest first, ordered by (created, seq) so objects created in the same
 * second keep their creation order. `where` holds equality filters on indexed columns.
 */
export async function listObjects<T>(
  db: Db,
  table: ObjectTable,
  scope: Scope,
  query: PageQuery,
  where: Record<string, Filter> = {},
): Promise<Page<T>> {
  const page = await listObjectTexts(db, table, scope, query, where);
  return { data: page.data.map((text) => JSON.parse(text) as T), hasMore: page.hasMore };
}

/** The same page as stored JSON texts, for answers that are sent without parsing them. */
export async function listObjectTexts(
  db: Db,
  table: ObjectTable,
  scope: Scope,
  query: PageQuery,
  where: Record<string, Filter> = {},
): Promise<Page<string>> {
  const cursorId = query.startingAfter ?? query.endingBefore;
  let cursor: { created: number; seq: number } | undefined;
  if (cursorId !== undefined) {
    cursor = hasNul(cursorId)
      ? undefined
      : await selectFirst(
          db,
          loose(db)
            .selectFrom(table)
            .select(['created', 'seq'])
            .where('id', '=', cursorId)
            .where('account_id', '=', scope.accountId)
            .where('livemode', '=', mode(scope)),
        );
    if (!cursor) {
      const param = query.startingAfter !== undefined ? 'starting_after' : 'ending_before';
      throw errors.noSuchParam(objectName(table), cursorId, param);
    }
  }
  const filters = Object.values(where).flatMap((v) =>
    v === null || typeof v !== 'object' ? [v] : 'in' in v ? v.in : 'prefix' in v ? [v.prefix] : [],
  );
  if (filters.some(hasNul)) return { data: [], hasMore: false };
  // One of no values matches nothing; SQL has no empty `IN ()` (PostgreSQL refuses it).
  if (Object.values(where).some((v) => v !== null && typeof v === 'object' && 'in' in v && v.in.length === 0))
    return { data: [], hasMore: false };
  const backwards = query.endingBefore !== undefined;
  let q = loose(db)
    .selectFrom(table)
    .select('data')
    .where('account_id', '=', scope.accountId)
    .where('livemode', '=', mode(scope));
  for (const [column, value] of Object.entries(where)) {
    if (value === null) q = q.where(column, 'is', null);
    else if (typeof value !== 'object') q = q.where(column, '=', value);
    else if ('in' in value) q = q.where(column, 'in', value.in);
    else if ('gt' in value) q = q.where(column, '>', value.gt);
    else if ('range' in value) {
      const r = value.range;
      if (r.gt !== undefined) q = q.where(column, '>', r.gt);
      if (r.gte !== undefined) q = q.where(column, '>=', r.gte);
      if (r.lt !== undefined) q = q.where(column, '<', r.lt);
      if (r.lte !== undefined) q = q.where(column, '<=', r.lte);
    } else q = q.where(sql<string>`substr(${sql.ref(column)}, 1, ${value.prefix.length})`, '=', value.prefix);
  }
  const range = query.created;
  if (range?.gt !== undefined) q = q.where('created', '>', range.gt);
  if (range?.gte !== undefined) q = q.where('created', '>=', range.gte);
  if (range?.lt !== undefined) q = q.where('created', '<', range.lt);
  if (range?.lte !== undefined) q = q.where('created', '<=', range.lte);
  if (cursor) {
    const { created, seq } = cursor;
    q = q.where((eb) => eb(eb.refTuple('created', 'seq'), backwards ? '>' : '<', eb.tuple(created, seq)));
  }
  const direction = backwards ? 'asc' : 'desc';
  const rows = await selectRows(
    db,
    q
      .orderBy('created', direction)
      .orderBy('seq', direction)
      .limit(query.limit + 1),
  );
  const hasMore = rows.length > query.limit;
  const page = rows.slice(0, query.limit).map((r) => r.data);
  if (backwards) page.reverse();
  return { data: page, hasMore };
}

const OBJECT_NAMES: Record<ObjectTable, string> = {
  accounts: 'account',
  customers: 'customer',
  products: 'product',
  prices: 'price',
  subscriptions: 'subscription',
  subscription_items: 'subscription_item',
  subscription_schedules: 'subscription_schedule',
  invoices: 'invoice',
  invoice_items: 'invoiceitem',
  payment_intents: 'payment_intent',
  charges: 'charge',
  refunds: 'refund',
  discounts: 'discount',
  payment_methods: 'PaymentMethod',
  setup_intents: 'setup_intent',
  coupons: 'coupon',
  promotion_codes: 'promotion_code',
  tax_rates: 'tax_rate',
  test_clocks: 'test_clock',
  tax_ids: 'tax_id',
  credit_notes: 'credit_note',
  customer_balance_transactions: 'customer_balance_transaction',
  files: 'file',
  file_links: 'file_link',
  events: 'event',
  webhook_endpoints: 'webhook_endpoint',
  billing_feedback_options: 'feedback_option',
  billing_portal_configurations: 'configuration',
};

export function objectName(table: ObjectTable): string {
  return OBJECT_NAMES[table];
}
