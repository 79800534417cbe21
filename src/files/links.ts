import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { errors, fail } from '../core/errors.ts';
import { newId, randomBase62 } from '../core/ids.ts';
import { type ListObject, listObject, pageQuery } from '../core/list.ts';
import { mergeMetadata } from '../core/metadata.ts';
import type { Db } from '../store/database.ts';
import {
  type Filter,
  findObject,
  insertObject,
  listObjects,
  type Scope,
  updateObject,
} from '../store/objects.ts';
import type { CreateFileLinkParams, ListFileLinkParams, UpdateFileLinkParams } from './params.ts';

type FileLink = Stripe.FileLink;

/**
 * File links: public URLs to a file (`${publicUrl}/links/<token>`), for showing a logo in pages
 * a browser loads without a key. The token is 40 random base62 characters (≈238 bits).
 */

/** `expired` changes with time, so it is worked out whenever a link is shown. */
export function presentLink(link: FileLink, now: number): FileLink {
  return { ...link, expired: link.expires_at !== null && link.expires_at <= now };
}

function checkFuture(ctx: Ctx, expiresAt: number, param = 'expires_at'): void {
  if (expiresAt <= ctx.clock.now()) {
    throw fail('file_link_expires_past', {}, param);
  }
}

/** `expiresParam` names the param in errors (`file_link_data[expires_at]` on file create). */
export async function createFileLink(
  ctx: Ctx,
  params: CreateFileLinkParams,
  expiresParam = 'expires_at',
): Promise<FileLink> {
  const file = await findObject<Stripe.File>(ctx.db, 'files', ctx.scope, params.file);
  if (!file) throw errors.noSuchParam('file', params.file, 'file');
  if (params.expires_at !== undefined) checkFuture(ctx, params.expires_at, expiresParam);
  const token = randomBase62(40);
  const link: FileLink = {
    id: newId('link'),
    object: 'file_link',
    created: ctx.clock.now(),
    expired: false,
    expires_at: params.expires_at ?? null,
    file: file.id,
    livemode: ctx.scope.livemode,
    metadata: mergeMetadata({}, params.metadata),
    url: `${ctx.publicUrl}/links/${token}`,
  };
  await insertObject(ctx.db, 'file_links', ctx.scope, link, { file: file.id, token });
  return link;
}

export async function retrieveFileLink(ctx: Ctx, id: string): Promise<FileLink> {
  const link = await findObject<FileLink>(ctx.db, 'file_links', ctx.scope, id);
  if (!link) throw errors.noSuchPath('file_link', id);
  return presentLink(link, ctx.clock.now());
}

/** `expires_at`: a future time, `now` (expire at once) or `''` (never); expired links stay expired. */
export async function updateFileLink(ctx: Ctx, id: string, params: UpdateFileLinkParams): Promise<FileLink> {
  const before = await retrieveFileLink(ctx, id);
  if (before.expired) throw fail('file_link_expired', {});
  const link = structuredClone(before);
  if (params.expires_at === 'now') link.expires_at = ctx.clock.now();
  else if (params.expires_at !== undefined) {
    if (params.expires_at !== null) checkFuture(ctx, params.expires_at);
    link.expires_at = params.expires_at;
  }
  link.metadata = mergeMetadata(link.metadata, params.metadata);
  const shown = presentLink(link, ctx.clock.now());
  await updateObject(ctx.db, 'file_links', ctx.scope, shown);
  return shown;
}

async function linksPage(ctx: Ctx, params: ListFileLinkParams) {
  const where: Record<string, Filter> = params.file === undefined ? {} : { file: params.file };
  const page = await listObjects<FileLink>(ctx.db, 'file_links', ctx.scope, pageQuery(params), where);
  const now = ctx.clock.now();
  return { data: page.data.map((l) => presentLink(l, now)), hasMore: page.hasMore };
}

export async function listFileLinks(ctx: Ctx, params: ListFileLinkParams): Promise<ListObject<FileLink>> {
  return listObject(await linksPage(ctx, params), '/v1/file_links');
}

/** A file's `links` list: its newest ten links. */
export async function linksOf(ctx: Ctx, fileId: string): Promise<ListObject<FileLink>> {
  return listObject(await linksPage(ctx, { file: fileId, limit: 10 }), `/v1/file_links?file=${fileId}`);
}

/** The file a public link token opens, or undefined when there is none or the link has expired. */
export async function fileOfLink(
  db: Db,
  token: string,
  now: number,
): Promise<{ scope: Scope; fileId: string } | undefined> {
  if (!/^[A-Za-z0-9]{40}$/.test(token)) return undefined;
  const row = await db
    .selectFrom('file_links')
    .select(['account_id', 'livemode', 'file', 'data'])
    .where('token', '=', token)
    .executeTakeFirst();
  if (!row) return undefined;
  const link = JSON.parse(row.data) as FileLink;
  if (presentLink(link, now).expired) return undefined;
  return { scope: { accountId: row.account_id, livemode: row.livemode === 1 }, fileId: row.file };
}
