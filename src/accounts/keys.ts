import { createHash } from 'node:crypto';
import { randomBase62 } from '../core/ids.ts';
import type { Db } from '../store/database.ts';
import type { Scope } from '../store/objects.ts';

/**
 * What a restricted (`rk_`) key may do, per resource: `read` allows GET, `write` allows
 * everything. A resource it does not name is out of reach. Secret (`sk_`) keys have no such map.
 */
export type Access = 'read' | 'write';
export type Permissions = Record<string, Access>;

/** The resources a restricted key can name, with Stripe's permission names. */
export const RESOURCES = {
  accounts: 'rak_connected_account',
  balance: 'rak_balance',
  customers: 'rak_customer',
  events: 'rak_event',
  products: 'rak_product',
  prices: 'rak_price',
  subscriptions: 'rak_subscription',
  subscription_schedules: 'rak_subscription_schedule',
  invoices: 'rak_invoice',
  invoice_items: 'rak_invoice_item',
  credit_notes: 'rak_credit_note',
  payment_intents: 'rak_payment_intent',
  charges: 'rak_charge',
  refunds: 'rak_refund',
  payment_methods: 'rak_payment_method',
  setup_intents: 'rak_setup_intent',
  coupons: 'rak_coupon',
  promotion_codes: 'rak_promotion_code',
  test_clocks: 'rak_test_clock',
  tax_ids: 'rak_tax_id',
  tax_rates: 'rak_tax_rate',
  files: 'rak_file',
  file_links: 'rak_file_link',
  webhook_endpoints: 'rak_webhook',
  billing_portal: 'rak_billing_portal',
  feedback_options: 'rak_billing_feedback_option',
} as const;
export type Resource = keyof typeof RESOURCES;

export interface KeyGrant {
  scope: Scope;
  /** Null for a secret or publishable key. */
  permissions: Permissions | null;
  /** A publishable (`pk_`) key: it reaches only the endpoints that accept one (api/publishable.ts). */
  publishable: boolean;
}

/** Keys are stored as SHA-256 hashes; the plain key is shown once, when it is made. */
export function hashKey(key: string): string {
  return createHash('sha256').update(key).digest('hex');
}

export async function addApiKey(
  db: Db,
  key: string,
  scope: Scope,
  now: number,
  permissions: Permissions | null = null,
): Promise<void> {
  await db
    .insertInto('api_keys')
    .values({
      key_hash: hashKey(key),
      account_id: scope.accountId,
      livemode: scope.livemode ? 1 : 0,
      created: now,
      last4: key.slice(-4),
      permissions: permissions ? JSON.stringify(permissions) : null,
    })
    .onConflict((oc) => oc.column('key_hash').doNothing())
    .execute();
}

/** A new secret key for an account and mode: `sk_test_`/`sk_live_` and 32 base62 characters (~190 bits). */
export async function createSecretKey(db: Db, scope: Scope, now: number): Promise<string> {
  const key = `sk_${scope.livemode ? 'live' : 'test'}_${randomBase62(32)}`;
  await addApiKey(db, key, scope, now);
  return key;
}

/** A new restricted key (`rk_test_`/`rk_live_`) limited to the given permissions. */
export async function createRestrictedKey(
  db: Db,
  scope: Scope,
  now: number,
  permissions: Permissions,
): Promise<string> {
  const key = `rk_${scope.livemode ? 'live' : 'test'}_${randomBase62(32)}`;
  await addApiKey(db, key, scope, now, permissions);
  return key;
}

/** `customers=write,events=read` → permissions; an unknown resource or access is an error. */
export function parsePermissions(text: string): Permissions {
  const permissions: Permissions = {};
  for (const part of text.split(',').filter(Boolean)) {
    const [resource, access] = part.split('=');
    if (!resource || !(resource in RESOURCES)) {
      throw new Error(`unknown resource "${resource}"; one of ${Object.keys(RESOURCES).join(', ')}`);
    }
    if (access !== 'read' && access !== 'write')
      throw new Error(`access for ${resource} must be read or write`);
    permissions[resource] = access;
  }
  return permissions;
}

export async function findKey(db: Db, key: string): Promise<KeyGrant | undefined> {
  const row = await db
    .selectFrom('api_keys')
    .select(['account_id', 'livemode', 'permissions'])
    .where('key_hash', '=', hashKey(key))
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    scope: { accountId: row.account_id, livemode: row.livemode === 1 },
    permissions: row.permissions === null ? null : (JSON.parse(row.permissions) as Permissions),
    publishable: false,
  };
}

/**
 * The publishable key of an account and mode (`pk_test_`/`pk_live_`), made the first time it is
 * asked for: there is one per account and mode, as on Stripe. Safe when two processes ask at once.
 */
export async function publishableKey(db: Db, scope: Scope, now: number): Promise<string> {
  const livemode = scope.livemode ? 1 : 0;
  const existing = () =>
    db
      .selectFrom('publishable_keys')
      .select('key')
      .where('account_id', '=', scope.accountId)
      .where('livemode', '=', livemode)
      .executeTakeFirst();
  const found = await existing();
  if (found) return found.key;
  await db
    .insertInto('publishable_keys')
    .values({
      key: `pk_${scope.livemode ? 'live' : 'test'}_${randomBase62(32)}`,
      account_id: scope.accountId,
      livemode,
      created: now,
    })
    .onConflict((oc) => oc.columns(['account_id', 'livemode']).doNothing())
    .execute();
  return (await existing())!.key;
}

export async function findPublishableKey(db: Db, key: string): Promise<KeyGrant | undefined> {
  const row = await db
    .selectFrom('publishable_keys')
    .select(['account_id', 'livemode'])
    .where('key', '=', key)
    .executeTakeFirst();
  if (!row) return undefined;
  return {
    scope: { accountId: row.account_id, livemode: row.livemode === 1 },
    permissions: null,
    publishable: true,
  };
}
