import { createHash, timingSafeEqual } from 'node:crypto';
import { randomBase62 } from '../../../core/ids.ts';
import { type Actor, actorFor } from '../../../operations/context.ts';
import type { Operations } from '../../../operations/runner.ts';
import {
  activityDue,
  findSession,
  hashSessionToken,
  inspectSession,
  type SessionVisit,
  touchSession,
} from './lifetime.ts';

/** ≈190 random bits: the browser's proof that it is the one the session URL was opened in. */
const COOKIE_SECRET_LENGTH = 32;

const sha256 = (value: string) => createHash('sha256').update(value).digest();

/** Compares a presented secret with a stored SHA-256 in constant time. */
export function matchesHash(secret: string | undefined, storedHex: string | null): boolean {
  if (!secret || !storedHex) return false;
  const stored = Buffer.from(storedHex, 'hex');
  const presented = sha256(secret);
  return stored.length === presented.length && timingSafeEqual(stored, presented);
}

/**
 * A browser's arrival at a session URL. The first visit exchanges the URL for a cookie (its
 * secret is answered once, only its hash is kept) and the URL is spent: another browser that
 * opens it later is told the link has expired, and the browser that holds the cookie is simply
 * let in again.
 */
export type SessionEntry =
  | { status: 'unknown' }
  | Extract<SessionVisit, { status: 'expired' }>
  | (Extract<SessionVisit, { status: 'open' }> & { cookieSecret: string | null })
  | { status: 'spent'; session: Extract<SessionVisit, { status: 'open' }>['session']; actor: Actor };

export function enterSession(
  ops: Operations,
  token: string,
  cookieOf: (sessionId: string) => string | undefined,
): Promise<SessionEntry> {
  return ops.store.write(async (db) => {
    const row = await findSession(db, 'token_hash', hashSessionToken(token));
    if (!row) return { status: 'unknown' };
    const ownCookie = matchesHash(cookieOf(row.id), row.cookie_hash);
    if (row.cookie_hash !== null && !ownCookie) {
      const actor = await actorFor(db, { accountId: row.account_id, livemode: row.livemode === 1 });
      return { status: 'spent', session: JSON.parse(row.data), actor };
    }
    const visit = await touchSession(ops, db, row);
    if (visit.status !== 'open') return visit;
    if (ownCookie) return { ...visit, cookieSecret: null };
    const cookieSecret = randomBase62(COOKIE_SECRET_LENGTH);
    await db
      .updateTable('billing_portal_sessions')
      .set({ cookie_hash: sha256(cookieSecret).toString('hex') })
      .where('id', '=', row.id)
      .execute();
    return { ...visit, cookieSecret };
  });
}

/**
 * A request of the hosted pages: the session named in the path, proven by its cookie. Answers
 * 'unknown' for a wrong or missing cookie, as for a session that does not exist, so a guessed
 * session id reveals nothing. Every such request is activity, but it is checked on the store's
 * reader and written only when due (at most once a minute, `activityDue`), so most page views
 * open no write transaction.
 */
export async function resumeSession(
  ops: Operations,
  sessionId: string,
  cookie: string | undefined,
): Promise<SessionVisit> {
  const row = await findSession(ops.store.read, 'id', sessionId);
  if (!row || !matchesHash(cookie, row.cookie_hash)) return { status: 'unknown' };
  const visit = await inspectSession(ops, ops.store.read, row);
  if (visit.status !== 'open' || !activityDue(row, visit.now)) return visit;
  return ops.store.write(async (db) => {
    // Read again in the transaction: the row may have changed (or gone) since.
    const current = await findSession(db, 'id', sessionId);
    if (!current || !matchesHash(cookie, current.cookie_hash)) return { status: 'unknown' };
    return touchSession(ops, db, current);
  });
}
