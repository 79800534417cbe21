import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { findObject } from '../../store/objects.ts';
import { runSubscription } from '../subscriptions/cycle.ts';
import { advanceDraft, collect } from '../subscriptions/invoicing.ts';

/** One piece of due work: a subscription or an invoice whose `next_action_at` has come. */
export interface DueRow {
  table: 'subscriptions' | 'invoices';
  id: string;
  at: number;
}

/**
 * The earliest due work on a clock (`clock` is a test clock's id, or '' for the real clock) at or
 * before `until`, for one account and mode.
 */
export async function earliestDue(ctx: Ctx, clock: string, until: number): Promise<DueRow | undefined> {
  let best: DueRow | undefined;
  for (const table of ['subscriptions', 'invoices'] as const) {
    const row = await ctx.db
      .selectFrom(table)
      .select(['id', 'next_action_at'])
      .where('account_id', '=', ctx.scope.accountId)
      .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
      .where('test_clock', '=', clock)
      .where('next_action_at', 'is not', null)
      .where('next_action_at', '<=', until)
      .orderBy('next_action_at')
      .orderBy('seq')
      .limit(1)
      .executeTakeFirst();
    const at = row?.next_action_at === null || row === undefined ? undefined : Number(row.next_action_at);
    // At the same instant, subscriptions go first: a period renews before its drafts finalize.
    if (row && at !== undefined && (!best || at < best.at)) best = { table, id: row.id, at };
  }
  return best;
}

/** Runs one piece of due work at its own time (`ctx`'s clock is already set to it). */
export async function runDueRow(ctx: Ctx, due: DueRow): Promise<void> {
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
  if (invoice.status === 'draft') await advanceDraft(ctx, invoice, sub);
  else if (invoice.status === 'open') await collect(ctx, invoice, sub);
}
