import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { newItem } from './items.ts';
import { checkSameTerms } from './prices.ts';
import type { ItemState } from './proration.ts';

/** One `items[]` entry of an update (or of a preview's `subscription_details[items]`). */
export interface ItemEntry {
  id?: string;
  deleted?: boolean;
  price?: string;
  price_data?: unknown;
  quantity?: number;
  metadata?: Record<string, string | null> | null;
}

export interface ItemChangeOptions<E extends ItemEntry> {
  /** The bracket path of `items` (`items`, or `subscription_details[items]`). */
  param: string;
  /** The price an entry names: made and stored by an update, in memory only for a preview. */
  price: (entry: E, path: string) => Promise<Stripe.Price>;
  /** What else an entry sets on its item (an update's `discounts`). */
  also?: (item: Stripe.SubscriptionItem, entry: E, path: string) => Promise<void>;
}

/**
 * Applies `items[]` to a subscription in place: items changed, added or deleted; answers each
 * change's two sides, for prorations. An update and a preview of it go through the same rules.
 */
export async function applyItemChanges<E extends ItemEntry>(
  ctx: Ctx,
  sub: Stripe.Subscription,
  entries: E[],
  period: { start: number; end: number },
  options: ItemChangeOptions<E>,
): Promise<{ from: ItemState | null; to: ItemState | null }[]> {
  const changes: { from: ItemState | null; to: ItemState | null }[] = [];
  const now = ctx.clock.now();
  for (const [i, entry] of entries.entries()) {
    const path = `${options.param}[${i}]`;
    if (entry.id !== undefined) {
      const index = sub.items.data.findIndex((item) => item.id === entry.id);
      if (index < 0) throw errors.noSuchParam('subscription_item', entry.id, `${path}[id]`);
      const item = sub.items.data[index]!;
      const from: ItemState = {
        item: structuredClone(item),
        price: item.price,
        quantity: item.quantity ?? 1,
      };
      if (entry.deleted) {
        sub.items.data.splice(index, 1);
        changes.push({ from, to: null });
        continue;
      }
      if (entry.price !== undefined || entry.price_data !== undefined) {
        const price = await options.price(entry, path);
        item.price = price;
        item.plan = newItem({
          subscription: sub.id,
          price,
          quantity: 1,
          metadata: {},
          created: now,
          period,
          discounts: [],
        }).plan;
      }
      if (entry.quantity !== undefined) item.quantity = entry.quantity;
      item.metadata = mergeMetadata(item.metadata, entry.metadata);
      await options.also?.(item, entry, path);
      if (item.price.id !== from.price.id || item.quantity !== from.quantity) {
        changes.push({ from, to: { item, price: item.price, quantity: item.quantity ?? 1 } });
      }
      continue;
    }
    if (entry.deleted) {
      throw fail('subscription_item_delete_id_missing', {}, `${path}[deleted]`);
    }
    const price = await options.price(entry, path);
    const item = newItem({
      subscription: sub.id,
      price,
      quantity: entry.quantity ?? 1,
      metadata: mergeMetadata({}, entry.metadata),
      created: now,
      period,
      discounts: [],
    });
    await options.also?.(item, entry, path);
    sub.items.data.push(item);
    changes.push({ from: null, to: { item, price, quantity: item.quantity ?? 1 } });
  }
  if (sub.items.data.length === 0) {
    throw fail('subscription_items_all_deleted', {}, options.param);
  }
  checkSameTerms(
    sub.items.data.map((item) => item.price),
    options.param,
  );
  return changes;
}
