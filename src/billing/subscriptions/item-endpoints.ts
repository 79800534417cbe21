import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { mapParam } from '../../core/errors.ts';
import { requireItem } from './list.ts';
import type { CreateItemParams, DeleteItemParams, UpdateItemParams } from './params.ts';
import { updateSubscription } from './update.ts';

/**
 * A refusal of the one `items[0]` entry names the item endpoint's own param: `items[0][quantity]`
 * is `quantity`, `items[0][price_data][currency]` is `price_data[currency]`.
 */
async function asItemParams<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    mapParam(error, (param) => {
      const inner = /^items\[0\]\[([^\]]*)\](.*)$/.exec(param);
      return inner ? `${inner[1]}${inner[2]}` : param;
    });
    throw error;
  }
}

/**
 * `/v1/subscription_items`: each change is a subscription update with one entry in `items`, so
 * prorations, invoices and events are exactly those of the equivalent `subscriptions.update`.
 */
export async function createItem(ctx: Ctx, params: CreateItemParams): Promise<Stripe.SubscriptionItem> {
  const {
    subscription,
    expand: _expand,
    proration_behavior,
    proration_date,
    payment_behavior,
    ...item
  } = params;
  const sub = await asItemParams(() =>
    updateSubscription(ctx, subscription, {
      items: [item],
      proration_behavior,
      proration_date,
      payment_behavior,
    }),
  );
  return sub.items.data[sub.items.data.length - 1]!;
}

export async function updateItem(
  ctx: Ctx,
  id: string,
  params: UpdateItemParams,
): Promise<Stripe.SubscriptionItem> {
  const current = await requireItem(ctx, id);
  const {
    expand: _expand,
    proration_behavior,
    proration_date,
    payment_behavior,
    off_session,
    ...item
  } = params;
  const sub = await asItemParams(() =>
    updateSubscription(ctx, current.subscription, {
      items: [{ id, ...item }],
      proration_behavior,
      proration_date,
      payment_behavior,
      off_session,
    }),
  );
  return sub.items.data.find((i) => i.id === id)!;
}

export async function deleteItem(
  ctx: Ctx,
  id: string,
  params: DeleteItemParams,
): Promise<Stripe.DeletedSubscriptionItem> {
  const current = await requireItem(ctx, id);
  await updateSubscription(ctx, current.subscription, {
    items: [{ id, deleted: true }],
    proration_behavior: params.proration_behavior,
    proration_date: params.proration_date,
  });
  return { id, object: 'subscription_item', deleted: true };
}
