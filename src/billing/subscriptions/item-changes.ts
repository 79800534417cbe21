import type Stripe from 'stripe';
import { errors, fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { checkSameTerms } from './prices.ts';

/** One `items[]` entry of an update (or of a preview's `subscription_details[items]`). */
export interface ItemEntry {
  id?: string;
  deleted?: boolean;
  price?: string;
  plan?: string;
  price_data?: unknown;
  quantity?: number;
  metadata?: Record<string, string | null> | null;
}

/**
 * An `items[]` entry with everything it names loaded, ready for the change's plan. `metadata` and
 * `discounts` are what the item holds once the entry is applied (merged with what it held).
 */
export type ResolvedItemEntry =
  | { kind: 'delete'; id: string }
  | {
      kind: 'change';
      id: string;
      /** A price the entry names (loaded or made), or none: the item keeps its own. */
      price?: Stripe.Price;
      quantity?: number;
      metadata: Stripe.Metadata;
      discounts: (string | Stripe.Discount)[];
      tax_rates: Stripe.TaxRate[];
    }
  | {
      kind: 'add';
      /** Chosen now: the item's own discounts and the change's prorations name it before it is built. */
      id: string;
      price: Stripe.Price;
      quantity: number;
      metadata: Stripe.Metadata;
      discounts: (string | Stripe.Discount)[];
      tax_rates: Stripe.TaxRate[];
    };

type HeldItem = Pick<Stripe.SubscriptionItem, 'id' | 'metadata' | 'discounts'> & {
  tax_rates: Stripe.TaxRate[];
};

export interface ItemResolveOptions<E extends ItemEntry> {
  /** The bracket path of `items` (`items`, or `subscription_details[items]`). */
  param: string;
  /** The price an entry names: made and stored by an update, in memory only for a preview. */
  price: (entry: E, path: string) => Promise<Stripe.Price>;
  /** An entry's own discounts (an update's `items[][discounts]`); undefined leaves the item's. */
  discounts?: (item: HeldItem, entry: E, path: string) => Promise<string[] | undefined>;
  /** An entry's own `tax_rates`; undefined leaves the item's. */
  taxRates?: (item: HeldItem, entry: E, path: string) => Promise<Stripe.TaxRate[] | undefined>;
}

/**
 * Loads what `items[]` names, entry by entry in the order given (so the first bad entry is the
 * one refused): the items changed or deleted must exist, prices are loaded or made, discounts
 * redeemed. Nothing is applied to the subscription; the change's plan does that.
 */
export async function resolveItemEntries<E extends ItemEntry>(
  sub: Stripe.Subscription,
  entries: E[],
  options: ItemResolveOptions<E>,
): Promise<ResolvedItemEntry[]> {
  // What each item holds so far: a later entry naming the same item builds on an earlier one,
  // and one deleted earlier is gone.
  const held = new Map<string, HeldItem>(
    sub.items.data.map((item) => [
      item.id,
      { id: item.id, metadata: item.metadata, discounts: item.discounts, tax_rates: item.tax_rates ?? [] },
    ]),
  );
  const resolved: ResolvedItemEntry[] = [];
  for (const [i, entry] of entries.entries()) {
    const path = `${options.param}[${i}]`;
    if (entry.id !== undefined) {
      const item = held.get(entry.id);
      if (!item) throw errors.noSuchParam('subscription_item', entry.id, `${path}[id]`);
      if (entry.deleted) {
        held.delete(entry.id);
        resolved.push({ kind: 'delete', id: entry.id });
        continue;
      }
      const named = entry.price !== undefined || entry.plan !== undefined || entry.price_data !== undefined;
      const price = named ? await options.price(entry, path) : undefined;
      item.metadata = mergeMetadata(item.metadata, entry.metadata);
      item.discounts = (await options.discounts?.(item, entry, path)) ?? item.discounts;
      item.tax_rates = (await options.taxRates?.(item, entry, path)) ?? item.tax_rates;
      resolved.push({ kind: 'change', ...item, price, quantity: entry.quantity });
      continue;
    }
    if (entry.deleted) {
      throw fail('subscription_item_delete_id_missing', {}, `${path}[deleted]`);
    }
    const price = await options.price(entry, path);
    const item: HeldItem = {
      id: newId('si'),
      metadata: mergeMetadata({}, entry.metadata),
      discounts: [],
      tax_rates: [],
    };
    item.discounts = (await options.discounts?.(item, entry, path)) ?? item.discounts;
    item.tax_rates = (await options.taxRates?.(item, entry, path)) ?? item.tax_rates;
    resolved.push({ kind: 'add', ...item, price, quantity: entry.quantity ?? 1 });
  }
  return resolved;
}

/** The prices `items[]` names (their products name the change's prorations). */
export function pricesNamed(entries: ResolvedItemEntry[] | undefined): Stripe.Price[] {
  return (entries ?? []).flatMap((entry) => (entry.kind !== 'delete' && entry.price ? [entry.price] : []));
}

/** What `items[]` leaves must still be a subscription: one item at least, all on the same terms. */
export function checkResultingItems(prices: Stripe.Price[], param: string): void {
  if (prices.length === 0) {
    throw fail('subscription_items_all_deleted', {}, param);
  }
  checkSameTerms(prices, param);
}
