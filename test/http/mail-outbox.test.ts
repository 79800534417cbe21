import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { mailConfig } from '../../src/config.ts';
import { createMailTransport } from '../../src/mail/transport.ts';
import { MailWorker } from '../../src/mail/worker.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { startSmtp, type TestSmtp } from '../support/smtp.ts';

/** A form post of the login page, as a browser holding the login cookie sends it. */
async function requestCode(server: TestServer, loginPath: string, email: string): Promise<void> {
  const page = await fetch(`${server.baseUrl}${loginPath}`);
  const cookie = page.headers.get('set-cookie')!.split(';')[0]!;
  const csrf = (await page.text()).match(/name="_csrf" value="([^"]+)"/)![1]!;
  const sent = await fetch(`${server.baseUrl}${loginPath}`, {
    method: 'POST',
    redirect: 'manual',
    headers: {
      cookie,
      'content-type': 'application/x-www-form-urlencoded',
      'sec-fetch-site': 'same-origin',
      'accept-language': 'de-DE,de;q=0.9',
    },
    body: new URLSearchParams({ _csrf: csrf, email }).toString(),
  });
  assert.equal(sent.status, 303, 'the code page follows');
}

async function loginPath(stripe: Stripe): Promise<string> {
  const config = await stripe.billingPortal.configurations.create({
    features: { invoice_history: { enabled: true } },
    login_page: { enabled: true },
  });
  return new URL(config.login_page.url!).pathname;
}

describe('the mail outbox', () => {
  describe('with SMTP', () => {
    let server: TestServer;
    let smtp: TestSmtp;
    before(async () => {
      smtp = await startSmtp();
      // A long poll: the test runs the worker itself, one round at a time.
      server = await startServer({
        config: { mail: { ...mailConfig({}), smtpUrl: smtp.url, retries: [0, 3600], pollMs: 3_600_000 } },
      });
    });
    after(async () => {
      await server.close();
      await smtp.close();
    });

    const row = (recipient: string) =>
      server.app.store.read
        .selectFrom('mail_outbox')
        .select(['status', 'attempts', 'last_error', 'next_attempt_at', 'locale', 'data'])
        .where('recipient', '=', recipient)
        .executeTakeFirstOrThrow();

    test('a refused mail waits for its retry, is sent then, and a mail never blocks its request', async () => {
      const stripe = server.stripe();
      await stripe.customers.create({ email: 'max@example.com', preferred_locales: ['de'] });
      const path = await loginPath(stripe);
      smtp.refusing = true;
      await requestCode(server, path, 'max@example.com');
      assert.equal(
        (await row('max@example.com')).status,
        'pending',
        'queued with the request, not sent in it',
      );
      await server.app.mail.tick();
      const failed = await row('max@example.com');
      assert.equal(failed.status, 'pending');
      assert.equal(failed.attempts, 1);
      assert.match(failed.last_error!, /451/);
      smtp.refusing = false;
      await server.app.mail.tick();
      const mail = await smtp.next('max@example.com');
      const sent = await row('max@example.com');
      assert.equal(sent.status, 'sent');
      assert.equal(sent.attempts, 2);
      assert.equal(sent.locale, 'de', "the customer's preferred locale");
      const code = /\b(\d{6})\b/.exec(mail.text)![1]!;
      assert.ok(!sent.data.includes(code), 'the sent code is not kept in the outbox');
      assert.match(mail.subject, /^Ihr Anmeldecode für /);
      assert.match(mail.text, /Er gilt einmalig für 10 Minuten\./);
      assert.match(mail.html, /<html lang="de">/);
      // Sent once: another round finds nothing to do.
      await server.app.mail.tick();
      assert.equal(smtp.mails.filter((m) => m.to.includes('max@example.com')).length, 1);
    });

    test('two workers on one database send each mail once', async () => {
      const stripe = server.stripe();
      const path = await loginPath(stripe);
      const addresses = Array.from({ length: 8 }, (_, i) => `pair${i}@example.com`);
      for (const email of addresses) {
        await stripe.customers.create({ email });
        await requestCode(server, path, email);
      }
      const transport = createMailTransport({ ...mailConfig({}), smtpUrl: smtp.url }, '', server.app.logger);
      const second = new MailWorker(server.app.store, transport, mailConfig({}), server.app.logger);
      await Promise.all([server.app.mail.tick(), second.tick()]);
      await second.stop();
      for (const email of addresses) {
        assert.equal(smtp.mails.filter((m) => m.to.includes(email)).length, 1, email);
        assert.equal((await row(email)).status, 'sent');
      }
    });

    test('after the last retry a mail is failed and left alone', async () => {
      const stripe = server.stripe();
      await stripe.customers.create({ email: 'gone@example.com' });
      const path = await loginPath(stripe);
      smtp.refusing = true;
      await requestCode(server, path, 'gone@example.com');
      await server.app.mail.tick(); // first attempt; the retry after 0 s
      await server.app.mail.tick(); // second attempt; the next retry is an hour away
      const waiting = await row('gone@example.com');
      assert.equal(waiting.status, 'pending');
      assert.equal(waiting.attempts, 2);
      assert.ok(waiting.next_attempt_at > Date.now() + 3_000_000, 'the second retry waits its hour');
      await server.app.store.write((tx) =>
        tx
          .updateTable('mail_outbox')
          .set({ next_attempt_at: 0 })
          .where('recipient', '=', 'gone@example.com')
          .execute(),
      );
      await server.app.mail.tick();
      const failed = await row('gone@example.com');
      assert.equal(failed.status, 'failed');
      assert.equal(failed.attempts, 3);
      smtp.refusing = false;
    });
  });

  describe('without SMTP: the development outbox', () => {
    let server: TestServer;
    const lines: string[] = [];
    before(async () => {
      server = await startServer({
        config: { mail: { ...mailConfig({}), pollMs: 3_600_000 } },
        log: (line) => lines.push(line),
      });
    });
    after(() => server.close());

    test('each mail is logged in one line and readable on the test-mode outbox page', async () => {
      const stripe = server.stripe();
      await stripe.customers.create({ email: 'dev@example.com' });
      const path = await loginPath(stripe);
      await requestCode(server, path, 'dev@example.com');
      await server.app.mail.tick();
      // Live mode never shows there; nor does any page with SMTP configured (the other server).
      const list = await fetch(`${server.baseUrl}/p/outbox`);
      assert.equal(list.status, 200);
      const html = await list.text();
      assert.match(html, /dev@example\.com/);
      const id = html.match(/href="\/p\/outbox\/(mail_[A-Za-z0-9]+)"/)![1]!;
      const one = await (await fetch(`${server.baseUrl}/p/outbox/${id}`)).text();
      assert.match(one, /Ihr Anmeldecode|Your sign-in code/);
      assert.match(one, /\b\d{6}\b/, 'the code is readable');
      const part = await fetch(`${server.baseUrl}/p/outbox/${id}/html`);
      assert.match(part.headers.get('content-security-policy')!, /sandbox/);
      const logged = lines
        .map((l) => JSON.parse(l) as { msg: string })
        .filter((l) => l.msg.includes('dev@example.com'));
      assert.equal(logged.length, 1, 'one line per mail');
      assert.match(
        logged[0]!.msg,
        new RegExp(`^mail to dev@example\\.com: ".+" http://localhost:4242/p/outbox/${id}$`),
      );
    });
  });
});
