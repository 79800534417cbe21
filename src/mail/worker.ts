import type { Logger } from 'pino';
import type { MailConfig } from '../config.ts';
import type { Store } from '../store/database.ts';
import { renderMail } from './templates.ts';
import type { MailTransport } from './transport.ts';

/** Mails sent at a time per process: SMTP servers throttle eager clients. */
const CONCURRENCY = 4;
/** A claim outlives one SMTP conversation with its timeouts; then another process may take it. */
const LEASE_MS = 90_000;

interface Claimed {
  id: string;
  recipient: string;
  template: string;
  locale: string;
  data: string;
  attempts: number;
}

/**
 * Delivers the outbox. Due rows are claimed with a lease, as webhook deliveries are (on
 * PostgreSQL with SKIP LOCKED, so processes sharing the database never take the same row); each
 * is rendered in its locale and sent, then marked sent, or given its next try after the delays of
 * PORTICO_MAIL_RETRIES, and `failed` after the last. A process that dies mid-send holds its claims
 * until the lease ends; the mail is then sent again, the one duplicate that avoids losing it.
 */
export class MailWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly transport: MailTransport,
    private readonly config: MailConfig,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.config.pollMs);
    this.timer.unref();
  }

  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
    this.transport.close();
  }

  /** Runs one round now (the tests call it rather than wait for the timer). */
  tick(): Promise<void> {
    if (!this.running && !this.stopped) {
      this.running = this.round()
        .catch((err) => this.log.error({ err }, 'mail delivery failed'))
        .finally(() => {
          this.running = undefined;
        });
    }
    return this.running ?? Promise.resolve();
  }

  /** Claims and sends until nothing is due; each mail is tried at most once a round. */
  private async round(): Promise<void> {
    const tried: string[] = [];
    for (;;) {
      const claimed = await this.claim(CONCURRENCY, tried);
      if (claimed.length === 0 || this.stopped) return;
      tried.push(...claimed.map((mail) => mail.id));
      await Promise.all(claimed.map((mail) => this.deliver(mail)));
    }
  }

  private claim(limit: number, tried: string[]): Promise<Claimed[]> {
    const now = Date.now();
    return this.store.write(async (tx) => {
      let due = tx
        .selectFrom('mail_outbox')
        .select('seq')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where('lease_until', '<', now)
        .$if(tried.length > 0, (q) => q.where('id', 'not in', tried))
        .orderBy('next_attempt_at')
        .limit(limit);
      if (this.store.dialect === 'postgres') due = due.forUpdate().skipLocked();
      return tx
        .updateTable('mail_outbox')
        .set({ lease_until: now + LEASE_MS })
        .where('seq', 'in', due)
        .returning(['id', 'recipient', 'template', 'locale', 'data', 'attempts'])
        .execute();
    });
  }

  private async deliver(mail: Claimed): Promise<void> {
    let error: string | null = null;
    try {
      const rendered = renderMail(mail.template, mail.locale, mail.data);
      await this.transport.send({ id: mail.id, to: mail.recipient, ...rendered });
    } catch (e) {
      error = e instanceof Error ? e.message : String(e);
    }
    const attempts = mail.attempts + 1;
    const now = Date.now();
    const retry = error !== null && attempts <= this.config.retries.length;
    // Once a mail has left (or will never leave) through SMTP, its arguments (a sign-in code among
    // them) are of no further use; the development outbox keeps them because its page shows them.
    const scrub = !retry && this.transport.kind === 'smtp';
    if (error !== null) {
      this.log.warn(
        { mail: mail.id, attempts, retry },
        `mail ${mail.id} to ${mail.recipient} not sent: ${error}`,
      );
    }
    await this.store.write((tx) =>
      tx
        .updateTable('mail_outbox')
        .set({
          status: error === null ? 'sent' : retry ? 'pending' : 'failed',
          attempts,
          lease_until: 0,
          last_error: error,
          sent_at: error === null ? now : null,
          next_attempt_at: retry ? now + this.config.retries[attempts - 1]! * 1000 : now,
          ...(scrub ? { data: '{}' } : {}),
        })
        .where('id', '=', mail.id)
        .execute(),
    );
  }
}
