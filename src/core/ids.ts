import { randomFillSync } from 'node:crypto';

const ALPHABET = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz';

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

/**
 * `length` base62 characters from the CSPRNG, without modulo bias (bytes >= 248 are redrawn):
 * log2(62) ≈ 5.95 bits each, so 22 characters carry ≈131 bits.
 */
export function randomBase62(length: number): string {
  let out = '';
  while (out.length < length) {
    const b = randomByte();
    if (b < 248) out += ALPHABET[b % 62];
  }
  return out;
}

/** `n` in `width` base62 digits, most significant first, so the strings sort as the numbers do. */
function base62(n: number, width: number): string {
  let out = '';
  for (let i = 0; i < width; i++) {
    out = ALPHABET[n % 62] + out;
    n = Math.floor(n / 62);
  }
  return out;
}

/**
 * An object id: the prefix, 7 characters of the creation time in milliseconds, then 22 random
 * characters (≈131 bits). The time prefix makes ids created close together sort together, so an
 * insert lands on the same index page as the one before instead of a random page: under load that
 * halves what a commit writes. Clients treat ids as opaque, as on Stripe.
 */
export function newId(prefix: string): string {
  return `${prefix}_${base62(Date.now(), 7)}${randomBase62(22)}`;
}
