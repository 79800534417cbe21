import type { Ctx } from '../core/context.ts';
import { newId } from '../core/ids.ts';
import { type LocaleInputs, resolveLocale } from '../portal/ui/i18n/locale.ts';
import type { Db } from '../store/database.ts';

/** The mails Portico sends, each with the arguments its template needs. */
export interface MailArgs {
  login_code: MailBusiness & {
    code: string;
    /** How long the code works. */
    minutes: number;
  };
  /** An invoice sent for payment: its number, amount due (minor units) and links. */
  invoice: MailBusiness & {
    number: string;
    amount: number;
    currency: string;
    /** Unix seconds; null when the invoice has none. */
    dueDate: number | null;
    hostedUrl: string;
    pdfUrl: string;
  };
  /** The receipt of a payment that paid an invoice. */
  receipt: MailBusiness & {
    number: string;
    receiptNumber: string;
    amount: number;
    currency: string;
    paidAt: number;
    /** The card's last four digits; null when the payment was not by card. */
    last4: string | null;
    hostedUrl: string;
  };
  /** An automatic payment that failed, with the stable link to update the payment method. */
  payment_failed: MailBusiness & {
    number: string;
    amount: number;
    currency: string;
    last4: string | null;
    link: string;
    /** Until when the link works (Unix seconds, on the customer's clock). */
    linkExpiresAt: number;
  };
  /** A trial that ends in 7 days, with a stable link to the portal. */
  trial_ending: MailBusiness & {
    trialEnd: number;
    link: string;
    linkExpiresAt: number;
  };
}

/** Whose mail it is: the business's name and brand colour head every mail. */
export interface MailBusiness {
  business: string;
  primaryColor: string | null;
}

export type MailTemplate = keyof MailArgs;

export const MAIL_PREFIX = 'mail';

/** A mail to queue: its recipient, template and arguments, and what decides its language. */
export interface MailRequest<T extends MailTemplate> {
  to: string;
  template: T;
  args: MailArgs[T];
  locale: LocaleInputs;
}

/**
 * Queues a mail in the caller's transaction: it is sent only if the change that caused it
 * commits, and sending never holds up the request (the mail worker delivers it). Returns its id.
 */
export async function enqueueMail<T extends MailTemplate>(ctx: Ctx, mail: MailRequest<T>): Promise<string> {
  const id = newId(MAIL_PREFIX);
  await ctx.db
    .insertInto('mail_outbox')
    .values({
      id,
      account_id: ctx.scope.accountId,
      livemode: ctx.scope.livemode ? 1 : 0,
      // Delivery runs on real time, whatever clock the change ran on.
      created: Math.floor(Date.now() / 1000),
      recipient: mail.to,
      template: mail.template,
      locale: resolveLocale(mail.locale),
      data: JSON.stringify(mail.args),
      status: 'pending',
      attempts: 0,
      next_attempt_at: Date.now(),
      lease_until: 0,
      last_error: null,
      sent_at: null,
    })
    .execute();
  return id;
}

/** A test-mode mail as the development outbox page lists it. */
export interface OutboxEntry {
  id: string;
  recipient: string;
  template: string;
  locale: string;
  data: string;
  status: string;
  created: number;
}

/**
 * The newest test-mode mails, for the development outbox page. Live-mode mails never appear there,
 * whatever the server's mailer.
 */
export function testModeMails(db: Db, limit = 50): Promise<OutboxEntry[]> {
  return db
    .selectFrom('mail_outbox')
    .select(['id', 'recipient', 'template', 'locale', 'data', 'status', 'created'])
    .where('livemode', '=', 0)
    .orderBy('seq', 'desc')
    .limit(limit)
    .execute();
}

export function testModeMail(db: Db, id: string): Promise<OutboxEntry | undefined> {
  return db
    .selectFrom('mail_outbox')
    .select(['id', 'recipient', 'template', 'locale', 'data', 'status', 'created'])
    .where('livemode', '=', 0)
    .where('id', '=', id)
    .executeTakeFirst();
}
