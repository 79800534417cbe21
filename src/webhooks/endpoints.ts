import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { errors, fail } from '../core/errors.ts';
import { newId, randomBase62 } from '../core/ids.ts';
import type { JsonText } from '../core/json.ts';
import { type ListObject, listJson, pageQuery } from '../core/list.ts';
import { mergeMetadata } from '../core/metadata.ts';
import { findObject, insertObject, listObjectTexts, updateObject } from '../store/objects.ts';
import type { CreateEndpointParams, ListEndpointParams, UpdateEndpointParams } from './params.ts';

type Endpoint = Stripe.WebhookEndpoint;

/** Stripe allows 16 webhook endpoints per account and mode. */
export const MAX_ENDPOINTS = 16;

/** http or https, absolute, without credentials. */
function checkUrl(value: string): string {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw fail('webhook_url_invalid', { url: value }, 'url');
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw fail('webhook_url_not_http', { url: value }, 'url');
  }
  if (url.username || url.password) {
    throw fail('webhook_url_credentials', { url: value }, 'url');
  }
  return value;
}

function checkEvents(events: string[]): string[] {
  if (events.length === 0) throw errors.parameterMissing('enabled_events');
  return [...new Set(events)];
}

/** Endpoints are the platform's: they stay with the platform under `Stripe-Account`. */
function ownerScope(ctx: Ctx) {
  return { accountId: ctx.platformAccount, livemode: ctx.scope.livemode };
}

async function countEndpoints(ctx: Ctx): Promise<number> {
  const row = await ctx.db
    .selectFrom('webhook_endpoints')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', ctx.platformAccount)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('deleted', '=', 0)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

export async function createEndpoint(ctx: Ctx, params: CreateEndpointParams): Promise<Endpoint> {
  if ((await countEndpoints(ctx)) >= MAX_ENDPOINTS) {
    const mode = ctx.scope.livemode ? 'live' : 'test';
    throw fail('webhook_endpoints_too_many', { max: MAX_ENDPOINTS, mode });
  }
  const secret = `whsec_${randomBase62(32)}`;
  const endpoint: Endpoint = {
    id: newId('we'),
    object: 'webhook_endpoint',
    api_version: params.api_version ?? null,
    application: null,
    created: ctx.clock.now(),
    description: params.description ?? null,
    enabled_events: checkEvents(params.enabled_events),
    livemode: ctx.scope.livemode,
    metadata: mergeMetadata({}, params.metadata),
    status: 'enabled',
    url: checkUrl(params.url),
  };
  ctx.memo?.clear();
  await insertObject(ctx.db, 'webhook_endpoints', ownerScope(ctx), endpoint, {
    status: 'enabled',
    secret,
    connect: params.connect ? 1 : 0,
    deleted: 0,
  });
  // The secret is shown once, on create, as on Stripe.
  return { ...endpoint, secret };
}

export async function requireEndpoint(ctx: Ctx, id: string): Promise<Endpoint> {
  const found = await findObject<Endpoint & { deleted?: true }>(
    ctx.db,
    'webhook_endpoints',
    ownerScope(ctx),
    id,
  );
  if (!found || found.deleted) throw errors.noSuchPath('webhook endpoint', id);
  return found;
}

export async function updateEndpoint(ctx: Ctx, id: string, params: UpdateEndpointParams): Promise<Endpoint> {
  const endpoint = await requireEndpoint(ctx, id);
  if (params.url !== undefined) endpoint.url = checkUrl(params.url);
  if (params.enabled_events !== undefined) endpoint.enabled_events = checkEvents(params.enabled_events);
  if (params.description !== undefined) endpoint.description = params.description;
  endpoint.metadata = mergeMetadata(endpoint.metadata, params.metadata);
  const extra: Record<string, string | null> = {};
  if (params.disabled !== undefined) {
    endpoint.status = params.disabled ? 'disabled' : 'enabled';
    extra.status = endpoint.status;
    // Enabling again starts a fresh run: past failures no longer count towards disabling.
    if (!params.disabled) extra.failing_since = null;
  }
  ctx.memo?.clear();
  await updateObject(ctx.db, 'webhook_endpoints', ownerScope(ctx), endpoint, extra);
  return endpoint;
}

export async function deleteEndpoint(ctx: Ctx, id: string): Promise<Stripe.DeletedWebhookEndpoint> {
  await requireEndpoint(ctx, id);
  const deleted: Stripe.DeletedWebhookEndpoint = { id, object: 'webhook_endpoint', deleted: true };
  ctx.memo?.clear();
  await updateObject(ctx.db, 'webhook_endpoints', ownerScope(ctx), deleted, {
    deleted: 1,
    status: 'disabled',
  });
  return deleted;
}

export async function listEndpoints(
  ctx: Ctx,
  params: ListEndpointParams,
): Promise<JsonText<ListObject<Endpoint>>> {
  const page = await listObjectTexts(ctx.db, 'webhook_endpoints', ownerScope(ctx), pageQuery(params), {
    deleted: 0,
  });
  return listJson<Endpoint>(page, '/v1/webhook_endpoints');
}
