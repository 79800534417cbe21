import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { findObject } from '../../store/objects.ts';
import { resumeSubscription } from './pause.ts';

/**
 * A pause for a preset duration (the portal's `subscription_pause` with `interval_options`) ends
 * by itself. Stripe's object has no field for it, so Portico keeps the moment in its own row,
 * which the engine runs like any other due work: on a test clock's advance and in the real-clock
 * worker, claimed once even with several processes.
 */

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** Records that this pause of `sub` (just made) ends at `resumesAt`. */
export async function schedulePauseEnd(ctx: Ctx, sub: Stripe.Subscription, resumesAt: number): Promise<void> {
  const row = {
    id: sub.id,
    account_id: ctx.scope.accountId,
    livemode: ctx.scope.livemode ? 1 : 0,
    test_clock: idOf(sub.test_clock) ?? '',
    next_action_at: resumesAt,
    paused_at: sub.status_details?.paused?.transitioned_at ?? ctx.clock.now(),
  };
  await ctx.db
    .insertInto('subscription_pause_ends')
    .values(row)
    .onConflict((oc) => oc.column('id').doUpdateSet({ next_action_at: resumesAt, paused_at: row.paused_at }))
    .execute();
}

/** When the subscription's current pause ends by itself, or null (indefinite, or not paused). */
export async function pauseEndOf(ctx: Ctx, sub: Stripe.Subscription): Promise<number | null> {
  if (sub.status !== 'paused') return null;
  const row = await ctx.db
    .selectFrom('subscription_pause_ends')
    .select(['next_action_at', 'paused_at'])
    .where('id', '=', sub.id)
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .executeTakeFirst();
  if (!row || row.next_action_at === null) return null;
  return Number(row.paused_at) === sub.status_details?.paused?.transitioned_at
    ? Number(row.next_action_at)
    : null;
}

/** Nothing more to do for this subscription's pause (it was resumed, or has ended). */
export async function clearPauseEnd(ctx: Ctx, subscriptionId: string): Promise<void> {
  await ctx.db
    .updateTable('subscription_pause_ends')
    .set({ next_action_at: null })
    .where('id', '=', subscriptionId)
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .execute();
}

/**
 * The engine's piece: at the end of the pause, the subscription resumes as the API's resume
 * does (a new period from now, invoiced and charged). A subscription resumed, paused again or
 * ended since then is left alone. Either way the row is done: a resumption whose payment fails
 * leaves the subscription paused with its invoice open, and is not tried again.
 */
export async function runPauseEnd(ctx: Ctx, id: string): Promise<void> {
  const sub = await findObject<Stripe.Subscription>(ctx.db, 'subscriptions', ctx.scope, id);
  const due = sub ? await pauseEndOf(ctx, sub) : null;
  await clearPauseEnd(ctx, id);
  if (sub && due !== null && due <= ctx.clock.now()) await resumeSubscription(ctx, id, {});
}
