import { fail } from '../core/errors.ts';

/**
 * Decodes Stripe's form encoding (`a[b][0]=x&a[]=y`) into nested plain objects and arrays.
 * The pairs are split on `&` and `=` before percent-decoding, so encoded brackets and raw
 * brackets mean the same and values may contain either. `a[]` appends to an array; `a[0]`
 * is an object key that the param schema later reads as an index.
 *
 * Objects have no prototype, so keys like `__proto__` are plain data.
 */
export interface FormLimits {
  maxPairs: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: FormLimits = { maxPairs: 2000, maxDepth: 8 };

export type FormValue = string | FormObject | FormValue[];
export interface FormObject {
  [key: string]: FormValue;
}

const KEY = /^([^[\]]+)((?:\[[^[\]]*\])*)$/;

function decodeComponent(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, ' '));
  } catch {
    throw fail('form_parameter_not_utf8', { name: raw.slice(0, 100) });
  }
}

/** `a[b][]` → ['a', 'b', '']; a key that is not well formed stays one literal name. */
export function splitKey(key: string): string[] {
  const m = KEY.exec(key);
  if (!m) return [key];
  const rest = m[2]!;
  const segments = [m[1]!];
  if (rest) for (const part of rest.slice(1, -1).split('][')) segments.push(part);
  return segments;
}

function describe(segments: string[]): string {
  return (
    segments[0] +
    segments
      .slice(1)
      .map((s) => `[${s}]`)
      .join('')
  );
}

function conflict(segments: string[]): never {
  throw fail('form_parameter_conflict', { name: describe(segments) }, describe(segments));
}

export function decodeForm(input: string, limits: FormLimits = DEFAULT_LIMITS): FormObject {
  const root: FormObject = Object.create(null);
  if (input === '') return root;
  const pairs = input.split('&');
  if (pairs.length > limits.maxPairs) {
    throw fail('form_too_many_parameters', { max: limits.maxPairs });
  }
  for (const pair of pairs) {
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    const key = decodeComponent(eq < 0 ? pair : pair.slice(0, eq));
    const value = eq < 0 ? '' : decodeComponent(pair.slice(eq + 1));
    if (key === '') continue;
    const segments = splitKey(key);
    if (segments.length > limits.maxDepth) {
      throw fail('form_parameter_too_deep', { name: key.slice(0, 100), max: limits.maxDepth });
    }
    assign(root, segments, value);
  }
  return root;
}

function assign(root: FormObject, segments: string[], value: string): void {
  let container: FormObject | FormValue[] = root;
  for (let i = 0; i < segments.length; i++) {
    const segment = segments[i]!;
    const last = i === segments.length - 1;
    if (Array.isArray(container)) {
      // `a[]=x` appends; `a[][b]=1&a[][b]=2` starts a new element each time `b` repeats.
      if (last) {
        container.push(value);
        return;
      }
      const key = segments[i + 1]!;
      if (key === '') conflict(segments.slice(0, i + 2));
      const tail: FormValue | undefined = container[container.length - 1];
      if (tail !== undefined && typeof tail === 'object' && !Array.isArray(tail) && !(key in tail)) {
        container = tail;
      } else {
        const element: FormObject = Object.create(null);
        container.push(element);
        container = element;
      }
      continue;
    }
    if (segment === '' && i > 0) conflict(segments.slice(0, i + 1));
    if (last) {
      const existing = container[segment];
      if (existing !== undefined && typeof existing !== 'string') conflict(segments);
      container[segment] = value;
      return;
    }
    container = descend(container, segment, segments[i + 1]!, segments.slice(0, i + 1));
  }
}

/** Returns the container at `parent[segment]`, creating an array (for `[]`) or an object. */
function descend(
  parent: FormObject,
  segment: string,
  nextSegment: string,
  path: string[],
): FormObject | FormValue[] {
  const existing = parent[segment];
  const wantArray = nextSegment === '';
  if (existing === undefined) {
    const created: FormObject | FormValue[] = wantArray ? [] : (Object.create(null) as FormObject);
    parent[segment] = created;
    return created;
  }
  if (typeof existing === 'string' || Array.isArray(existing) !== wantArray) conflict(path);
  return existing as FormObject | FormValue[];
}
