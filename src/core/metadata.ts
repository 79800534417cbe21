import type Stripe from 'stripe';
import { fail } from './errors.ts';
import { MAX_METADATA_KEYS } from './params.ts';

/** Applies a metadata param: merge, `''` for a key deletes it, `null` for the whole clears all. */
export function mergeMetadata(
  current: Stripe.Metadata,
  update: Record<string, string | null> | null | undefined,
): Stripe.Metadata {
  if (update === undefined) return current;
  if (update === null) return {};
  // No prototype, so a key named `__proto__` is stored like any other.
  const next: Stripe.Metadata = Object.assign(Object.create(null), current);
  for (const [k, v] of Object.entries(update)) {
    if (v === null) delete next[k];
    else next[k] = v;
  }
  if (Object.keys(next).length > MAX_METADATA_KEYS) {
    throw fail('metadata_too_many_keys', { max: MAX_METADATA_KEYS }, 'metadata');
  }
  return next;
}
