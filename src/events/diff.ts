/**
 * `data.previous_attributes` of an `*.updated` event: the old values of what changed. Nested
 * hashes (metadata, address, invoice_settings) show only their changed keys, with `null` for a
 * key that did not exist before, as Stripe does; arrays and scalars appear whole.
 */
type Json = unknown;

const isHash = (v: Json): v is Record<string, Json> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Deep equality in which the order of a hash's keys does not matter. */
function same(a: Json, b: Json): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((v, i) => same(v, b[i]));
  if (isHash(a) && isHash(b)) {
    const keys = Object.keys(a);
    return (
      keys.length === Object.keys(b).length && keys.every((k) => Object.hasOwn(b, k) && same(a[k], b[k]))
    );
  }
  return false;
}

export function previousAttributes(
  before: Record<string, Json>,
  after: Record<string, Json>,
): Record<string, Json> {
  const out: Record<string, Json> = {};
  const keys = new Set([...Object.keys(before), ...Object.keys(after)]);
  for (const key of keys) {
    const old = before[key];
    const now = after[key];
    if (same(old, now)) continue;
    if (isHash(old) && isHash(now)) out[key] = previousAttributes(old, now);
    else out[key] = old === undefined ? null : old;
  }
  return out;
}
