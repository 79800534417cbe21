import type { BillingSettings } from '../billing/settings.ts';
import type { Db } from '../store/database.ts';
import type { Scope } from '../store/objects.ts';
import type { Clock } from './clock.ts';

/**
 * What every domain function receives (built only by operations/context.ts): the database (a transaction for writes), the clock, the
 * account and mode it acts for, and the API request that caused it (null for automatic changes,
 * as in Stripe's `event.request`). Domain code knows nothing of HTTP beyond this.
 */
export interface Ctx {
  db: Db;
  clock: Clock;
  scope: Scope;
  /** Set when acting for a connected account through `Stripe-Account`; events then carry `account`. */
  connectedAccount: string | null;
  /** The account that owns the API key: the platform when acting for a connected account. */
  platformAccount: string;
  request: { id: string | null; idempotency_key: string | null };
  /** Base of every URL handed out (PORTICO_PUBLIC_URL). */
  publicUrl: string;
  /** How invoices are collected and renewals announced (the server's billing settings). */
  billing: BillingSettings;
  /**
   * What one request (or one background transaction) has already read and will not change
   * itself, such as the account's webhook endpoints while a test clock advances. Shared by the
   * copies of a context made for moments of a clock.
   */
  memo?: Map<string, unknown>;
  /** Set while events are written together at the end of the work (see events/emit.ts). */
  eventBuffer?: BufferedEvent[];
}

export interface BufferedEvent {
  event: { id: string; created: number };
  extra: Record<string, string | number | null>;
}

/** The same context on another database handle (a transaction opened for it). */
export function withDb(ctx: Ctx, db: Db): Ctx {
  return { ...ctx, db };
}
