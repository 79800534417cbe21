import { sql } from 'kysely';
import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { type AppError, fail } from '../../../core/errors.ts';
import { mailBranding } from '../../../mail/branding.ts';
import { enqueueMail } from '../../../mail/outbox.ts';
import { type Actor, actorFor } from '../../../operations/context.ts';
import type { Db } from '../../../store/database.ts';
import { findObject } from '../../../store/objects.ts';
import type { SessionOrigin } from '../../../store/schema.ts';
import { customerNow } from '../../test-clocks/lookup.ts';
import { createSession } from '../sessions/service.ts';
import { CODE_SECONDS, issueCode, normalizeEmail, pendingCode, spendCode } from './codes.ts';

type Configuration = Stripe.BillingPortal.Configuration;
type Session = Stripe.BillingPortal.Session;

/** The same check the billing information form makes. */
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** What a sign-in code request or entry knows of the browser it comes from. */
export interface Browser {
  /** The hash of its login cookie (codes.ts `browserHash`). */
  hash: string;
  /** Its network address, for the per-client send limit. */
  client: string;
  acceptLanguage: string | undefined;
}

/** A login page URL's configuration, with the account it belongs to; undefined once disabled. */
export async function findLoginPage(
  db: Db,
  pageId: string,
): Promise<{ configuration: Configuration; actor: Actor } | undefined> {
  const row = await db
    .selectFrom('billing_portal_configurations')
    .select(['account_id', 'livemode', 'data', 'active'])
    .where('login_page', '=', pageId)
    .executeTakeFirst();
  if (row?.active !== 1) return undefined;
  const actor = await actorFor(db, { accountId: row.account_id, livemode: row.livemode === 1 });
  return { configuration: JSON.parse(row.data), actor };
}

/** Statuses that count as "an active subscription" when several customers share an address. */
const ACTIVE = ['active', 'trialing'];

/**
 * The customer an address signs in (Stripe's rule): the most recently created one with that
 * email and an active subscription, else (Portico rule) the most recently created with that email.
 * Addresses match whatever their case.
 */
export async function loginCustomer(ctx: Ctx, email: string): Promise<Stripe.Customer | undefined> {
  const rows = await ctx.db
    .selectFrom('customers')
    .select(['id', 'data'])
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('deleted', '=', 0)
    .where(sql<string>`lower(email)`, '=', email)
    .orderBy('created', 'desc')
    .orderBy('seq', 'desc')
    .limit(100)
    .execute();
  if (rows.length === 0) return undefined;
  const active = await ctx.db
    .selectFrom('subscriptions')
    .select('customer')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where(
      'customer',
      'in',
      rows.map((r) => r.id),
    )
    .where('status', 'in', ACTIVE)
    .execute();
  const withActive = new Set(active.map((a) => a.customer));
  const chosen = rows.find((r) => withActive.has(r.id)) ?? rows[0]!;
  return JSON.parse(chosen.data) as Stripe.Customer;
}

/**
 * The login page's form: issues a code for the address and mails it when the address is a
 * customer's. Known and unknown addresses do the same work (a code row, counted against the same
 * limits) and answer the same, so the page reveals nothing; only the mail differs, and it is sent
 * later by the mail worker. A malformed address is refused on `email`.
 */
export async function requestLoginCode(
  ctx: Ctx,
  configuration: Configuration,
  typed: string,
  browser: Browser,
): Promise<void> {
  const email = normalizeEmail(typed);
  if (!EMAIL.test(email) || email.length > 512) throw fail('email_invalid', { email: typed }, 'email');
  const customer = await loginCustomer(ctx, email);
  const now = customer ? await customerNow(ctx, customer) : ctx.clock.now();
  const code = await issueCode(ctx, {
    purpose: 'login',
    configuration: configuration.id,
    session: null,
    email,
    customer: customer?.id ?? null,
    browser: browser.hash,
    client: browser.client,
    now,
  });
  const branding = await mailBranding(ctx);
  if (!customer?.email) return;
  await enqueueMail(ctx, {
    to: customer.email,
    template: 'login_code',
    args: { code, ...branding, minutes: CODE_SECONDS / 60 },
    locale: { preferredLocales: customer.preferred_locales, acceptLanguage: browser.acceptLanguage },
  });
}

/** A customer by id in the context's scope, unless it was deleted since. */
export async function liveCustomer(ctx: Ctx, id: string | null): Promise<Stripe.Customer | undefined> {
  if (!id) return undefined;
  const found = await findObject<Stripe.Customer | Stripe.DeletedCustomer>(
    ctx.db,
    'customers',
    ctx.scope,
    id,
  );
  return found && !('deleted' in found && found.deleted) ? (found as Stripe.Customer) : undefined;
}

/** Marks a session as opened with an emailed code: such sessions cannot change the email. */
export async function markSessionOrigin(ctx: Ctx, sessionId: string, origin: SessionOrigin): Promise<void> {
  await ctx.db.updateTable('billing_portal_sessions').set({ origin }).where('id', '=', sessionId).execute();
}

/** Whether a session came from the login page or a recovery, so its email is not editable. */
export async function signedInByEmail(db: Db, sessionId: string): Promise<boolean> {
  const row = await db
    .selectFrom('billing_portal_sessions')
    .select('origin')
    .where('id', '=', sessionId)
    .executeTakeFirst();
  return row !== undefined && row.origin !== 'api';
}

/** The address this browser's pending code was asked for, to remind the customer where to look. */
export async function pendingLoginEmail(
  ctx: Ctx,
  configuration: Configuration,
  browser: string,
): Promise<string | undefined> {
  return (await pendingCode(ctx, browser, { purpose: 'login', configuration: configuration.id }))?.email;
}

/**
 * The login page's code form: the right code opens a new session of the page's configuration
 * (with its `default_return_url`) for the customer the code was mailed to, emitting
 * `billing_portal.session.created` as the API would. Answers the session (its URL carries the
 * secret the browser exchanges for a cookie), or the refusal to show.
 */
export async function signInWithCode(
  ctx: Ctx,
  configuration: Configuration,
  browser: string,
  typed: string,
): Promise<{ session: Session } | { refusal: AppError }> {
  const row = await pendingCode(ctx, browser, { purpose: 'login', configuration: configuration.id });
  if (!row) return { refusal: fail('portal_login_code_expired', {}) };
  const known = await liveCustomer(ctx, row.customer);
  const now = known ? await customerNow(ctx, known) : ctx.clock.now();
  const refusal = await spendCode(ctx, row, typed, now);
  if (refusal) return { refusal };
  if (!known) return { refusal: fail('portal_login_code_expired', {}) };
  const session = await createSession(ctx, { customer: known.id, configuration: configuration.id });
  await markSessionOrigin(ctx, session.id, 'login_page');
  return { session };
}
