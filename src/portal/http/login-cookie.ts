import type { FastifyReply, FastifyRequest } from 'fastify';
import { randomBase62 } from '../../core/ids.ts';
import { cookieName, readCookie } from './security.ts';

/**
 * The login cookie: a random secret that binds the codes a browser asks for to that browser (only
 * it can enter them) and seeds the CSRF token of the forms shown before any session exists (the
 * login page, an expired session's recovery).
 */
export const loginCookieName = (secure: boolean) => cookieName('login', secure);

/** This browser's login secret; a new one is set on the reply when it has none. */
export function loginCookie(request: FastifyRequest, reply: FastifyReply, secure: boolean): string {
  const name = loginCookieName(secure);
  const existing = readCookie(request, name);
  if (existing && /^[A-Za-z0-9]{32}$/.test(existing)) return existing;
  const secret = randomBase62(32);
  // Path=/ as `__Host-` cookies require; HttpOnly, and Lax so a link from a mail keeps it.
  reply.header('Set-Cookie', `${name}=${secret}; Path=/; HttpOnly; SameSite=Lax${secure ? '; Secure' : ''}`);
  return secret;
}
