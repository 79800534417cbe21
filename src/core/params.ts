import type { ValueCode } from './error-codes.ts';
import { errors, fail } from './errors.ts';

/**
 * Param schemas that mirror Stripe's: they coerce decoded form strings into typed values and
 * raise Stripe's parameter errors with the param's bracket path (`address[line1]`).
 *
 * Conventions: an absent param is `undefined`; `''` clears a param only where the schema is
 * wrapped in `clearable` (Stripe's `Emptyable`), which turns it into `null`.
 */
export interface Schema<T> {
  readonly optional: boolean;
  parse(value: unknown, path: string): T;
  /**
   * What the schema takes, for code that walks an endpoint's params rather than parsing them
   * (the hostile-input sweep sends each field values of every wrong kind). Absent on hand-written
   * schemas.
   */
  readonly shape?: SchemaShape;
}

/** A schema's outline: its kind, and for hashes and arrays what they hold. */
export type SchemaShape =
  | { kind: 'object'; fields: Readonly<Record<string, Schema<unknown>>> }
  | { kind: 'array' | 'record'; item: Schema<unknown> }
  | { kind: 'string' | 'integer' | 'decimal' | 'timestamp' | 'boolean' | 'metadata' | 'range' }
  | { kind: 'enum'; values: readonly string[] };

export type Infer<S> = S extends Schema<infer T> ? T : never;

type Shape = Record<string, Schema<unknown>>;
type RequiredKeys<S extends Shape> = { [K in keyof S]: S[K]['optional'] extends false ? K : never }[keyof S];
type OptionalKeys<S extends Shape> = Exclude<keyof S, RequiredKeys<S>>;
export type InferShape<S extends Shape> = { [K in RequiredKeys<S>]: Infer<S[K]> } & {
  [K in OptionalKeys<S>]?: Infer<S[K]>;
};

export const childPath = (path: string, key: string | number) => (path ? `${path}[${key}]` : String(key));

const isRecord = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function schema<T>(parse: (value: unknown, path: string) => T, shape?: SchemaShape): Schema<T> {
  return { optional: true, parse, shape };
}

function expectString(value: unknown, path: string): string {
  if (typeof value !== 'string') throw fail('parameter_not_string', {}, path);
  return value;
}

export interface StringOptions {
  max?: number;
  pattern?: RegExp;
  /** The refusal of a value that does not fit `pattern` (`parameter_invalid_format` by default). */
  invalid?: ValueCode;
}

export function string(options: StringOptions = {}): Schema<string> {
  const max = options.max ?? 5000;
  return schema(
    (value, path) => {
      const s = expectString(value, path);
      if (s === '') throw errors.parameterInvalidEmpty(path);
      if (s.length > max) throw errors.stringTooLong(path, max);
      if (options.pattern && !options.pattern.test(s)) {
        throw fail(options.invalid ?? 'parameter_invalid_format', { value: s }, path);
      }
      return s;
    },
    { kind: 'string' },
  );
}

export function integer(options: { min?: number; max?: number } = {}): Schema<number> {
  return schema(
    (value, path) => {
      const s = expectString(value, path);
      if (s === '') throw errors.parameterInvalidEmpty(path);
      if (!/^-?\d{1,16}$/.test(s) || !Number.isSafeInteger(Number(s))) {
        throw errors.parameterInvalidInteger(path, s);
      }
      const n = Number(s);
      if (options.min !== undefined && n < options.min) {
        throw fail('parameter_below_minimum', { min: options.min }, path);
      }
      if (options.max !== undefined && n > options.max) {
        throw fail('parameter_above_maximum', { max: options.max }, path);
      }
      return n;
    },
    { kind: 'integer' },
  );
}

/** A decimal number such as `1.5` (dimensions, weights). */
export function decimal(options: { min?: number } = {}): Schema<number> {
  return schema(
    (value, path) => {
      const s = expectString(value, path);
      if (s === '') throw errors.parameterInvalidEmpty(path);
      if (!/^-?\d{1,15}(\.\d{1,12})?$/.test(s)) throw fail('parameter_invalid_decimal', { value: s }, path);
      const n = Number(s);
      if (options.min !== undefined && n < options.min) {
        throw fail('parameter_below_minimum', { min: options.min }, path);
      }
      return n;
    },
    { kind: 'decimal' },
  );
}

/**
 * A decimal kept as text so no precision is lost (`unit_amount_decimal`): at most 12 decimal
 * places, returned normalised ("12.50" → "12.5", "007" → "7") as Stripe returns it.
 */
export function decimalText(options: { min?: number; max?: number } = {}): Schema<string> {
  return schema(
    (value, path) => {
      const s = expectString(value, path);
      if (s === '') throw errors.parameterInvalidEmpty(path);
      const match = /^(-?)(\d{1,19})(?:\.(\d{1,12}))?$/.exec(s);
      if (!match) throw fail('parameter_invalid_decimal', { value: s }, path);
      if (options.min !== undefined && Number(s) < options.min) {
        throw fail('parameter_below_minimum', { min: options.min }, path);
      }
      if (options.max !== undefined && Number(s) > options.max) {
        throw fail('parameter_above_maximum', { max: options.max }, path);
      }
      const whole = match[2]!.replace(/^0+(?=\d)/, '');
      const fraction = (match[3] ?? '').replace(/0+$/, '');
      const text = fraction ? `${whole}.${fraction}` : whole;
      return text === '0' ? '0' : `${match[1]}${text}`;
    },
    { kind: 'decimal' },
  );
}

import { MAX_AMOUNT, MAX_QUANTITY } from './limits.ts';

export { MAX_AMOUNT, MAX_QUANTITY };

/** An amount in minor units, at most `MAX_AMOUNT` either way (`min` narrows the lower end). */
export function amount(options: { min?: number } = {}): Schema<number> {
  return integer({ min: options.min ?? -MAX_AMOUNT, max: MAX_AMOUNT });
}

/** A quantity: a whole number from 0 to `MAX_QUANTITY`. */
export function quantity(): Schema<number> {
  return integer({ min: 0, max: MAX_QUANTITY });
}

/** A decimal amount in minor units (`unit_amount_decimal`), at most `MAX_AMOUNT` either way. */
export function amountDecimal(options: { min?: number } = {}): Schema<string> {
  return decimalText({ min: options.min ?? -MAX_AMOUNT, max: MAX_AMOUNT });
}

/** Unix seconds; `now` accepted where Stripe accepts it. */
export function timestamp(options: { now?: boolean } = {}): Schema<number | 'now'> {
  const int = integer({ min: 0 });
  return schema(
    (value, path) => {
      if (options.now && value === 'now') return 'now';
      return int.parse(value, path);
    },
    { kind: 'timestamp' },
  );
}

export function boolean(): Schema<boolean> {
  return schema(
    (value, path) => {
      const s = expectString(value, path);
      if (s === '') throw errors.parameterInvalidEmpty(path);
      if (s === 'true') return true;
      if (s === 'false') return false;
      throw fail('parameter_invalid_boolean', { value: s }, path);
    },
    { kind: 'boolean' },
  );
}

/** One of a fixed set; `invalid` names the refusal where listing every value would not help. */
export function enumOf<const V extends string>(values: readonly V[], invalid?: ValueCode): Schema<V> {
  const allowed = new Set<string>(values);
  return schema(
    (value, path) => {
      const s = expectString(value, path);
      if (s === '') throw errors.parameterInvalidEmpty(path);
      if (!allowed.has(s)) {
        throw invalid
          ? fail(invalid, { value: s }, path)
          : fail('parameter_invalid_enum', { value: s, allowed: values }, path);
      }
      return s as V;
    },
    { kind: 'enum', values },
  );
}

export function object<S extends Shape>(shape: S): Schema<InferShape<S>> {
  const keys = Object.keys(shape);
  return schema(
    (value, path) => {
      if (!isRecord(value)) {
        if (value === '') throw errors.parameterInvalidEmpty(path);
        throw fail('parameter_not_object', {}, path);
      }
      for (const key of Object.keys(value)) {
        if (!Object.hasOwn(shape, key)) throw errors.parameterUnknown(childPath(path, key));
      }
      const out: Record<string, unknown> = {};
      for (const key of keys) {
        const field = shape[key]!;
        const raw = value[key];
        if (raw === undefined) {
          if (!field.optional) throw errors.parameterMissing(childPath(path, key));
          continue;
        }
        out[key] = field.parse(raw, childPath(path, key));
      }
      return out as InferShape<S>;
    },
    { kind: 'object', fields: shape },
  );
}

/**
 * Stripe sends arrays as `a[0]=…&a[1]=…` (the SDK) or `a[]=…` (curl); the decoder gives an
 * object with index keys for the first and an array for the second.
 */
export function array<T>(item: Schema<T>, options: { max?: number } = {}): Schema<T[]> {
  const max = options.max ?? 100;
  return schema(
    (value, path) => {
      let entries: unknown[];
      if (Array.isArray(value)) entries = value;
      else if (isRecord(value)) {
        const keys = Object.keys(value);
        if (!keys.every((k) => /^\d{1,6}$/.test(k))) {
          throw fail('parameter_not_array', {}, path);
        }
        entries = keys.sort((a, b) => Number(a) - Number(b)).map((k) => value[k]);
      } else if (value === '') throw errors.parameterInvalidEmpty(path);
      else throw fail('parameter_not_array', {}, path);
      if (entries.length > max) {
        throw fail('parameter_array_too_long', { max }, path);
      }
      return entries.map((e, i) => item.parse(e, childPath(path, i)));
    },
    { kind: 'array', item },
  );
}

/** Stripe's `Emptyable`: `''` unsets the param and arrives as `null`. */
export function clearable<T>(inner: Schema<T>): Schema<T | null> {
  return schema((value, path) => (value === '' ? null : inner.parse(value, path)), inner.shape);
}

export function required<T>(inner: Schema<T>): Schema<T> & { optional: false } {
  return { optional: false, parse: inner.parse, shape: inner.shape };
}

export const MAX_METADATA_KEYS = 50;

/**
 * Metadata: ≤50 keys of ≤40 characters (no brackets), values ≤500. On update `k=''` deletes a
 * key (null here) and `metadata=''` deletes all (the whole value null).
 */
export function metadata(): Schema<Record<string, string | null> | null> {
  return schema(
    (value, path) => {
      if (value === '') return null;
      if (!isRecord(value)) throw fail('parameter_not_object', {}, path);
      const entries = Object.entries(value);
      if (entries.length > MAX_METADATA_KEYS) {
        throw fail('metadata_too_many_keys', { max: MAX_METADATA_KEYS }, path);
      }
      const out: Record<string, string | null> = Object.create(null);
      for (const [key, v] of entries) {
        const keyPath = childPath(path, key);
        if (key.length > 40 || key.length === 0) {
          throw fail('metadata_key_length', {}, keyPath);
        }
        if (typeof v !== 'string') {
          throw fail('metadata_value_not_string', { key }, keyPath);
        }
        if (v.length > 500) {
          throw fail('metadata_value_too_long', {}, keyPath);
        }
        out[key] = v === '' ? null : v;
      }
      return out;
    },
    { kind: 'metadata' },
  );
}

/** A hash keyed by caller-chosen names (`currency_options[eur][…]`), each key checked by `key`. */
export function record<T>(
  item: Schema<T>,
  key: (name: string, path: string) => void = () => undefined,
): Schema<Record<string, T>> {
  return schema(
    (value, path) => {
      if (!isRecord(value)) {
        if (value === '') throw errors.parameterInvalidEmpty(path);
        throw fail('parameter_not_object', {}, path);
      }
      const out: Record<string, T> = Object.create(null);
      for (const [name, v] of Object.entries(value)) {
        key(name, childPath(path, name));
        out[name] = item.parse(v, childPath(path, name));
      }
      return out;
    },
    { kind: 'record', item },
  );
}

/** `created=123` or `created[gte]=…` style filters. */
export function range(): Schema<number | { gt?: number; gte?: number; lt?: number; lte?: number }> {
  const int = integer({ min: 0 });
  const bounds = object({ gt: int, gte: int, lt: int, lte: int });
  return schema(
    (value, path) => (typeof value === 'string' ? int.parse(value, path) : bounds.parse(value, path)),
    { kind: 'range' },
  );
}

export const p = {
  string,
  integer,
  decimal,
  decimalText,
  amount,
  amountDecimal,
  quantity,
  timestamp,
  boolean,
  enumOf,
  object,
  array,
  clearable,
  required,
  metadata,
  range,
  record,
};

/** Stripe's list params (`limit`, cursors, `created`, `expand`) plus a resource's own filters. */
export function listParams<S extends Shape>(filters: S) {
  return object({
    created: range(),
    ending_before: string(),
    expand: array(string()),
    limit: integer({ min: 1, max: 100 }),
    starting_after: string(),
    ...filters,
  });
}

/** Stripe's search params: `query`, `limit`, `page` (the previous answer's `next_page`). */
export function searchParams() {
  return object({
    query: required(string({ max: 5000 })),
    expand: array(string()),
    limit: integer({ min: 1, max: 100 }),
    page: string(),
  });
}

/** Params of endpoints that take nothing but `expand[]` (retrieves). */
export const expandOnly = object({ expand: array(string()) });
/** Params of endpoints that take nothing (deletes). */
export const noParams = object({});
