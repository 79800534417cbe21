import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { errors, fail } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import type { JsonText } from '../core/json.ts';
import { type ListObject, listJson, pageQuery } from '../core/list.ts';
import { mergeMetadata } from '../core/metadata.ts';
import { emitEvent } from '../events/emit.ts';
import { checkBrandingFiles } from '../files/branding.ts';
import type { Db } from '../store/database.ts';
import { findObject, insertObject, listObjectTexts, type Scope, updateObject } from '../store/objects.ts';
import type { CreateAccountParams, ListAccountParams, UpdateAccountParams } from './params.ts';

type Account = Stripe.Account & { created: number };

function emptyRequirements(): Stripe.Account.Requirements {
  return {
    alternatives: [],
    current_deadline: null,
    currently_due: [],
    disabled_reason: null,
    errors: [],
    eventually_due: [],
    past_due: [],
    pending_verification: [],
  };
}

/** A fully onboarded test account: Portico has no onboarding, so every account can charge at once. */
export function newAccount(id: string, created: number, type: Stripe.Account.Type): Account {
  return {
    id,
    object: 'account',
    business_profile: {
      mcc: null,
      minority_owned_business_designation: null,
      name: null,
      product_description: null,
      specified_commercial_transactions_act_url: null,
      support_address: null,
      support_email: null,
      support_phone: null,
      support_url: null,
      url: null,
    },
    business_type: null,
    capabilities: { card_payments: 'active', transfers: 'active' },
    charges_enabled: true,
    country: 'US',
    created,
    default_currency: 'usd',
    details_submitted: true,
    email: null,
    external_accounts: {
      object: 'list',
      data: [],
      has_more: false,
      url: `/v1/accounts/${id}/external_accounts`,
    },
    future_requirements: { ...emptyRequirements(), disabled_reason: null },
    metadata: {},
    payouts_enabled: true,
    requirements: emptyRequirements(),
    settings: {
      branding: { icon: null, logo: null, primary_color: null, secondary_color: null },
      card_payments: {
        decline_on: { avs_failure: false, cvc_failure: false },
        statement_descriptor_prefix: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
      dashboard: { display_name: null, timezone: 'Etc/UTC' },
      payments: {
        statement_descriptor: null,
        statement_descriptor_kana: null,
        statement_descriptor_kanji: null,
        statement_descriptor_prefix_kana: null,
        statement_descriptor_prefix_kanji: null,
      },
      payouts: {
        debit_negative_balances: true,
        schedule: { delay_days: 2, interval: 'daily' },
        statement_descriptor: null,
      },
    },
    tos_acceptance: { date: null, ip: null, user_agent: null },
    type,
  };
}

function applyUpdates(account: Account, params: UpdateAccountParams): void {
  const profile = params.business_profile;
  if (profile && account.business_profile) Object.assign(account.business_profile, profile);
  if (params.business_type !== undefined) account.business_type = params.business_type;
  if (params.default_currency !== undefined) account.default_currency = params.default_currency.toLowerCase();
  if (params.email !== undefined) account.email = params.email;
  account.metadata = mergeMetadata(account.metadata ?? {}, params.metadata);
  const settings = account.settings;
  if (params.settings?.branding && settings) Object.assign(settings.branding, params.settings.branding);
  if (params.settings?.dashboard && settings) Object.assign(settings.dashboard, params.settings.dashboard);
  if (settings && params.business_profile?.name !== undefined && !settings.dashboard.display_name) {
    settings.dashboard.display_name = params.business_profile.name;
  }
}

/** The scope a connected account's own objects and events live in. */
function connectedScope(account: Account, livemode: boolean): Scope {
  return { accountId: account.id, livemode };
}

function forbidConnected(ctx: Ctx): void {
  if (ctx.connectedAccount) {
    throw fail('account_connected_cannot_manage', {});
  }
}

/** Creates a platform account (no API caller: the first start, or the admin command). */
export async function createPlatformAccount(db: Db, now: number, name: string): Promise<Account> {
  const account = newAccount(newId('acct'), now, 'standard');
  applyUpdates(account, { business_profile: { name } });
  await insertObject(db, 'accounts', { accountId: account.id, livemode: false }, account, { is_platform: 1 });
  return account;
}

export async function findPlatformAccount(db: Db, id: string): Promise<Account | undefined> {
  return findObject<Account>(db, 'accounts', { accountId: id, livemode: false }, id);
}

export async function createConnectedAccount(ctx: Ctx, params: CreateAccountParams): Promise<Account> {
  forbidConnected(ctx);
  // A new account has no files yet: its branding can only use files the platform uploaded.
  await checkBrandingFiles(ctx, params.settings?.branding, [ctx.scope]);
  const account = newAccount(newId('acct'), ctx.clock.now(), params.type ?? 'custom');
  if (params.country) account.country = params.country.toUpperCase();
  applyUpdates(account, params);
  const requested = params.capabilities ?? {};
  account.capabilities = Object.fromEntries(
    Object.entries({ card_payments: 'active', transfers: 'active', ...requested }).map(([k, v]) => [
      k,
      typeof v === 'string' || v.requested !== false ? 'active' : 'inactive',
    ]),
  ) as Stripe.Account.Capabilities;
  await insertObject(ctx.db, 'accounts', ctx.scope, account, { is_platform: 0, deleted: 0 });
  return account;
}

/** The caller's own account (GET /v1/account): the connected one under Stripe-Account. */
export async function currentAccount(ctx: Ctx): Promise<Account> {
  const id = ctx.scope.accountId;
  const own = ctx.connectedAccount
    ? await findConnected(ctx.db, { accountId: ctx.platformAccount, livemode: ctx.scope.livemode }, id)
    : await findPlatformAccount(ctx.db, id);
  if (!own) throw errors.noSuchPath('account', id);
  return own;
}

export async function findConnected(db: Db, platform: Scope, id: string): Promise<Account | undefined> {
  const account = await findObject<Account & { deleted?: true }>(db, 'accounts', platform, id);
  return account && !account.deleted ? account : undefined;
}

/** An account the caller may manage: its own, or a connected account of its platform. */
export async function retrieveAccount(ctx: Ctx, id: string): Promise<Account> {
  if (id === ctx.scope.accountId) return currentAccount(ctx);
  forbidConnected(ctx);
  const account = await findConnected(ctx.db, ctx.scope, id);
  if (!account) throw errors.noSuchPath('account', id);
  return account;
}

export async function updateAccount(ctx: Ctx, id: string, params: UpdateAccountParams): Promise<Account> {
  const before = await retrieveAccount(ctx, id);
  await checkBrandingFiles(ctx, params.settings?.branding, [
    { accountId: id, livemode: ctx.scope.livemode },
    ctx.scope,
  ]);
  const account = structuredClone(before);
  applyUpdates(account, params);
  const platform = id === ctx.platformAccount;
  const owner: Scope = platform
    ? { accountId: id, livemode: false }
    : { accountId: ctx.platformAccount, livemode: ctx.scope.livemode };
  await updateObject(ctx.db, 'accounts', owner, account);
  const eventCtx: Ctx = platform
    ? ctx
    : { ...ctx, scope: connectedScope(account, ctx.scope.livemode), connectedAccount: account.id };
  await emitEvent(eventCtx, 'account.updated', account, { before });
  return account;
}

export async function deleteAccount(ctx: Ctx, id: string): Promise<Stripe.DeletedAccount> {
  forbidConnected(ctx);
  if (id === ctx.scope.accountId) {
    throw fail('account_delete_platform', {}, 'id');
  }
  await retrieveAccount(ctx, id);
  const deleted: Stripe.DeletedAccount = { id, object: 'account', deleted: true };
  await updateObject(ctx.db, 'accounts', ctx.scope, deleted, { deleted: 1 });
  return deleted;
}

export async function listAccounts(
  ctx: Ctx,
  params: ListAccountParams,
): Promise<JsonText<ListObject<Account>>> {
  forbidConnected(ctx);
  const page = await listObjectTexts(ctx.db, 'accounts', ctx.scope, pageQuery(params), {
    is_platform: 0,
    deleted: 0,
  });
  return listJson<Account>(page, '/v1/accounts');
}

/** `on_behalf_of` (portal sessions, subscriptions) names a connected account of the caller's platform. */
export async function requireOnBehalfOf(ctx: Ctx, id: string, param = 'on_behalf_of'): Promise<void> {
  const platform = { accountId: ctx.platformAccount, livemode: ctx.scope.livemode };
  const account = id === ctx.platformAccount ? undefined : await findConnected(ctx.db, platform, id);
  if (!account) throw errors.noSuchParam('account', id, param);
}
