import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * What every hosted page answers with: a strict Content-Security-Policy whose only scripts and
 * styles are the page's own (a fresh nonce per response), nothing from another origin, no
 * referrer, no caching of customer data, and no framing unless the operator lists origins
 * (PORTICO_PORTAL_FRAME_ANCESTORS).
 */
export function newNonce(): string {
  return randomBytes(16).toString('base64');
}

export function securityHeaders(
  reply: FastifyReply,
  nonce: string,
  frameAncestors: string[],
  formTargets: string[] = [],
): void {
  const ancestors = frameAncestors.length > 0 ? frameAncestors.join(' ') : "'none'";
  reply.header(
    'Content-Security-Policy',
    [
      "default-src 'none'",
      `script-src 'nonce-${nonce}'`,
      `style-src 'self' 'nonce-${nonce}'`,
      "img-src 'self' data:",
      "font-src 'self'",
      "connect-src 'self'",
      ["form-action 'self'", ...formTargets].join(' '),
      "base-uri 'none'",
      `frame-ancestors ${ancestors}`,
    ].join('; '),
  );
  if (frameAncestors.length === 0) reply.header('X-Frame-Options', 'DENY');
  reply.header('Referrer-Policy', 'no-referrer');
  reply.header('X-Content-Type-Options', 'nosniff');
  reply.header('Cache-Control', 'no-store');
  reply.header('Cross-Origin-Opener-Policy', 'same-origin');
}

/** The cookie that proves a browser opened a session's URL, one per session. */
export function cookieName(sessionId: string, secure: boolean): string {
  return `${secure ? '__Host-' : ''}portico_${sessionId}`;
}

export function sessionCookie(sessionId: string, secret: string, secure: boolean): string {
  // No Max-Age: the session's own lifetime (checked on the server) is what counts, and a
  // browser session cookie goes when the browser closes.
  return `${cookieName(sessionId, secure)}=${secret}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`;
}

export function readCookie(request: FastifyRequest, name: string): string | undefined {
  const header = request.headers.cookie;
  if (!header) return undefined;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq > 0 && part.slice(0, eq).trim() === name) return part.slice(eq + 1).trim();
  }
  return undefined;
}

/**
 * The CSRF token of a session's forms: derived from the browser's cookie secret, so only a page
 * the browser got from Portico can carry it, and nothing needs storing.
 */
export function csrfToken(cookieSecret: string): string {
  return createHash('sha256').update(`portico-csrf\0${cookieSecret}`).digest('base64url');
}

export function csrfMatches(cookieSecret: string, presented: unknown): boolean {
  if (typeof presented !== 'string') return false;
  const expected = Buffer.from(csrfToken(cookieSecret));
  const given = Buffer.from(presented);
  return expected.length === given.length && timingSafeEqual(expected, given);
}

/**
 * A form post must come from a Portico page. Browsers that send Sec-Fetch-Site must say
 * same-origin. Otherwise the Origin, when sent, must be Portico's public origin or the host the
 * request was made to. (Pages are served with `Referrer-Policy: no-referrer`, under which
 * Chromium sends `Origin: null` even on same-origin posts, so Sec-Fetch-Site decides first.)
 * Together with the token this stops cross-site posts.
 */
export function sameOrigin(request: FastifyRequest, publicOrigin: string): boolean {
  const site = request.headers['sec-fetch-site'];
  if (typeof site === 'string') return site === 'same-origin';
  const origin = request.headers.origin;
  if (typeof origin !== 'string' || origin === 'null') return origin === undefined;
  const host = request.headers.host;
  return (
    origin === publicOrigin ||
    (host !== undefined && (origin === `http://${host}` || origin === `https://${host}`))
  );
}
