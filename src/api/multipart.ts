import { isUtf8 } from 'node:buffer';
import multipart from '@fastify/multipart';
import type { FastifyInstance, FastifyRequest, RouteOptions } from 'fastify';
import { fail, isRefusal } from '../core/errors.ts';
import { FilePart, uploadFilename } from '../files/upload.ts';
import { decodeForm, type FormObject } from './form.ts';

/**
 * `multipart/form-data` request bodies (file uploads, as the SDK sends `files.create`). Upload
 * endpoints read them through @fastify/multipart with a limit on the whole body, and hand them to
 * the route runner as params: text parts go through the same bracket-notation decoder as form
 * bodies (`file_link_data[create]`), file parts become `FilePart` values. Elsewhere a multipart
 * body is a foreign content type, refused by the route runner like JSON.
 */

/** Large enough to tell a caller precisely why a too-large image was refused. */
export const MULTIPART_LIMIT = 4 * 1024 * 1024;
const MAX_PARTS = 2000;

/** The decoded params of a multipart body; `request.body` holds one once the upload was read. */
export class MultipartBody {
  constructor(readonly params: FormObject) {}
}

function malformed(why: string) {
  return fail('multipart_malformed', { reason: why });
}

function tooLarge() {
  return fail('multipart_too_large', { limit: MULTIPART_LIMIT });
}

function checkBoundary(contentType: string | undefined): void {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType ?? '');
  if (!match?.[1] && !match?.[2]) throw malformed('no boundary in the Content-Type header');
}

/**
 * `name="a%22b"` → `a"b`: the quoting browsers and the SDK use in part headers. (A backslash is a
 * plain character: browsers send Windows paths unescaped.)
 */
function unquote(value: string): string {
  return value.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n');
}

interface Part {
  name: string;
  filename: string | undefined;
  contentType: string;
  content: Buffer;
}

/** What a file part's name may be: files are top-level params (`file`). */
const FILE_NAME = /^[A-Za-z0-9_]{1,64}$/;

function toParams(parts: Part[]): FormObject {
  const text: string[] = [];
  const files: Part[] = [];
  for (const part of parts) {
    if (part.filename !== undefined) files.push(part);
    else {
      if (!isUtf8(part.content)) throw fail('multipart_text_not_utf8', {});
      text.push(`${encodeURIComponent(part.name)}=${encodeURIComponent(part.content.toString('utf8'))}`);
    }
  }
  const params = decodeForm(text.join('&'));
  for (const file of files) {
    if (!FILE_NAME.test(file.name)) throw malformed(`a file part has the name "${file.name.slice(0, 64)}"`);
    if (params[file.name] !== undefined) {
      throw fail('multipart_value_repeated', { name: file.name }, file.name);
    }
    (params as Record<string, unknown>)[file.name] = new FilePart(
      file.content,
      uploadFilename(file.filename!),
      file.contentType,
    );
  }
  return params;
}

/** What the parser and the plugin refuse, in Stripe's shape. */
function uploadError(error: unknown): unknown {
  if (isRefusal(error)) return error;
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'FST_PARTS_LIMIT') return malformed(`more than ${MAX_PARTS} parts`);
  if (code === 'FST_PROTO_VIOLATION') return malformed('a part is named after a built-in property');
  if (/unexpected end of multipart data/i.test(message ?? ''))
    return malformed('the closing boundary is missing');
  return error;
}

/**
 * Reads every part of an upload, refusing a body over MULTIPART_LIMIT as soon as it is known. Every
 * part is read as bytes (the parser is told each is a file), so text parts keep their exact bytes.
 */
async function readParts(request: FastifyRequest): Promise<Part[]> {
  const raw = request.raw;
  let size = 0;
  const count = (chunk: Buffer) => {
    size += chunk.length;
  };
  const iterator = request.parts();
  const parts: Part[] = [];
  try {
    // The first call starts the parser, which reads the body from then on: counted alongside.
    const first = iterator.next();
    raw.on('data', count);
    for (let next = await first; !next.done; next = await iterator.next()) {
      if (size > MULTIPART_LIMIT) throw tooLarge();
      const part = next.value;
      if (part.type !== 'file') throw malformed('a part could not be read');
      const chunks: Buffer[] = [];
      for await (const chunk of part.file) {
        if (size > MULTIPART_LIMIT) throw tooLarge();
        chunks.push(chunk as Buffer);
      }
      if (part.fieldname === undefined) throw malformed('a part has no name');
      parts.push({
        name: unquote(part.fieldname),
        filename: part.filename === undefined ? undefined : unquote(part.filename),
        contentType: part.mimetype,
        content: Buffer.concat(chunks),
      });
    }
  } catch (error) {
    // What is left of the body is read and dropped, so the connection can carry the answer.
    if (!raw.readableEnded) raw.unpipe().resume();
    throw uploadError(error);
  } finally {
    raw.off('data', count);
  }
  if (size > MULTIPART_LIMIT) throw tooLarge();
  if (size === 0) throw malformed('the boundary does not occur');
  return parts;
}

/** Before validation on upload endpoints: the multipart body becomes the route's params. */
async function readUpload(request: FastifyRequest): Promise<void> {
  if (!request.isMultipart()) return;
  if (Number(request.headers['content-length']) > MULTIPART_LIMIT) throw tooLarge();
  checkBoundary(request.headers['content-type']);
  request.body = new MultipartBody(toParams(await readParts(request)));
}

/**
 * Registers the endpoints that take uploads in a scope of their own, the only one with
 * @fastify/multipart (its hooks then cost nothing to other requests).
 */
export function registerUploadRoutes(app: FastifyInstance, routes: RouteOptions[]): void {
  app.register(async (scope) => {
    scope.removeContentTypeParser('multipart/form-data');
    await scope.register(multipart, {
      limits: {
        parts: MAX_PARTS,
        fileSize: MULTIPART_LIMIT,
        fieldSize: MULTIPART_LIMIT,
        headerPairs: 2000,
      },
      // Every part as bytes: text parts are checked for UTF-8 and decoded here.
      isPartAFile: () => true,
      throwFileSizeLimit: false,
    });
    scope.addHook('preValidation', readUpload);
    for (const r of routes) scope.route(r);
  });
}

type Done = (error: Error | null, body?: unknown) => void;

/**
 * The content-type parser for `multipart/form-data` outside upload endpoints: the body is read up
 * to MULTIPART_LIMIT (a larger one is refused as soon as it is known) and marked as foreign, for
 * the route runner to refuse.
 */
export function foreignMultipartParser(
  request: FastifyRequest,
  payload: NodeJS.ReadableStream,
  done: Done,
): void {
  let finished = false;
  const finish = (error: Error | null, body?: unknown) => {
    if (finished) return;
    finished = true;
    done(error, body);
  };
  if (Number(request.headers['content-length']) > MULTIPART_LIMIT) {
    finish(tooLarge());
    return;
  }
  let size = 0;
  payload.on('data', (chunk: Buffer) => {
    if (finished) return;
    size += chunk.length;
    if (size > MULTIPART_LIMIT) finish(tooLarge());
  });
  payload.on('error', (error: Error) => finish(error));
  payload.on('end', () => {
    if (size > 0) request.foreignBody = String(request.headers['content-type']);
    finish(null, undefined);
  });
}
