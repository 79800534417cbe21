import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { errors, fail } from '../core/errors.ts';
import { newId } from '../core/ids.ts';
import { type ListObject, listObject, pageQuery } from '../core/list.ts';
import { emitEvent } from '../events/emit.ts';
import type { Db } from '../store/database.ts';
import { type Filter, findObject, insertObject, listObjects, type Scope } from '../store/objects.ts';
import { acceptUpload, PURPOSE_RULES } from './content.ts';
import { createFileLink, linksOf } from './links.ts';
import type { CreateFileParams, ListFileParams } from './params.ts';

type File = Stripe.File;

/** A name safe to hand back and to put in a Content-Disposition header. */
function cleanFilename(name: string): string | null {
  // biome-ignore lint/suspicious/noControlCharactersInRegex: control characters are what is removed
  const clean = name.replace(/[\u0000-\u001f\u007f"]/g, '').slice(0, 255);
  return clean === '' ? null : clean;
}

/** `links` lists the file's links; the stored object leaves it out, as it changes on its own. */
async function present(ctx: Ctx, file: File): Promise<File> {
  return { ...file, links: await linksOf(ctx, file.id) };
}

/**
 * `POST /v1/files`: checks the upload against its purpose (type from the bytes, size, SVG
 * sanitised), stores the object and its bytes, optionally makes a file link, and emits
 * `file.created`. The download `url` needs a secret key, as Stripe's does.
 */
export async function createFile(ctx: Ctx, params: CreateFileParams): Promise<File> {
  if (!PURPOSE_RULES[params.purpose]) {
    throw fail('file_purpose_unsupported', { purpose: params.purpose }, 'purpose');
  }
  const { type, content } = acceptUpload(params.purpose, params.file.data);
  const id = newId('file');
  const file: File = {
    id,
    object: 'file',
    created: ctx.clock.now(),
    expires_at: null,
    filename: cleanFilename(params.file.filename),
    purpose: params.purpose,
    size: content.length,
    title: null,
    type,
    url: `${ctx.publicUrl}/v1/files/${id}/contents`,
  };
  await insertObject(ctx.db, 'files', ctx.scope, file, { purpose: file.purpose });
  await ctx.db.insertInto('file_contents').values({ file_id: id, content }).execute();
  const linkData = params.file_link_data;
  if (linkData?.create) {
    await createFileLink(
      ctx,
      { file: id, expires_at: linkData.expires_at, metadata: linkData.metadata },
      'file_link_data[expires_at]',
    );
  }
  const shown = await present(ctx, file);
  await emitEvent(ctx, 'file.created', shown);
  return shown;
}

/** A file of the caller's account and mode, with its links; undefined when there is none. */
export async function findFile(ctx: Ctx, id: string): Promise<File | undefined> {
  const file = await findObject<File>(ctx.db, 'files', ctx.scope, id);
  return file ? present(ctx, file) : undefined;
}

export async function retrieveFile(ctx: Ctx, id: string): Promise<File> {
  const file = await findFile(ctx, id);
  if (!file) throw errors.noSuchPath('file', id);
  return file;
}

export async function listFiles(ctx: Ctx, params: ListFileParams): Promise<ListObject<File>> {
  const where: Record<string, Filter> = params.purpose === undefined ? {} : { purpose: params.purpose };
  const page = await listObjects<File>(ctx.db, 'files', ctx.scope, pageQuery(params), where);
  const data = await Promise.all(page.data.map((f) => present(ctx, f)));
  return listObject({ data, hasMore: page.hasMore }, '/v1/files');
}

/** A file's object and bytes, for a download. */
export async function fileContent(
  db: Db,
  scope: Scope,
  id: string,
): Promise<{ file: File; content: Buffer } | undefined> {
  const file = await findObject<File>(db, 'files', scope, id);
  if (!file) return undefined;
  const row = await db
    .selectFrom('file_contents')
    .select('content')
    .where('file_id', '=', id)
    .executeTakeFirst();
  return row ? { file, content: Buffer.from(row.content) } : undefined;
}
