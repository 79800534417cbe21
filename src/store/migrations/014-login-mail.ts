import { type DialectMigration, withSeq } from './shapes.ts';

/**
 * The mail outbox, sign-in codes, and where a portal session came from.
 *
 * `mail_outbox` holds each mail from the transaction of the change that caused it; the mail
 * worker claims due rows with a lease (as webhook deliveries are claimed) and renders and sends
 * them, retrying with backoff. `portal_login_codes` holds the one-time codes of the login page
 * and of session recovery: only a salted hash of each code, the browser that asked for it
 * (the hash of its login cookie) and the attempts made. `billing_portal_sessions.origin` says
 * whether a session came from the API, the login page or a recovery: the last two cannot change
 * the customer's email, which is what signed them in.
 */
export const loginMail: DialectMigration = (dialect) => ({
  async up(db) {
    await withSeq(db.schema.createTable('mail_outbox'), dialect)
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('created', 'bigint', (c) => c.notNull())
      .addColumn('recipient', 'text', (c) => c.notNull())
      .addColumn('template', 'text', (c) => c.notNull())
      .addColumn('locale', 'text', (c) => c.notNull())
      .addColumn('data', 'text', (c) => c.notNull())
      .addColumn('status', 'text', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
      .addColumn('lease_until', 'bigint', (c) => c.notNull().defaultTo(0))
      .addColumn('last_error', 'text')
      .addColumn('sent_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('mail_outbox_due')
      .on('mail_outbox')
      .columns(['status', 'next_attempt_at'])
      .execute();

    await withSeq(db.schema.createTable('portal_login_codes'), dialect)
      .addColumn('id', 'text', (c) => c.notNull().unique())
      .addColumn('account_id', 'text', (c) => c.notNull())
      .addColumn('livemode', 'integer', (c) => c.notNull())
      .addColumn('purpose', 'text', (c) => c.notNull())
      .addColumn('configuration', 'text', (c) => c.notNull())
      .addColumn('session', 'text')
      .addColumn('email', 'text', (c) => c.notNull())
      .addColumn('customer', 'text')
      .addColumn('browser_hash', 'text', (c) => c.notNull())
      .addColumn('client', 'text', (c) => c.notNull())
      .addColumn('code_hash', 'text', (c) => c.notNull())
      .addColumn('created', 'bigint', (c) => c.notNull())
      .addColumn('requested_at', 'bigint', (c) => c.notNull())
      .addColumn('expires_at', 'bigint', (c) => c.notNull())
      .addColumn('attempts', 'integer', (c) => c.notNull().defaultTo(0))
      .addColumn('used_at', 'bigint')
      .execute();
    await db.schema
      .createIndex('portal_login_codes_browser')
      .on('portal_login_codes')
      .column('browser_hash')
      .execute();
    await db.schema
      .createIndex('portal_login_codes_email')
      .on('portal_login_codes')
      .columns(['account_id', 'livemode', 'email', 'created'])
      .execute();
    await db.schema
      .createIndex('portal_login_codes_client')
      .on('portal_login_codes')
      .columns(['client', 'requested_at'])
      .execute();

    await db.schema
      .alterTable('billing_portal_sessions')
      .addColumn('origin', 'text', (c) => c.notNull().defaultTo('api'))
      .execute();
  },
});
