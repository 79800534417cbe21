import { findKey } from '../accounts/keys.ts';
import { findConnected } from '../accounts/service.ts';
import { errors } from '../core/errors.ts';
import { Lru } from '../core/lru.ts';
import type { Db } from '../store/database.ts';
import type { Scope } from '../store/objects.ts';

/** Who is calling: the key's account and mode, or a connected account it acts for. */
export interface Caller {
  scope: Scope;
  platformAccount: string;
  connectedAccount: string | null;
}

/** Reads the key from `Authorization: Bearer <key>` or Basic with the key as user name. */
export function keyFromHeader(header: string | undefined): string | undefined {
  if (!header) return undefined;
  const space = header.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = header.slice(0, space).toLowerCase();
  const value = header.slice(space + 1).trim();
  if (scheme === 'bearer') return value || undefined;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return (colon < 0 ? decoded : decoded.slice(0, colon)) || undefined;
  }
  return undefined;
}

export class Authenticator {
  // Keys and connected accounts are looked up on every request; a short-lived bounded cache keeps
  // that off the database without holding whole tables in memory.
  private readonly keys = new Lru<Scope>(1000, 10_000);
  private readonly connected = new Lru<true>(1000, 10_000);

  constructor(private readonly db: Db) {}

  /** The caller from the caches alone, or undefined when the database must be asked. */
  cached(authorization: string | undefined, stripeAccount: string | undefined): Caller | undefined {
    const key = keyFromHeader(authorization);
    if (!key) throw errors.authMissing();
    const scope = this.keys.get(key);
    if (!scope) return undefined;
    if (!stripeAccount || stripeAccount === scope.accountId) {
      return { scope, platformAccount: scope.accountId, connectedAccount: null };
    }
    if (!this.connected.get(`${scope.accountId}:${scope.livemode}:${stripeAccount}`)) return undefined;
    return {
      scope: { accountId: stripeAccount, livemode: scope.livemode },
      platformAccount: scope.accountId,
      connectedAccount: stripeAccount,
    };
  }

  async authenticate(authorization: string | undefined, stripeAccount: string | undefined): Promise<Caller> {
    const key = keyFromHeader(authorization);
    if (!key) throw errors.authMissing();
    if (/^pk_(test|live)_/.test(key)) throw errors.secretKeyRequired();
    let scope = this.keys.get(key);
    if (!scope) {
      scope = /^sk_(test|live)_/.test(key) ? await findKey(this.db, key) : undefined;
      if (!scope) throw errors.authInvalid(key);
      this.keys.set(key, scope);
    }
    if (!stripeAccount || stripeAccount === scope.accountId) {
      return { scope, platformAccount: scope.accountId, connectedAccount: null };
    }
    const cacheKey = `${scope.accountId}:${scope.livemode}:${stripeAccount}`;
    if (!this.connected.get(cacheKey)) {
      if (!(await findConnected(this.db, scope, stripeAccount)))
        throw errors.accountInaccessible(stripeAccount);
      this.connected.set(cacheKey, true);
    }
    return {
      scope: { accountId: stripeAccount, livemode: scope.livemode },
      platformAccount: scope.accountId,
      connectedAccount: stripeAccount,
    };
  }

  /** Forget cached lookups, e.g. after a connected account is deleted. */
  forget(): void {
    this.keys.clear();
    this.connected.clear();
  }
}
