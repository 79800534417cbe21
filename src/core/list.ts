import { JsonText } from './json.ts';

/** What a list endpoint asks of the store, decoded from Stripe's list params. */
export interface RangeFilter {
  gt?: number;
  gte?: number;
  lt?: number;
  lte?: number;
}

export interface PageQuery {
  limit: number;
  startingAfter?: string;
  endingBefore?: string;
  created?: RangeFilter;
}

export interface Page<T> {
  data: T[];
  hasMore: boolean;
}

/** The page a list endpoint's params ask for (limit 10 unless given). */
export function pageQuery(params: {
  limit?: number;
  starting_after?: string;
  ending_before?: string;
  created?: number | RangeFilter;
}): PageQuery {
  return {
    limit: params.limit ?? 10,
    startingAfter: params.starting_after,
    endingBefore: params.ending_before,
    created: toRange(params.created),
  };
}

/** Accepts Stripe's `created=123` (exact) as well as `created[gte]=…`. */
function toRange(value: number | RangeFilter | undefined): RangeFilter | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? { gte: value, lte: value } : value;
}

/** Stripe's list object; `url` is the path only. */
export interface ListObject<T> {
  object: 'list';
  data: T[];
  has_more: boolean;
  url: string;
}

export function listObject<T>(page: Page<T>, url: string): ListObject<T> {
  return { object: 'list', data: page.data, has_more: page.hasMore, url };
}

/** A list object built from stored JSON texts, sent without parsing them. */
export function listJson<T>(page: Page<string>, url: string): JsonText<ListObject<T>> {
  return new JsonText(
    `{"object":"list","data":[${page.data.join(',')}],"has_more":${page.hasMore},"url":${JSON.stringify(url)}}`,
  );
}

/** A search endpoint's answer from a page of matches. */
export function searchResult<T>(
  page: { data: T[]; hasMore: boolean; nextPage: string | null; totalCount?: number },
  url: string,
): SearchResult<T> {
  return {
    object: 'search_result',
    data: page.data,
    has_more: page.hasMore,
    next_page: page.nextPage,
    url,
    ...(page.totalCount !== undefined ? { total_count: page.totalCount } : {}),
  };
}

/** What a `/search` endpoint answers; `next_page` is an opaque cursor for `page`. */
export interface SearchResult<T> {
  object: 'search_result';
  data: T[];
  has_more: boolean;
  next_page: string | null;
  url: string;
  total_count?: number;
}
