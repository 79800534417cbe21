import { type Expression, type ExpressionBuilder, type Kysely, type SqlBool, sql } from 'kysely';
import { fail } from '../core/errors.ts';
import type { Clause, SearchQuery } from '../search/query.ts';
import { type Db, type Dialect, dialectOf } from './database.ts';
import type { Scope } from './objects.ts';
import type { ObjectRow, ObjectTable } from './schema.ts';

/** How a searchable field maps to SQL: an indexed column, a JSON path into `data`, or metadata. */
export type SearchField =
  | { kind: 'text'; column: string }
  | { kind: 'text'; json: string }
  | { kind: 'number'; column: string }
  /** A 0/1 column, searched with "true" or "false". */
  | { kind: 'boolean'; column: string }
  | { kind: 'metadata' };

export interface SearchPage<T> {
  data: T[];
  hasMore: boolean;
  nextPage: string | null;
  totalCount?: number;
}

type Row = ObjectRow & Record<string, unknown>;
type Eb = ExpressionBuilder<Record<string, Row>, string>;

/** `next_page` is an opaque cursor: the (created, seq) of the last object returned. */
function encodeCursor(created: number, seq: number): string {
  return Buffer.from(JSON.stringify([created, seq])).toString('base64url');
}

function decodeCursor(page: string): [number, number] {
  try {
    const value = JSON.parse(Buffer.from(page, 'base64url').toString('utf8'));
    if (Array.isArray(value) && value.length === 2 && value.every(Number.isSafeInteger))
      return value as [number, number];
  } catch {}
  throw fail('search_page_invalid', { page }, 'page');
}

/** `data -> 'a' ->> 'b'` works in both SQLite (3.38+) and PostgreSQL (on jsonb). */
function jsonText(dialect: Dialect, path: string[]): Expression<string | null> {
  const doc = dialect === 'postgres' ? sql`(data::jsonb)` : sql`data`;
  const steps = path.map((p, i) => (i === path.length - 1 ? sql` ->> ${p}` : sql` -> ${p}`));
  return sql<string | null>`(${doc}${sql.join(steps, sql``)})`;
}

function condition(
  eb: Eb,
  dialect: Dialect,
  fields: Record<string, SearchField>,
  c: Clause,
): Expression<SqlBool> {
  const field = fields[c.field];
  if (!field) {
    throw fail('search_field_unknown', { field: c.field, fields: Object.keys(fields) }, 'query');
  }
  if ((field.kind === 'metadata') !== (c.key !== undefined)) {
    throw fail('search_metadata_syntax', {}, 'query');
  }
  let expr: Expression<SqlBool>;
  if (field.kind === 'boolean') {
    if (c.operator !== ':' || (c.value !== 'true' && c.value !== 'false')) {
      throw fail('search_boolean_expected', { field: c.field }, 'query');
    }
    expr = eb(sql.ref(field.column), '=', c.value === 'true' ? 1 : 0);
  } else if (field.kind === 'number') {
    if (typeof c.value !== 'number' || c.operator === '~') {
      throw fail('search_integer_expected', { field: c.field }, 'query');
    }
    const op = c.operator === ':' ? '=' : c.operator;
    expr = eb(sql.ref(field.column), op, c.value);
  } else {
    if (c.operator !== ':' && c.operator !== '~') {
      throw fail('search_operator_unsupported', { field: c.field }, 'query');
    }
    const target =
      field.kind === 'metadata'
        ? jsonText(dialect, ['metadata', c.key!])
        : 'column' in field
          ? sql<string | null>`${sql.ref(field.column)}`
          : jsonText(dialect, [field.json]);
    if (c.value === null) expr = eb(target, 'is', null);
    else if (typeof c.value === 'number') {
      throw fail('search_value_unquoted', { field: c.field }, 'query');
    } else if (c.operator === '~') {
      const fn = dialect === 'postgres' ? sql`strpos` : sql`instr`;
      expr = sql<SqlBool>`${fn}(lower(${target}), ${c.value.toLowerCase()}) > 0`;
    } else if (field.kind === 'metadata') expr = eb(target, '=', c.value);
    else expr = eb(sql`lower(${target})`, '=', c.value.toLowerCase());
    if (c.negated) return eb.or([eb(target, 'is', null), eb.not(expr)]);
  }
  return c.negated ? eb.not(expr) : expr;
}

export async function searchObjects<T>(
  db: Db,
  table: ObjectTable,
  scope: Scope,
  fields: Record<string, SearchField>,
  query: SearchQuery,
  options: { limit: number; page?: string; totalCount: boolean; where?: Record<string, string | number> },
): Promise<SearchPage<T>> {
  const k = db as unknown as Kysely<Record<string, Row>>;
  const dialect = dialectOf(db);
  let base = k
    .selectFrom(table)
    .where('account_id', '=', scope.accountId)
    .where('livemode', '=', scope.livemode ? 1 : 0)
    .where((eb) => {
      const parts = query.clauses.map((c) => condition(eb, dialect, fields, c));
      return query.join === 'OR' ? eb.or(parts) : eb.and(parts);
    });
  for (const [column, value] of Object.entries(options.where ?? {})) base = base.where(column, '=', value);
  let q = base.select(['data', 'created', 'seq']);
  if (options.page) {
    const [created, seq] = decodeCursor(options.page);
    q = q.where((eb) => eb(eb.refTuple('created', 'seq'), '<', eb.tuple(created, seq)));
  }
  const rows = await q
    .orderBy('created', 'desc')
    .orderBy('seq', 'desc')
    .limit(options.limit + 1)
    .execute();
  const hasMore = rows.length > options.limit;
  const page = rows.slice(0, options.limit);
  const last = page[page.length - 1];
  const result: SearchPage<T> = {
    data: page.map((r) => JSON.parse(r.data) as T),
    hasMore,
    nextPage: hasMore && last ? encodeCursor(last.created, last.seq) : null,
  };
  if (options.totalCount) {
    const counted = await base.select((eb) => eb.fn.countAll<number>().as('n')).executeTakeFirst();
    result.totalCount = Number(counted?.n ?? 0);
  }
  return result;
}
