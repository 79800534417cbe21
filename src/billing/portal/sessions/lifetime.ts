import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Clock } from '../../../core/clock.ts';
import { type Actor, actorFor } from '../../../operations/context.ts';
import type { Operations } from '../../../operations/runner.ts';
import type { Db } from '../../../store/database.ts';
import { findObject, type Scope } from '../../../store/objects.ts';
import { customerNow } from '../../test-clocks/lookup.ts';

type Session = Stripe.BillingPortal.Session;

/** An unvisited session lasts 5 minutes; a visited one, an hour after the latest activity. */
export const UNVISITED_SECONDS = 5 * 60;
export const IDLE_SECONDS = 60 * 60;
/**
 * Activity is written at most once a minute: a request within a minute of the recorded activity
 * writes nothing. So that the hour is still counted from the very latest request, a recorded
 * activity keeps the session open for the hour plus this minute: a session expires between 60
 * and 61 minutes after its latest request (never sooner), within the 24-hour cap.
 */
export const ACTIVITY_INTERVAL_SECONDS = 60;
/** Portico's cap on any session, however active (Stripe documents none). */
export const MAX_SECONDS = 24 * 60 * 60;
/**
 * An expired session is kept this long, so the hosted page can still show its return link
 * instead of treating the URL as unknown.
 */
export const KEEP_EXPIRED_SECONDS = 24 * 60 * 60;

/** Session URLs carry a secret; only its SHA-256 is stored. */
export function hashSessionToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** When a session expires, given its latest activity (null: never visited). */
export function expiresAt(created: number, lastActivity: number | null): number {
  if (lastActivity === null) return created + UNVISITED_SECONDS;
  return Math.min(lastActivity + IDLE_SECONDS + ACTIVITY_INTERVAL_SECONDS, created + MAX_SECONDS);
}

/** The recovery deadline of `after_expiration`, undefined when the session cannot be recovered. */
function recoveryDeadline(session: Session): number | null | undefined {
  const after = session.after_expiration;
  if (after?.type !== 'customer_login') return undefined;
  return after.customer_login?.expires_at ?? null;
}

/** When the row may go: a while after expiry, or once recovery is no longer possible. */
export function pruneAt(session: Session, expires: number): number | null {
  const deadline = recoveryDeadline(session);
  if (deadline === undefined) return expires + KEEP_EXPIRED_SECONDS;
  return deadline === null ? null : Math.max(expires, deadline) + KEEP_EXPIRED_SECONDS;
}

/** A session found by its URL: open (activity recorded), expired, or not known at all. */
export type SessionVisit =
  | {
      status: 'open';
      session: Session;
      scope: Scope;
      actor: Actor;
      now: number;
      expiresAt: number;
      /** The session's flow has been completed (see `completeFlow`). */
      flowCompleted: boolean;
    }
  | { status: 'expired'; session: Session; scope: Scope; actor: Actor; now: number; recoverable: boolean }
  | { status: 'unknown' };

/**
 * Opens a session from the secret of its URL (`test_…`/`live_…`): finds it by the secret's hash,
 * checks it has not expired on its customer's clock, and records the visit as activity, which
 * keeps it open for another hour (within the 24-hour cap). A session whose customer was deleted
 * counts as expired. Runs in its own write transaction.
 */
export function openSession(ops: Operations, token: string): Promise<SessionVisit> {
  return ops.store.write(async (db) => {
    const row = await findSession(db, 'token_hash', hashSessionToken(token));
    return row ? touchSession(ops, db, row) : { status: 'unknown' };
  });
}

/** What the hosted pages read of a session's row. */
export interface SessionRow {
  id: string;
  account_id: string;
  livemode: number;
  data: string;
  expires_at: number;
  last_activity_at: number | null;
  cookie_hash: string | null;
  flow_completed_at: number | null;
}

/** A session's row by the hash of its URL secret or by its id (the hosted pages' cookie names it). */
export async function findSession(
  db: Db,
  by: 'token_hash' | 'id',
  value: string,
): Promise<SessionRow | undefined> {
  // A URL segment can decode to a NUL, which PostgreSQL refuses in any text it is asked to
  // compare: no session has such an id, so it is simply not found.
  if (value.includes('\0')) return undefined;
  return db
    .selectFrom('billing_portal_sessions')
    .select([
      'id',
      'account_id',
      'livemode',
      'data',
      'expires_at',
      'last_activity_at',
      'cookie_hash',
      'flow_completed_at',
    ])
    .where(by, '=', value)
    .executeTakeFirst();
}

/**
 * Checks a session's expiry on its customer's clock and, while it is open, records the visit as
 * activity when a minute has passed since the recorded one. Call it inside a write transaction.
 */
export async function touchSession(ops: Operations, db: Db, row: SessionRow): Promise<SessionVisit> {
  const visit = await inspectSession(ops, db, row);
  if (visit.status !== 'open' || !activityDue(row, visit.now)) return visit;
  return { ...visit, expiresAt: await recordActivity(db, row.id, visit.session, visit.now) };
}

/** Whether a visit at `now` must be written as activity (the first one, or a minute after the last). */
export function activityDue(row: SessionRow, now: number): boolean {
  return row.last_activity_at === null || now - row.last_activity_at >= ACTIVITY_INTERVAL_SECONDS;
}

/**
 * A session's state at a visit, on its customer's clock, without writing: expired (a deleted
 * customer's too) or open until its stored expiry. Safe on the store's reader.
 */
export async function inspectSession(ops: Operations, db: Db, row: SessionRow): Promise<SessionVisit> {
  const session = JSON.parse(row.data) as Session;
  const scope: Scope = { accountId: row.account_id, livemode: row.livemode === 1 };
  const actor = await actorFor(db, scope);
  const ctx = ops.context(db, actor);
  const customer = await findObject<Stripe.Customer | Stripe.DeletedCustomer>(
    db,
    'customers',
    scope,
    session.customer,
  );
  const gone = !customer || ('deleted' in customer && customer.deleted);
  const now = gone ? ctx.clock.now() : await customerNow(ctx, customer);
  if (gone || now >= row.expires_at) {
    const deadline = recoveryDeadline(session);
    const recoverable = !gone && deadline !== undefined && (deadline === null || now < deadline);
    return { status: 'expired', session, scope, actor, now, recoverable };
  }
  const flowCompleted = row.flow_completed_at !== null;
  return { status: 'open', session, scope, actor, now, expiresAt: row.expires_at, flowCompleted };
}

/** Writes a visit at `now` as the session's latest activity; answers the new expiry. */
export async function recordActivity(db: Db, id: string, session: Session, now: number): Promise<number> {
  const expires = expiresAt(session.created, now);
  await db
    .updateTable('billing_portal_sessions')
    .set({ last_activity_at: now, expires_at: expires, prune_at: pruneAt(session, expires) })
    .where('id', '=', id)
    .execute();
  return expires;
}

/** Records that the session's flow was completed, once; in the transaction of the change that completed it. */
export async function completeFlow(db: Db, sessionId: string, now: number): Promise<void> {
  await db
    .updateTable('billing_portal_sessions')
    .set({ flow_completed_at: now })
    .where('id', '=', sessionId)
    .where('flow_completed_at', 'is', null)
    .execute();
}

/**
 * Deletes sessions past their `prune_at`, each measured on its customer's clock: the server's for
 * customers without a test clock, the clock's frozen time for the others. Sessions of deleted
 * customers go at once. Returns how many were deleted.
 */
export async function pruneExpiredSessions(db: Db, clock: Clock): Promise<number> {
  const now = clock.now();
  let deleted = 0;
  const plain = await db
    .deleteFrom('billing_portal_sessions')
    .where((eb) =>
      eb.exists(
        eb
          .selectFrom('customers')
          .select('customers.id')
          .whereRef('customers.id', '=', 'billing_portal_sessions.customer')
          .whereRef('customers.account_id', '=', 'billing_portal_sessions.account_id')
          .whereRef('customers.livemode', '=', 'billing_portal_sessions.livemode')
          .where((c) =>
            c.or([
              c('customers.deleted', '=', 1),
              c.and([c('customers.test_clock', '=', ''), c('billing_portal_sessions.prune_at', '<=', now)]),
            ]),
          ),
      ),
    )
    .executeTakeFirst();
  deleted += Number(plain.numDeletedRows);
  const clocks = await db
    .selectFrom('billing_portal_sessions')
    .innerJoin('customers', (join) =>
      join
        .onRef('customers.id', '=', 'billing_portal_sessions.customer')
        .onRef('customers.account_id', '=', 'billing_portal_sessions.account_id')
        .onRef('customers.livemode', '=', 'billing_portal_sessions.livemode'),
    )
    .select(['customers.test_clock', 'customers.account_id', 'customers.livemode'])
    .where('customers.test_clock', '!=', '')
    .where('billing_portal_sessions.prune_at', 'is not', null)
    .distinct()
    .execute();
  for (const row of clocks) {
    const scope: Scope = { accountId: row.account_id, livemode: row.livemode === 1 };
    const found = await findObject<Stripe.TestHelpers.TestClock>(db, 'test_clocks', scope, row.test_clock);
    if (!found) continue;
    const result = await db
      .deleteFrom('billing_portal_sessions')
      .where('account_id', '=', row.account_id)
      .where('livemode', '=', row.livemode)
      .where('prune_at', '<=', found.frozen_time)
      .where('customer', 'in', (eb) =>
        eb
          .selectFrom('customers')
          .select('customers.id')
          .where('customers.account_id', '=', row.account_id)
          .where('customers.livemode', '=', row.livemode)
          .where('customers.test_clock', '=', row.test_clock),
      )
      .executeTakeFirst();
    deleted += Number(result.numDeletedRows);
  }
  return deleted;
}
