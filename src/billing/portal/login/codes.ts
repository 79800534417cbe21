import { createHash, randomInt, timingSafeEqual } from 'node:crypto';
import type { Selectable } from 'kysely';
import type { Ctx } from '../../../core/context.ts';
import { type AppError, fail } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { LoginCodeRow } from '../../../store/schema.ts';

/** Portico rules (Stripe documents none): six digits, ten minutes, five tries. */
export const CODE_DIGITS = 6;
export const CODE_SECONDS = 10 * 60;
export const MAX_ATTEMPTS = 5;
/** Sends allowed in an hour: per address (on its customer's clock) and per client address. */
export const SENDS_PER_EMAIL = 5;
export const SENDS_PER_CLIENT = 20;
const LIMIT_WINDOW_SECONDS = 60 * 60;

const LOGIN_CODE_PREFIX = 'plc';

/** A code's row as read. */
export type LoginCode = Selectable<LoginCodeRow>;

const sha256 = (value: string) => createHash('sha256').update(value).digest('hex');

/** The browser's login cookie as it is stored: codes are bound to the browser that asked. */
export const browserHash = (cookieSecret: string) => sha256(`portico-login\0${cookieSecret}`);

/** Salted with the row's id, so equal codes never share a hash. */
const codeHash = (id: string, code: string) => sha256(`${id}\0${code}`);

/** A uniformly drawn code of six digits, leading zeros kept. */
const newCode = () =>
  randomInt(0, 10 ** CODE_DIGITS)
    .toString()
    .padStart(CODE_DIGITS, '0');

export const normalizeEmail = (email: string) => email.trim().toLowerCase();

export interface CodeRequest {
  purpose: LoginCodeRow['purpose'];
  configuration: string;
  session: string | null;
  email: string;
  customer: string | null;
  browser: string;
  client: string;
  /** Now on the customer's clock (the server's for an address that matches nobody). */
  now: number;
}

/**
 * Refuses a send past the hourly limits. Both count every code asked for, whether the address
 * matched a customer or not, so the refusal reveals nothing about the address.
 */
async function checkLimits(ctx: Ctx, request: CodeRequest): Promise<void> {
  const [byEmail, byClient] = await Promise.all([
    ctx.db
      .selectFrom('portal_login_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('account_id', '=', ctx.scope.accountId)
      .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
      .where('email', '=', request.email)
      .where('created', '>', request.now - LIMIT_WINDOW_SECONDS)
      .executeTakeFirstOrThrow(),
    ctx.db
      .selectFrom('portal_login_codes')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .where('client', '=', request.client)
      .where('requested_at', '>', ctx.clock.now() - LIMIT_WINDOW_SECONDS)
      .executeTakeFirstOrThrow(),
  ]);
  if (Number(byEmail.n) >= SENDS_PER_EMAIL || Number(byClient.n) >= SENDS_PER_CLIENT) {
    throw fail('portal_login_rate_limited', {});
  }
}

/**
 * Issues a code for this browser: earlier unused codes of the same browser and purpose stop
 * working, so only the newest mail counts. Answers the code in clear, for the mail only.
 */
export async function issueCode(ctx: Ctx, request: CodeRequest): Promise<string> {
  await checkLimits(ctx, request);
  await ctx.db
    .updateTable('portal_login_codes')
    .set({ used_at: request.now })
    .where('browser_hash', '=', request.browser)
    .where('purpose', '=', request.purpose)
    .where('used_at', 'is', null)
    .execute();
  const id = newId(LOGIN_CODE_PREFIX);
  const code = newCode();
  await ctx.db
    .insertInto('portal_login_codes')
    .values({
      id,
      account_id: ctx.scope.accountId,
      livemode: ctx.scope.livemode ? 1 : 0,
      purpose: request.purpose,
      configuration: request.configuration,
      session: request.session,
      email: request.email,
      customer: request.customer,
      browser_hash: request.browser,
      client: request.client,
      code_hash: codeHash(id, code),
      created: request.now,
      requested_at: ctx.clock.now(),
      expires_at: request.now + CODE_SECONDS,
      attempts: 0,
      used_at: null,
    })
    .execute();
  return code;
}

/** The newest code this browser asked for, for a login page or for recovering one session. */
export function pendingCode(
  ctx: Ctx,
  browser: string,
  where: { purpose: 'login'; configuration: string } | { purpose: 'recovery'; session: string },
): Promise<LoginCode | undefined> {
  let query = ctx.db
    .selectFrom('portal_login_codes')
    .selectAll()
    .where('browser_hash', '=', browser)
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('purpose', '=', where.purpose);
  query =
    where.purpose === 'login'
      ? query.where('configuration', '=', where.configuration)
      : query.where('session', '=', where.session);
  return query.orderBy('seq', 'desc').limit(1).executeTakeFirst();
}

/**
 * Checks a code typed by the customer against the row, in constant time, at `now` on the
 * customer's clock. A wrong code uses one of the five tries; the right one is spent at once, so
 * it works a single time. A row for an address that matched nobody has a code nobody was sent,
 * and is checked (and counted) the same way. A refusal is answered, not thrown, so the try it
 * used is committed with the transaction.
 */
export async function spendCode(
  ctx: Ctx,
  row: LoginCode,
  typed: string,
  now: number,
): Promise<AppError | null> {
  if (row.used_at !== null || now >= row.expires_at) return fail('portal_login_code_expired', {});
  if (row.attempts >= MAX_ATTEMPTS) return fail('portal_login_code_locked', {});
  const digits = typed.replace(/\s+/g, '');
  const presented = Buffer.from(codeHash(row.id, digits), 'hex');
  const stored = Buffer.from(row.code_hash, 'hex');
  const matches = presented.length === stored.length && timingSafeEqual(presented, stored);
  if (matches && row.customer !== null) {
    const spent = await ctx.db
      .updateTable('portal_login_codes')
      .set({ used_at: now })
      .where('id', '=', row.id)
      .where('used_at', 'is', null)
      .executeTakeFirst();
    // Two tabs posting the same code at once: only one of them opens a session.
    return Number(spent.numUpdatedRows) === 1 ? null : fail('portal_login_code_expired', {});
  }
  const attempts = row.attempts + 1;
  await ctx.db.updateTable('portal_login_codes').set({ attempts }).where('id', '=', row.id).execute();
  if (attempts >= MAX_ATTEMPTS) return fail('portal_login_code_locked', {});
  return fail('portal_login_code_wrong', { attempts_left: MAX_ATTEMPTS - attempts });
}
