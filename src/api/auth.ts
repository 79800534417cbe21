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
  // Keys are looked up on every request; a short-lived bounded cache keeps that off the database
  // without holding a whole table in memory. Connected accounts are checked on each request (a
  // primary-key read), so a deleted one is refused at once.
  private readonly keys = new Lru<Scope>(1000, 10_000);

  constructor(private readonly db: Db) {}

  private scopeFor(authorization: string | undefined): { key: string; scope: Scope | undefined } {
    const key = keyFromHeader(authorization);
    if (!key) throw errors.authMissing();
    if (/^pk_(test|live)_/.test(key)) throw errors.secretKeyRequired();
    return { key, scope: this.keys.get(key) };
  }

  /** The caller from the key cache alone, or undefined when the database must be asked. */
  cached(authorization: string | undefined, stripeAccount: string | undefined): Caller | undefined {
    const { scope } = this.scopeFor(authorization);
    if (!scope || (stripeAccount && stripeAccount !== scope.accountId)) return undefined;
    return { scope, platformAccount: scope.accountId, connectedAccount: null };
  }

  async authenticate(authorization: string | undefined, stripeAccount: string | undefined): Promise<Caller> {
    let { key, scope } = this.scopeFor(authorization);
    if (!scope) {
      scope = /^sk_(test|live)_/.test(key) ? await findKey(this.db, key) : undefined;
      if (!scope) throw errors.authInvalid(key);
      this.keys.set(key, scope);
    }
    if (!stripeAccount || stripeAccount === scope.accountId) {
      return { scope, platformAccount: scope.accountId, connectedAccount: null };
    }
    if (!(await findConnected(this.db, scope, stripeAccount)))
      throw errors.accountInaccessible(stripeAccount);
    return {
      scope: { accountId: stripeAccount, livemode: scope.livemode },
      platformAccount: scope.accountId,
      connectedAccount: stripeAccount,
    };
  }
}
