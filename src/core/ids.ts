import { randomBytes } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `length` base62 characters from the CSPRNG, without modulo bias (bytes >= 248 are redrawn).
 * 24 characters carry 24 * log2(62) ≈ 142 bits, above the 128 the conventions ask for.
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const bytes = randomBytes(length * 2);
    for (let i = 0; i < bytes.length && out.length < length; i++) {
      const b = bytes[i]!;
      if (b < 248) out += ALPHABET[b % 62];
    }
  }
  return out;
}

export const ID_LENGTH = 24;

export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(ID_LENGTH)}`;
}
