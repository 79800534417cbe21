import { isUtf8 } from 'node:buffer';
import type Stripe from 'stripe';
import { fail } from '../core/errors.ts';
import { SvgRejected, sanitizeSvg } from './svg.ts';

/**
 * What an upload is, told from its bytes (never from its name or declared Content-Type), and
 * what each purpose accepts. Portico keeps files for account branding; the other purposes Stripe
 * lists belong to features Portico does not have (disputes, identity, Terminal) and are refused.
 */

export type FileType = 'png' | 'jpg' | 'gif' | 'svg' | 'pdf';

export const MIME_TYPES: Record<FileType, string> = {
  png: 'image/png',
  jpg: 'image/jpeg',
  gif: 'image/gif',
  svg: 'image/svg+xml',
  pdf: 'application/pdf',
};

/** How a stored file is served: its MIME type, and its name made safe for a quoted header value. */
export function servedAs(file: Stripe.File): { mimeType: string; filename: string } {
  return {
    mimeType: MIME_TYPES[file.type as FileType] ?? 'application/octet-stream',
    filename: (file.filename ?? `${file.id}.${file.type}`).replace(/[^\x20-\x7e]|"/g, '_'),
  };
}

interface PurposeRule {
  types: readonly FileType[];
  maxBytes: number;
}

/** Stripe: business icons and logos are JPEG, PNG or GIF of at most 512 KB; Portico adds SVG. */
const BRANDING: PurposeRule = { types: ['png', 'jpg', 'gif', 'svg'], maxBytes: 512 * 1024 };

export const PURPOSE_RULES: Record<string, PurposeRule> = {
  business_icon: BRANDING,
  business_logo: BRANDING,
};

const PNG = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** The type of the bytes, or null when they are none Portico recognises. */
export function sniff(data: Buffer): FileType | null {
  // A PNG is its signature followed by the IHDR chunk.
  if (data.subarray(0, 8).equals(PNG) && data.subarray(12, 16).toString('latin1') === 'IHDR') return 'png';
  if (data[0] === 0xff && data[1] === 0xd8 && data[2] === 0xff) return 'jpg';
  const head = data.subarray(0, 6).toString('latin1');
  if (head === 'GIF87a' || head === 'GIF89a') return 'gif';
  if (data.subarray(0, 5).toString('latin1') === '%PDF-') return 'pdf';
  if (isUtf8(data) && /<svg[\s>/]/.test(data.subarray(0, 4096).toString('utf8'))) return 'svg';
  return null;
}

/**
 * Checks an upload against its purpose and answers what is stored: the bytes as sent, or for an
 * SVG the sanitised document.
 */
export function acceptUpload(purpose: string, data: Buffer): { type: FileType; content: Buffer } {
  const rule = PURPOSE_RULES[purpose]!;
  if (data.length === 0) throw fail('file_empty', {}, 'file');
  if (data.length > rule.maxBytes) {
    throw fail('file_too_large', { purpose, maxKb: rule.maxBytes / 1024, size: data.length }, 'file');
  }
  const type = sniff(data);
  if (type === null || !rule.types.includes(type)) {
    throw fail('file_type_refused', { purpose, allowed: rule.types, actual: type }, 'file');
  }
  if (type !== 'svg') return { type, content: data };
  try {
    return { type, content: Buffer.from(sanitizeSvg(data.toString('utf8')), 'utf8') };
  } catch (error) {
    if (error instanceof SvgRejected) throw fail('file_svg_refused', { detail: error.message }, 'file');
    throw error;
  }
}
