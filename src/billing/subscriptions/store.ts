import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';
import { nextActionAt } from './schedule.ts';

type Subscription = Stripe.Subscription;

const idOf = (v: unknown) =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : (v as { id: string }).id;

function indexed(sub: Subscription, now: number, upcomingDays: number) {
  const first = sub.items.data[0];
  return {
    customer: idOf(sub.customer) ?? '',
    status: sub.status,
    collection_method: sub.collection_method,
    test_clock: idOf(sub.test_clock) ?? '',
    next_action_at: nextActionAt(sub, now, upcomingDays),
    current_period_start: first?.current_period_start ?? null,
    current_period_end: first?.current_period_end ?? null,
  };
}

async function saveItems(ctx: Ctx, sub: Subscription, before: Subscription | null): Promise<void> {
  const old = new Set(before?.items.data.map((i) => i.id) ?? []);
  for (const item of sub.items.data) {
    const columns = { subscription: sub.id, price: item.price.id, deleted: 0 };
    if (old.delete(item.id)) await updateObject(ctx.db, 'subscription_items', ctx.scope, item, columns);
    else await insertObject(ctx.db, 'subscription_items', ctx.scope, item, columns);
  }
  for (const id of old) {
    const gone: Stripe.DeletedSubscriptionItem = { id, object: 'subscription_item', deleted: true };
    await updateObject(ctx.db, 'subscription_items', ctx.scope, gone, { deleted: 1 });
  }
}

export async function insertSubscription(ctx: Ctx, sub: Subscription): Promise<void> {
  await insertObject(
    ctx.db,
    'subscriptions',
    ctx.scope,
    sub,
    indexed(sub, ctx.clock.now(), ctx.billing.upcomingDays),
  );
  await saveItems(ctx, sub, null);
}

/** Writes a subscription and keeps its items' rows (for `/v1/subscription_items`) in step. */
export async function saveSubscription(ctx: Ctx, sub: Subscription, before: Subscription): Promise<void> {
  await updateObject(
    ctx.db,
    'subscriptions',
    ctx.scope,
    sub,
    indexed(sub, ctx.clock.now(), ctx.billing.upcomingDays),
  );
  await saveItems(ctx, sub, before);
}

/** A subscription for a path (404) or a param (400). */
export async function requireSubscription(ctx: Ctx, id: string, param?: string): Promise<Subscription> {
  const found = await findObject<Subscription>(ctx.db, 'subscriptions', ctx.scope, id);
  if (!found)
    throw param ? errors.noSuchParam('subscription', id, param) : errors.noSuchPath('subscription', id);
  return found;
}
