import type { Ctx } from '../core/context.ts';
import { newId } from '../core/ids.ts';

/**
 * The endpoints an event goes to: the platform's enabled endpoints whose `enabled_events` name
 * the type (or `*`). An account's own events go to its ordinary endpoints; a connected account's
 * events go to the platform's `connect` endpoints, as on Stripe.
 */
export async function endpointsFor(ctx: Ctx, type: string): Promise<string[]> {
  // Within one request the endpoints cannot change (no request both edits endpoints and emits
  // many events), so a clock advance emitting thousands of events reads them once.
  const key = `endpoints:${ctx.platformAccount}:${ctx.scope.livemode}:${ctx.connectedAccount !== null}`;
  let rows = ctx.memo?.get(key) as { id: string; data: string }[] | undefined;
  if (!rows) {
    rows = await enabledEndpoints(ctx);
    ctx.memo?.set(key, rows);
  }
  return rows
    .filter((row) => {
      const events = (JSON.parse(row.data) as { enabled_events: string[] }).enabled_events;
      return events.includes('*') || events.includes(type);
    })
    .map((row) => row.id);
}

function enabledEndpoints(ctx: Ctx): Promise<{ id: string; data: string }[]> {
  return ctx.db
    .selectFrom('webhook_endpoints')
    .select(['id', 'data'])
    .where('account_id', '=', ctx.platformAccount)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('status', '=', 'enabled')
    .where('deleted', '=', 0)
    .where('connect', '=', ctx.connectedAccount ? 1 : 0)
    .execute();
}

/** One pending delivery per endpoint, in the caller's transaction; due at once (wall clock). */
export async function queueDeliveries(ctx: Ctx, eventId: string, endpoints: string[]): Promise<void> {
  if (endpoints.length === 0) return;
  const now = Date.now();
  await ctx.db
    .insertInto('webhook_deliveries')
    .values(
      endpoints.map((endpointId) => ({
        id: newId('whdel'),
        event_id: eventId,
        endpoint_id: endpointId,
        account_id: ctx.platformAccount,
        livemode: ctx.scope.livemode ? 1 : 0,
        status: 'pending' as const,
        attempts: 0,
        next_attempt_at: now,
        lease_until: 0,
        created: now,
      })),
    )
    .execute();
}
