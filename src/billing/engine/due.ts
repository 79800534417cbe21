import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { findObject } from '../../store/objects.ts';
import { runSchedule } from '../subscription-schedules/cycle.ts';
import { runSubscription } from '../subscriptions/cycle.ts';
import { advanceDraft, collect } from '../subscriptions/invoicing.ts';
import { runPauseEnd } from '../subscriptions/pause-end.ts';

/** Where due work is found, in the order work due at one instant runs. */
export const DUE_TABLES = [
  'subscription_schedules',
  'subscriptions',
  'subscription_pause_ends',
  'invoices',
] as const;

/** One piece of due work: a schedule, a subscription or an invoice whose `next_action_at` has come. */
export interface DueRow {
  table: 'subscription_schedules' | 'subscriptions' | 'subscription_pause_ends' | 'invoices';
  id: string;
  at: number;
}

/**
 * The work due at the earliest moment on a clock (`clock` is a test clock's id, or '' for the real
 * clock) at or before `until`, for one account and mode: every row due at that same moment (up to
 * `limit`), subscriptions first, so a period renews before drafts due at the same instant finalize.
 * Work never makes new work due earlier than the moment it runs at, so a group can run in one go.
 */
export async function earliestDue(ctx: Ctx, clock: string, until: number, limit = 500): Promise<DueRow[]> {
  const rows: DueRow[] = [];
  // Schedules go before subscriptions: a phase that begins at a period end is what the renewal bills.
  // A pause's end comes after the subscriptions' own work and before the invoices it may make.
  for (const table of DUE_TABLES) {
    const found = await ctx.db
      .selectFrom(table)
      .select(['id', 'next_action_at'])
      .where('account_id', '=', ctx.scope.accountId)
      .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
      .where('test_clock', '=', clock)
      .where('next_action_at', 'is not', null)
      .where('next_action_at', '<=', until)
      .orderBy('next_action_at')
      .orderBy('seq')
      .limit(limit)
      .execute();
    for (const r of found) rows.push({ table, id: r.id, at: Number(r.next_action_at) });
  }
  const first = Math.min(...rows.map((r) => r.at));
  return rows.filter((r) => r.at === first);
}

/** Runs one piece of due work at its own time (`ctx`'s clock is already set to it). */
export async function runDueRow(ctx: Ctx, due: DueRow): Promise<void> {
  if (due.table === 'subscription_schedules') {
    const schedule = await findObject<Stripe.SubscriptionSchedule>(ctx.db, due.table, ctx.scope, due.id);
    if (schedule) await runSchedule(ctx, schedule, due.at);
    return;
  }
  if (due.table === 'subscription_pause_ends') {
    await runPauseEnd(ctx, due.id);
    return;
  }
  if (due.table === 'subscriptions') {
    const sub = await findObject<Stripe.Subscription>(ctx.db, 'subscriptions', ctx.scope, due.id);
    if (sub) await runSubscription(ctx, sub, due.at);
    return;
  }
  const invoice = await findObject<Stripe.Invoice>(ctx.db, 'invoices', ctx.scope, due.id);
  if (!invoice) return;
  const subId = invoice.parent?.subscription_details?.subscription;
  const sub = subId
    ? ((await findObject<Stripe.Subscription>(ctx.db, 'subscriptions', ctx.scope, String(subId))) ?? null)
    : null;
  // The invoice may have moved on since it was listed (paid by hand, or another retry time).
  const now = ctx.clock.now();
  const finalizes = invoice.automatically_finalizes_at;
  const retries = invoice.next_payment_attempt;
  if (invoice.status === 'draft' && invoice.auto_advance && finalizes !== null && finalizes <= now) {
    await advanceDraft(ctx, invoice, sub);
  } else if (invoice.status === 'open' && retries !== null && retries <= now)
    await collect(ctx, invoice, sub);
}
