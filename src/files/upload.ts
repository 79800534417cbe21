import { isUtf8 } from 'node:buffer';
import { createHash } from 'node:crypto';
import type { FastifyRequest } from 'fastify';
import { decodeForm, type FormObject } from '../api/form.ts';
import { errors } from '../core/errors.ts';

/**
 * `multipart/form-data` request bodies (file uploads, as the SDK sends `files.create`). The body is
 * read with its own size limit, split into parts, and handed to the route runner as params: text
 * parts go through the same bracket-notation decoder as form bodies (`file_link_data[create]`),
 * file parts become `FilePart` values. Form-encoded requests never come here.
 */

/** Large enough to tell a caller precisely why a too-large image was refused. */
export const MULTIPART_LIMIT = 4 * 1024 * 1024;
const MAX_PARTS = 2000;

/**
 * One uploaded file. Its bytes are not enumerable, so the idempotency fingerprint of a request
 * (computed over its params) covers the file through its size and SHA-256 rather than byte by byte.
 */
export class FilePart {
  declare readonly data: Buffer;
  readonly size: number;
  readonly sha256: string;

  constructor(
    data: Buffer,
    readonly filename: string,
    readonly contentType: string,
  ) {
    Object.defineProperty(this, 'data', { value: data, enumerable: false });
    this.size = data.length;
    this.sha256 = createHash('sha256').update(data).digest('hex');
  }
}

/** The decoded params of a multipart body; `request.body` holds one after the parser ran. */
export class MultipartBody {
  constructor(readonly params: FormObject) {}
}

function malformed(why: string) {
  return errors.invalidRequest(`Invalid request: the multipart/form-data body is malformed (${why}).`);
}

function tooLarge() {
  return errors.invalidRequest(
    `Request body too large: multipart/form-data bodies can be at most ${MULTIPART_LIMIT} bytes.`,
  );
}

function boundaryOf(contentType: string | undefined): string {
  const match = /;\s*boundary=(?:"([^"]{1,70})"|([^;\s]{1,70}))/i.exec(contentType ?? '');
  const boundary = match?.[1] ?? match?.[2];
  if (!boundary) throw malformed('no boundary in the Content-Type header');
  return boundary;
}

/**
 * `name="a%22b"` → `a"b`: the quoting browsers and the SDK use in part headers. A backslash is
 * a plain character (browsers send Windows paths unescaped).
 */
function headerParams(value: string): Map<string, string> {
  const params = new Map<string, string>();
  for (const m of value.matchAll(/;\s*([A-Za-z*-]+)\s*=\s*("([^"]*)"|[^;]*)/g)) {
    const raw = m[3] ?? m[2]!.trim();
    params.set(m[1]!.toLowerCase(), raw.replace(/%22/g, '"').replace(/%0D/gi, '\r').replace(/%0A/gi, '\n'));
  }
  return params;
}

interface Part {
  name: string;
  filename: string | undefined;
  contentType: string;
  content: Buffer;
}

function parsePart(raw: Buffer): Part {
  const headerEnd = raw.indexOf('\r\n\r\n');
  if (headerEnd < 0) throw malformed('a part has no blank line after its headers');
  const headers = new Map<string, string>();
  for (const line of raw.subarray(0, headerEnd).toString('utf8').split('\r\n')) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const disposition = headers.get('content-disposition') ?? '';
  if (!/^form-data\b/i.test(disposition)) throw malformed('a part is not form-data');
  const params = headerParams(disposition);
  const name = params.get('name');
  if (name === undefined) throw malformed('a part has no name');
  return {
    name,
    filename: params.get('filename'),
    contentType: headers.get('content-type') ?? 'application/octet-stream',
    content: raw.subarray(headerEnd + 4),
  };
}

/** Splits a body on its boundary; the preamble and epilogue are ignored, as RFC 7578 allows. */
export function splitParts(body: Buffer, boundary: string): Part[] {
  const delimiter = Buffer.from(`\r\n--${boundary}`);
  // The first delimiter may start the body, without the line break before it.
  const first = body.subarray(0, delimiter.length - 2).equals(delimiter.subarray(2))
    ? 0
    : body.indexOf(delimiter);
  if (first < 0) throw malformed('the boundary does not occur');
  let pos = first === 0 ? delimiter.length - 2 : first + delimiter.length;
  const parts: Part[] = [];
  for (;;) {
    if (body[pos] === 0x2d && body[pos + 1] === 0x2d) return parts; // `--`: the closing delimiter
    const lineEnd = body.indexOf('\r\n', pos);
    if (lineEnd < 0) throw malformed('the body ends inside a part');
    const next = body.indexOf(delimiter, lineEnd);
    if (next < 0) throw malformed('the closing boundary is missing');
    if (parts.length >= MAX_PARTS) throw malformed(`more than ${MAX_PARTS} parts`);
    parts.push(parsePart(body.subarray(lineEnd + 2, next)));
    pos = next + delimiter.length;
  }
}

/** What a file part's name may be: files are top-level params (`file`). */
const FILE_NAME = /^[A-Za-z0-9_]{1,64}$/;

export function decodeMultipart(body: Buffer, contentType: string | undefined): FormObject {
  const parts = splitParts(body, boundaryOf(contentType));
  const text: string[] = [];
  const files: Part[] = [];
  for (const part of parts) {
    if (part.filename !== undefined) files.push(part);
    else {
      if (!isUtf8(part.content))
        throw errors.invalidRequest('Invalid request: a text part is not valid UTF-8.');
      text.push(`${encodeURIComponent(part.name)}=${encodeURIComponent(part.content.toString('utf8'))}`);
    }
  }
  const params = decodeForm(text.join('&'));
  for (const file of files) {
    if (!FILE_NAME.test(file.name)) throw malformed(`a file part has the name "${file.name.slice(0, 64)}"`);
    if (params[file.name] !== undefined) {
      throw errors.invalidRequest(`Invalid request: more than one value for ${file.name}.`, file.name);
    }
    // Only the last path segment of a filename is kept (some clients send the full path).
    const filename = file.filename!.split(/[\\/]/).pop()!;
    (params as Record<string, unknown>)[file.name] = new FilePart(
      Buffer.from(file.content),
      filename,
      file.contentType,
    );
  }
  return params;
}

type Done = (error: Error | null, body?: unknown) => void;

/**
 * The endpoints that take multipart bodies, as Stripe takes them only for uploads. Elsewhere a
 * multipart body is a foreign content type, refused by the route runner like JSON.
 */
const UPLOAD_ROUTES = new Set(['/v1/files']);

/**
 * The Fastify content-type parser for `multipart/form-data`: reads the body up to
 * MULTIPART_LIMIT (refusing a larger one as soon as it is known) and decodes it.
 */
export function multipartParser(request: FastifyRequest, payload: NodeJS.ReadableStream, done: Done): void {
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
  const upload = UPLOAD_ROUTES.has(request.routeOptions.url ?? '');
  const chunks: Buffer[] = [];
  let size = 0;
  payload.on('data', (chunk: Buffer) => {
    if (finished) return;
    size += chunk.length;
    if (size > MULTIPART_LIMIT) return finish(tooLarge());
    if (upload) chunks.push(chunk);
  });
  payload.on('error', (error: Error) => finish(error));
  payload.on('end', () => {
    if (finished) return;
    if (!upload) {
      if (size > 0) request.foreignBody = String(request.headers['content-type']);
      finish(null, undefined);
      return;
    }
    try {
      const params = decodeMultipart(Buffer.concat(chunks, size), request.headers['content-type']);
      finish(null, new MultipartBody(params));
    } catch (error) {
      finish(error as Error);
    }
  });
}
