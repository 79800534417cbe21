import type { Clock } from '../core/clock.ts';
import type { BillingSettings, Ctx } from '../core/context.ts';

/**
 * The context of an automatic change to an account's objects (a renewal, an expiry): no request,
 * as in Stripe's `event.request`, and a connected account's events marked with its id.
 */
export async function automaticCtx(
  db: Ctx['db'],
  clock: Clock,
  scope: Ctx['scope'],
  options: { publicUrl?: string; billing?: BillingSettings } = {},
): Promise<Ctx> {
  const account = await db
    .selectFrom('accounts')
    .select(['account_id', 'is_platform'])
    .where('id', '=', scope.accountId)
    .executeTakeFirst();
  const connected = account !== undefined && account.is_platform === 0;
  return {
    db,
    clock,
    scope,
    connectedAccount: connected ? scope.accountId : null,
    platformAccount: connected ? account.account_id : scope.accountId,
    request: { id: null, idempotency_key: null },
    publicUrl: options.publicUrl ?? '',
    billing: options.billing,
    memo: new Map(),
  };
}
