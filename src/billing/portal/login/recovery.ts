import type Stripe from 'stripe';
import { findConnected } from '../../../accounts/service.ts';
import type { Ctx } from '../../../core/context.ts';
import { type AppError, fail } from '../../../core/errors.ts';
import { mailBranding } from '../../../mail/branding.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import type { Actor } from '../../../operations/context.ts';
import type { Operations } from '../../../operations/runner.ts';
import { customerNow } from '../../test-clocks/lookup.ts';
import { matchesHash } from '../sessions/entry.ts';
import { findSession, touchSession } from '../sessions/lifetime.ts';
import { createSession } from '../sessions/service.ts';
import { CODE_SECONDS, issueCode, normalizeEmail, pendingCode, spendCode } from './codes.ts';
import { type Browser, liveCustomer, markSessionOrigin } from './login.ts';

type Session = Stripe.BillingPortal.Session;

/**
 * Whether an expired session may still be recovered at `now` (its customer's clock): it asked for
 * `after_expiration.customer_login` and its deadline, if any, has not passed.
 */
export function recoverable(session: Session, now: number): boolean {
  const after = session.after_expiration;
  if (after?.type !== 'customer_login') return false;
  const deadline = after.customer_login?.expires_at ?? null;
  return deadline === null || now < deadline;
}

/** `jenny@example.com` as `j••••@example.com`: enough to know where to look, little to a stranger. */
export function maskEmail(email: string): string {
  const at = email.lastIndexOf('@');
  if (at < 1) return '•••';
  return `${email[0]}${'•'.repeat(Math.min(Math.max(at - 1, 3), 8))}${email.slice(at)}`;
}

async function businessOf(ctx: Ctx, session: Session): Promise<Stripe.Account | undefined> {
  if (!session.on_behalf_of) return undefined;
  return findConnected(
    ctx.db,
    { accountId: ctx.platformAccount, livemode: ctx.scope.livemode },
    session.on_behalf_of,
  );
}

/**
 * Mails a code to the expired session's customer, in the session's language (else the customer's,
 * else the browser's). The caller has checked that the browser holds the session (its cookie or
 * its URL). Answers the masked address the code went to; null when the customer has no email,
 * and then nothing can recover the session.
 */
export async function requestRecoveryCode(
  ctx: Ctx,
  session: Session,
  browser: Browser,
): Promise<string | null> {
  const customer = await liveCustomer(ctx, session.customer);
  const now = customer ? await customerNow(ctx, customer) : ctx.clock.now();
  if (!customer?.email || !recoverable(session, now)) return null;
  const code = await issueCode(ctx, {
    purpose: 'recovery',
    configuration: session.configuration as string,
    session: session.id,
    email: normalizeEmail(customer.email),
    customer: customer.id,
    browser: browser.hash,
    client: browser.client,
    now,
  });
  await enqueueMail(ctx, {
    to: customer.email,
    template: 'login_code',
    args: { code, ...(await mailBranding(ctx, await businessOf(ctx, session))), minutes: CODE_SECONDS / 60 },
    locale: {
      sessionLocale: session.locale,
      preferredLocales: customer.preferred_locales,
      acceptLanguage: browser.acceptLanguage,
    },
  });
  return maskEmail(customer.email);
}

/** The masked address of this browser's pending recovery code for the session, if it asked for one. */
export async function pendingRecoveryEmail(ctx: Ctx, session: Session, browser: string) {
  const row = await pendingCode(ctx, browser, { purpose: 'recovery', session: session.id });
  return row ? maskEmail(row.email) : undefined;
}

/**
 * The right code replaces the expired session with a new one: the same customer, configuration,
 * locale, return URL, `on_behalf_of` and recovery deadline, opening on the homepage rather than
 * replaying the flow. Emits `billing_portal.session.created`.
 */
export async function recoverSession(
  ctx: Ctx,
  expired: Session,
  browser: string,
  typed: string,
): Promise<{ session: Session } | { refusal: AppError }> {
  const row = await pendingCode(ctx, browser, { purpose: 'recovery', session: expired.id });
  const customer = await liveCustomer(ctx, expired.customer);
  if (!row || !customer) return { refusal: fail('portal_login_code_expired', {}) };
  const now = await customerNow(ctx, customer);
  const refusal = await spendCode(ctx, row, typed, now);
  if (refusal) return { refusal };
  if (!recoverable(expired, now)) return { refusal: fail('portal_login_code_expired', {}) };
  const after = expired.after_expiration;
  const session = await createSession(ctx, {
    customer: customer.id,
    configuration: expired.configuration as string,
    locale: (expired.locale ?? undefined) as Stripe.BillingPortal.SessionCreateParams.Locale | undefined,
    return_url: expired.return_url ?? undefined,
    on_behalf_of: expired.on_behalf_of ?? undefined,
    after_expiration: after
      ? {
          customer_login: { expires_at: after.customer_login?.expires_at ?? undefined },
          type: 'customer_login',
        }
      : undefined,
  } as Parameters<typeof createSession>[1]);
  await markSessionOrigin(ctx, session.id, 'recovery');
  return { session };
}

/** An expired session a browser may recover, with the actor its pages run as. */
export interface RecoveryTarget {
  session: Session;
  actor: Actor;
  /** Still open after all: the browser should simply go back to it. */
  open: boolean;
  recoverable: boolean;
}

/**
 * The session a recovery form names, when the browser proves it holds it: the secret of its URL
 * (a browser that never opened it, after its five minutes), the session's cookie, or a recovery
 * code this browser already asked for. Anything else answers undefined, as for an unknown id.
 */
export function recoveryTarget(
  ops: Operations,
  sessionId: string,
  proof: { token?: string; cookie?: string; browser: string },
): Promise<RecoveryTarget | undefined> {
  return ops.store.write(async (db) => {
    const row = await findSession(db, 'id', sessionId);
    if (!row) return undefined;
    const tokenRow = proof.token
      ? await db
          .selectFrom('billing_portal_sessions')
          .select('token_hash')
          .where('id', '=', sessionId)
          .executeTakeFirst()
      : undefined;
    const asked = await db
      .selectFrom('portal_login_codes')
      .select('id')
      .where('browser_hash', '=', proof.browser)
      .where('purpose', '=', 'recovery')
      .where('session', '=', sessionId)
      .executeTakeFirst();
    const proven =
      matchesHash(proof.token, tokenRow?.token_hash ?? null) ||
      matchesHash(proof.cookie, row.cookie_hash) ||
      asked !== undefined;
    if (!proven) return undefined;
    const visit = await touchSession(ops, db, row);
    if (visit.status === 'unknown') return undefined;
    return {
      session: visit.session,
      actor: visit.actor,
      open: visit.status === 'open',
      recoverable: visit.status === 'expired' && visit.recoverable,
    };
  });
}
