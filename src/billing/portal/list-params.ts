import { p, type Schema } from '../../core/params.ts';

/**
 * Stripe's pagination params without `created`: neither portal configurations nor feedback
 * options filter on creation time, so the param is unknown there, as on Stripe.
 */
export function pageParams<S extends Record<string, Schema<unknown>>>(filters: S) {
  return p.object({
    ending_before: p.string(),
    expand: p.array(p.string()),
    limit: p.integer({ min: 1, max: 100 }),
    starting_after: p.string(),
    ...filters,
  });
}
