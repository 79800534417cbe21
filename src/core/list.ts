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

/** Accepts Stripe's `created=123` (exact) as well as `created[gte]=…`. */
export function toRange(value: number | RangeFilter | undefined): RangeFilter | undefined {
  if (value === undefined) return undefined;
  return typeof value === 'number' ? { gte: value, lte: value } : value;
}
