import {
  type Access,
  findKey,
  findPublishableKey,
  type KeyGrant,
  type Permissions,
  RESOURCES,
  type Resource,
} from '../accounts/keys.ts';
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
  /** A restricted key's permissions; null for a secret or publishable key. */
  permissions: Permissions | null;
  /** A publishable key: only endpoints that accept one answer it (api/publishable.ts). */
  publishable: boolean;
  /** The key, for error messages (masked there). */
  key: string;
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

const API_KEY = /^(sk|rk)_(test|live)_/;
const PUBLISHABLE_KEY = /^pk_(test|live)_/;

export class Authenticator {
  // Keys are looked up on every request; a short-lived bounded cache keeps that off the database
  // without holding a whole table in memory. Connected accounts are checked on each request (a
  // primary-key read), so a deleted one is refused at once.
  private readonly keys = new Lru<KeyGrant>(1000, 10_000);

  constructor(private readonly db: Db) {}

  private grantFor(authorization: string | undefined): { key: string; grant: KeyGrant | undefined } {
    const key = keyFromHeader(authorization);
    if (!key) throw errors.authMissing();
    return { key, grant: this.keys.get(key) };
  }

  /** The caller from the key cache alone, or undefined when the database must be asked. */
  cached(authorization: string | undefined, stripeAccount: string | undefined): Caller | undefined {
    const { key, grant } = this.grantFor(authorization);
    if (!grant || (stripeAccount && stripeAccount !== grant.scope.accountId)) return undefined;
    return {
      scope: grant.scope,
      platformAccount: grant.scope.accountId,
      connectedAccount: null,
      permissions: grant.permissions,
      publishable: grant.publishable,
      key,
    };
  }

  async authenticate(authorization: string | undefined, stripeAccount: string | undefined): Promise<Caller> {
    let { key, grant } = this.grantFor(authorization);
    if (!grant) {
      if (API_KEY.test(key)) grant = await findKey(this.db, key);
      else if (PUBLISHABLE_KEY.test(key)) grant = await findPublishableKey(this.db, key);
      if (!grant) throw errors.authInvalid(key);
      this.keys.set(key, grant);
    }
    const { scope, permissions, publishable } = grant;
    if (!stripeAccount || stripeAccount === scope.accountId) {
      return {
        scope,
        platformAccount: scope.accountId,
        connectedAccount: null,
        permissions,
        publishable,
        key,
      };
    }
    if (!(await findConnected(this.db, scope, stripeAccount)))
      throw errors.accountInaccessible(stripeAccount);
    return {
      scope: { accountId: stripeAccount, livemode: scope.livemode },
      platformAccount: scope.accountId,
      connectedAccount: stripeAccount,
      permissions,
      publishable,
      key,
    };
  }
}

/**
 * A restricted key reaches only what its permissions name: `read` for GET, `write` for the rest.
 * Secret keys reach everything; publishable keys nothing (the endpoints that take them skip this
 * check: api/publishable.ts), so an endpoint is secret-only unless it says otherwise.
 */
export function checkPermission(caller: Caller, resource: Resource, method: string): void {
  if (caller.publishable) throw errors.secretKeyRequired();
  if (!caller.permissions) return;
  const needed: Access = method === 'GET' ? 'read' : 'write';
  const granted = caller.permissions[resource];
  if (granted === 'write' || granted === needed) return;
  throw errors.permissionDenied(caller.key, caller.scope.accountId, `${RESOURCES[resource]}_${needed}`);
}
