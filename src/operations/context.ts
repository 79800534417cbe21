import type { BillingSettings } from '../billing/settings.ts';
import type { Clock } from '../core/clock.ts';
import type { Ctx } from '../core/context.ts';
import type { Db } from '../store/database.ts';
import type { Scope } from '../store/objects.ts';

/** What every operation of one server shares: its clock, public URL and billing settings. */
export interface Environment {
  clock: Clock;
  /** Base of every URL handed out (PORTICO_PUBLIC_URL). */
  publicUrl: string;
  billing: BillingSettings;
}

/** Whom an operation acts for: an account and mode, and how the caller reached it. */
export interface Actor {
  scope: Scope;
  /** The connected account acted for (`Stripe-Account`, or a connected account's own work). */
  connectedAccount: string | null;
  /** The account that owns the key: the platform when acting for a connected account. */
  platformAccount: string;
}

/** What caused an operation: an API or portal request, or nothing (automatic work). */
export type RequestInfo = Ctx['request'];

export const NO_REQUEST: RequestInfo = Object.freeze({ id: null, idempotency_key: null });

/**
 * The one way to build a domain function's context: the API, the portal pages, the workers and
 * test-clock advances all come through here, so every context carries the same settings.
 */
export function operationContext(env: Environment, db: Db, actor: Actor, request: RequestInfo): Ctx {
  return {
    db,
    clock: env.clock,
    scope: actor.scope,
    connectedAccount: actor.connectedAccount,
    platformAccount: actor.platformAccount,
    request,
    publicUrl: env.publicUrl,
    billing: env.billing,
    memo: new Map(),
  };
}

/**
 * The actor of automatic work on an account's objects (a renewal, an expiry, a portal session
 * opened from its URL): a connected account's own events are marked with its id, as on Stripe.
 */
export async function actorFor(db: Db, scope: Scope): Promise<Actor> {
  const account = await db
    .selectFrom('accounts')
    .select(['account_id', 'is_platform'])
    .where('id', '=', scope.accountId)
    .executeTakeFirst();
  const connected = account !== undefined && account.is_platform === 0;
  return {
    scope,
    connectedAccount: connected ? scope.accountId : null,
    platformAccount: connected ? account.account_id : scope.accountId,
  };
}
