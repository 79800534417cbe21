import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

/**
 * `length` base62 characters from the CSPRNG, without modulo bias (bytes >= 248 are redrawn).
 * 24 characters carry 24 * log2(62) ≈ 142 bits, above the 128 the conventions ask for.
 */
// Bytes are drawn from the CSPRNG a pool at a time: one system call per ~100 ids instead of one
// per id (ids are made on every request, for Request-Id).
const pool = Buffer.alloc(4096);
let used = pool.length;

function randomByte(): number {
  if (used === pool.length) {
    randomFillSync(pool);
    used = 0;
  }
  return pool[used++]!;
}

export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const b = randomByte();
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out;
}

export const ID_LENGTH = 24;

export function newId(prefix: string): string {
  return `${prefix}_${randomBase62(ID_LENGTH)}`;
}
