import { createHash } from 'node:crypto';

/**
 * One uploaded file, as the upload endpoint receives it. Its bytes are not enumerable, so the
 * idempotency fingerprint of a request (computed over its params) covers the file through its
 * size and SHA-256 rather than byte by byte.
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

/** Only the last path segment of an uploaded file's name is kept (some clients send the full path). */
export function uploadFilename(sent: string): string {
  return sent.split(/[\\/]/).pop()!;
}
