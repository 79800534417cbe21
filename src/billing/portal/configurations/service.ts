import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { errors, fail } from '../../../core/errors.ts';
import { newId, randomBase62 } from '../../../core/ids.ts';
import { type ListObject, listObject, pageQuery } from '../../../core/list.ts';
import { mergeMetadata } from '../../../core/metadata.ts';
import { emitEvent } from '../../../events/emit.ts';
import type { Db } from '../../../store/database.ts';
import { isUniqueViolation } from '../../../store/errors.ts';
import {
  type Filter,
  findObject,
  insertObject,
  listObjects,
  type Scope,
  updateObject,
} from '../../../store/objects.ts';
import { selectFirst } from '../../../store/run.ts';
import { requireFeedbackOption } from '../feedback-options/service.ts';
import { checkUrl, modePrefix } from '../urls.ts';
import { applyFeatures, defaultFeatures } from './build.ts';
import type {
  CreateConfigurationParams,
  ListConfigurationParams,
  UpdateConfigurationParams,
} from './params.ts';
import { checkFeatures, checkReferences } from './rules.ts';

type Configuration = Stripe.BillingPortal.Configuration;
type BusinessProfileParams = UpdateConfigurationParams['business_profile'];

export const CONFIGURATION_PREFIX = 'bpc';
/** The feedback options of a configuration, which its create, retrieve and update can expand. */
export const FEEDBACK_OPTIONS_PATH = 'features.subscription_cancel.cancellation_reason.feedback_options';

const mode = (scope: Scope) => (scope.livemode ? 1 : 0);
/** The id in a login page URL: the mode's prefix and 24 random base62 characters. */
const loginPageId = (livemode: boolean) => `${modePrefix(livemode)}${randomBase62(24)}`;
const loginPageIdOf = (config: Configuration) => config.login_page.url?.split('/').pop() ?? null;

function indexed(config: Configuration) {
  return {
    active: config.active ? 1 : 0,
    is_default: config.is_default ? 1 : 0,
    login_page: loginPageIdOf(config),
  };
}

/** URLs are stored with the base they were made under; they are shown under the current one. */
function present(ctx: Ctx, config: Configuration): Configuration {
  const id = loginPageIdOf(config);
  if (id) config.login_page.url = `${ctx.publicUrl}/p/login/${id}`;
  return config;
}

/** Turning the login page on issues a URL; turning it off revokes it, so a later URL is new. */
function applyLoginPage(ctx: Ctx, config: Configuration, enabled: boolean | undefined): void {
  if (enabled === undefined || enabled === config.login_page.enabled) return;
  config.login_page = {
    enabled,
    url: enabled ? `${ctx.publicUrl}/p/login/${loginPageId(ctx.scope.livemode)}` : null,
  };
}

function applyBusinessProfile(config: Configuration, sent: BusinessProfileParams): void {
  if (!sent) return;
  const profile = config.business_profile;
  if (sent.headline !== undefined) profile.headline = sent.headline;
  for (const field of ['privacy_policy_url', 'terms_of_service_url'] as const) {
    const value = sent[field];
    if (value === undefined) continue;
    if (value !== null) checkUrl(value, `business_profile[${field}]`);
    profile[field] = value;
  }
}

/** What create and update share: every field but `active`, checked on the result. */
async function applyParams(
  ctx: Ctx,
  config: Configuration,
  params: CreateConfigurationParams | UpdateConfigurationParams,
): Promise<void> {
  applyBusinessProfile(config, params.business_profile);
  if (params.default_return_url !== undefined) {
    if (params.default_return_url !== null) checkUrl(params.default_return_url, 'default_return_url');
    config.default_return_url = params.default_return_url;
  }
  if (params.name !== undefined) config.name = params.name;
  config.metadata = mergeMetadata(config.metadata ?? {}, params.metadata);
  applyLoginPage(ctx, config, params.login_page?.enabled);
  applyFeatures(config.features, params.features);
  checkFeatures(config.features, params.features);
  await checkReferences(ctx, params.features);
}

async function findDefaultId(db: Db, scope: Scope): Promise<string | undefined> {
  const row = await selectFirst(
    db,
    db
      .selectFrom('billing_portal_configurations')
      .select('id')
      .where('account_id', '=', scope.accountId)
      .where('livemode', '=', mode(scope))
      .where('is_default', '=', 1),
  );
  return row?.id;
}

/** The default configuration of the caller's account and mode, if one exists. */
export async function findDefaultConfiguration(ctx: Ctx): Promise<Configuration | undefined> {
  const id = await findDefaultId(ctx.db, ctx.scope);
  return id ? requireConfiguration(ctx, id) : undefined;
}

/** A configuration saved in one statement; two defaults made at once lose one to a retry. */
async function save(ctx: Ctx, config: Configuration, insert: boolean): Promise<void> {
  try {
    if (insert)
      await insertObject(ctx.db, 'billing_portal_configurations', ctx.scope, config, indexed(config));
    else await updateObject(ctx.db, 'billing_portal_configurations', ctx.scope, config, indexed(config));
  } catch (error) {
    if (isUniqueViolation(error)) throw errors.lockTimeout();
    throw error;
  }
}

/** The first configuration of an account and mode becomes its default. */
export async function createConfiguration(
  ctx: Ctx,
  params: CreateConfigurationParams,
): Promise<Configuration> {
  const now = ctx.clock.now();
  const config: Configuration = {
    id: newId(CONFIGURATION_PREFIX),
    object: 'billing_portal.configuration',
    active: true,
    application: null,
    business_profile: { headline: null, privacy_policy_url: null, terms_of_service_url: null },
    created: now,
    default_return_url: null,
    features: defaultFeatures(),
    is_default: (await findDefaultId(ctx.db, ctx.scope)) === undefined,
    livemode: ctx.scope.livemode,
    login_page: { enabled: false, url: null },
    metadata: {},
    name: null,
    updated: now,
  };
  await applyParams(ctx, config, params);
  await save(ctx, config, true);
  await emitEvent(ctx, 'billing_portal.configuration.created', config);
  return config;
}

/** A configuration for a path (404) or a param (400). */
export async function requireConfiguration(ctx: Ctx, id: string, param?: string): Promise<Configuration> {
  const found = await findObject<Configuration>(ctx.db, 'billing_portal_configurations', ctx.scope, id);
  if (!found) {
    throw param ? errors.noSuchParam('configuration', id, param) : errors.noSuchPath('configuration', id);
  }
  return present(ctx, found);
}

export async function updateConfiguration(
  ctx: Ctx,
  id: string,
  params: UpdateConfigurationParams,
): Promise<Configuration> {
  const before = await requireConfiguration(ctx, id);
  const config = structuredClone(before);
  if (params.active !== undefined) {
    if (!params.active && config.is_default) {
      throw fail('portal_configuration_default_deactivate', {}, 'active');
    }
    config.active = params.active;
  }
  await applyParams(ctx, config, params);
  config.updated = ctx.clock.now();
  await save(ctx, config, false);
  await emitEvent(ctx, 'billing_portal.configuration.updated', config, { before });
  return config;
}

export async function listConfigurations(
  ctx: Ctx,
  params: ListConfigurationParams,
): Promise<ListObject<Configuration>> {
  const where: Record<string, Filter> = {};
  if (params.active !== undefined) where.active = params.active ? 1 : 0;
  if (params.is_default !== undefined) where.is_default = params.is_default ? 1 : 0;
  const page = await listObjects<Configuration>(
    ctx.db,
    'billing_portal_configurations',
    ctx.scope,
    pageQuery(params),
    where,
  );
  return listObject(
    { data: page.data.map((c) => present(ctx, c)), hasMore: page.hasMore },
    '/v1/billing_portal/configurations',
  );
}

/**
 * Portico's own action: makes an active configuration the default of its account and mode (the
 * API has no field for it). The previous default stays active and is no longer the default.
 */
export async function makeDefaultConfiguration(ctx: Ctx, id: string): Promise<Configuration> {
  const before = await requireConfiguration(ctx, id);
  if (before.is_default) return before;
  if (!before.active) {
    throw fail('portal_configuration_inactive_default', { configuration: id }, 'id');
  }
  const now = ctx.clock.now();
  const previous = await findDefaultConfiguration(ctx);
  if (previous) {
    const demoted = { ...structuredClone(previous), is_default: false, updated: now };
    await save(ctx, demoted, false);
    await emitEvent(ctx, 'billing_portal.configuration.updated', demoted, { before: previous });
  }
  const config = { ...structuredClone(before), is_default: true, updated: now };
  await save(ctx, config, false);
  await emitEvent(ctx, 'billing_portal.configuration.updated', config, { before });
  return config;
}

/**
 * Replaces the feedback option ids of a configuration with the objects when `expand` asks for
 * them. Done here because the ids sit in a list, which the generic expansion does not walk.
 */
export async function expandFeedbackOptions(
  ctx: Ctx,
  config: Configuration,
  expand: string[] | undefined,
): Promise<Configuration> {
  const reason = config.features.subscription_cancel.cancellation_reason;
  if (!expand?.includes(FEEDBACK_OPTIONS_PATH) || !reason.feedback_options) return config;
  const options: Stripe.Billing.FeedbackOption[] = [];
  for (const option of reason.feedback_options) {
    options.push(typeof option === 'string' ? await requireFeedbackOption(ctx, option) : option);
  }
  reason.feedback_options = options;
  return config;
}
