import nodemailer from 'nodemailer';
import type { Logger } from 'pino';
import type { MailConfig } from '../config.ts';
import type { RenderedMail } from './templates.ts';

/** One mail on its way out. */
export interface OutgoingMail extends RenderedMail {
  id: string;
  to: string;
}

/** Where mails go: an SMTP server, or (without one) the development outbox. */
export interface MailTransport {
  /** `smtp` or `outbox`: the outbox page is served only in the second case. */
  readonly kind: 'smtp' | 'outbox';
  /** Resolves once the mail is accepted; rejects with the reason otherwise. */
  send(mail: OutgoingMail): Promise<void>;
  close(): void;
}

/** Real SMTP through nodemailer (`smtp://` plain or STARTTLS, `smtps://` TLS from the start). */
function smtpTransport(config: MailConfig, url: string): MailTransport {
  const transporter = nodemailer.createTransport(url, { from: config.from });
  // A server that stops answering must not hold a worker slot for long; the mail is retried.
  Object.assign(transporter.options, {
    connectionTimeout: 15_000,
    greetingTimeout: 15_000,
    socketTimeout: 30_000,
  });
  return {
    kind: 'smtp',
    async send(mail) {
      await transporter.sendMail({
        to: mail.to,
        subject: mail.subject,
        text: mail.text,
        html: mail.html,
        headers: { 'X-Portico-Mail': mail.id },
      });
    },
    close: () => transporter.close(),
  };
}

/**
 * Without SMTP: each mail is "sent" by a log line pointing at the test-mode outbox page, so the
 * login works out of the box on a development machine.
 */
function outboxTransport(publicUrl: string, log: Logger): MailTransport {
  return {
    kind: 'outbox',
    async send(mail) {
      log.info(
        { mail: mail.id, to: mail.to },
        `mail to ${mail.to}: "${mail.subject}" ${publicUrl}/p/outbox/${mail.id}`,
      );
    },
    close: () => undefined,
  };
}

export function createMailTransport(config: MailConfig, publicUrl: string, log: Logger): MailTransport {
  return config.smtpUrl ? smtpTransport(config, config.smtpUrl) : outboxTransport(publicUrl, log);
}
