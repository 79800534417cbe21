import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type Stripe from 'stripe';
import { mailConfig } from '../../src/config.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { type ReceivedMail, startSmtp, type TestSmtp } from '../support/smtp.ts';
import {
  assertAccessible,
  fullConfiguration,
  mainText,
  onServer,
  type PortalFixture,
  portalFixture,
  screenshots,
  seedCustomer,
} from './support.ts';

const codeOf = (mail: ReceivedMail) => mail.text.match(/\b(\d{6})\b/)?.[1] ?? '';

describe('the login page and session recovery, by emailed code', () => {
  let f: PortalFixture;
  let smtp: TestSmtp;
  const clock = fixedClock(Math.floor(Date.now() / 1000));
  let config: Stripe.BillingPortal.Configuration;
  let jenny: Stripe.Customer;

  before(async () => {
    smtp = await startSmtp();
    f = await portalFixture({
      clock,
      config: {
        mail: {
          ...mailConfig({ PORTICO_EMAIL_FROM: 'Acme Billing <billing@acme.test>' }),
          smtpUrl: smtp.url,
          pollMs: 20,
        },
      },
    });
    await f.stripe.accounts
      .update(f.server.app.boot.accountId, {
        business_profile: { name: 'Acme' },
      } as Stripe.AccountUpdateParams)
      .catch(() => undefined);
    config = await fullConfiguration(f.stripe, {
      login_page: { enabled: true },
      default_return_url: 'https://example.com/account',
    });
    // An older customer with the same address and no subscription, then the one with a plan.
    await f.stripe.customers.create({ email: 'jenny@example.com', name: 'Old Jenny' });
    ({ customer: jenny } = await seedCustomer(f.stripe));
    await f.stripe.customers.create({ email: 'Jenny@Example.com', name: 'Newest Jenny, no plan' });
  });
  after(async () => {
    await f.close();
    await smtp.close();
  });

  const loginUrl = () => onServer(f.server, config.login_page.url!);

  async function requestCode(page: Page, email: string) {
    await page.getByLabel('Email address').fill(email);
    await page.getByRole('button', { name: 'Email me a code' }).click();
  }

  async function enterCode(page: Page, code: string) {
    await page.getByLabel('Sign-in code').fill(code);
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  test('a known address gets a code by mail; the code opens a session for the right customer', async () => {
    const context = await f.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    const response = await page.goto(
      `${loginUrl()}?prefilled_email=${encodeURIComponent('jenny@example.com')}`,
    );
    assert.equal(response?.status(), 200);
    assert.equal(await page.getByLabel('Email address').inputValue(), 'jenny@example.com');
    await assertAccessible(page, 'login page');
    await screenshots(page, 'login');
    await page.getByRole('button', { name: 'Email me a code' }).click();
    assert.match(page.url(), /\/code$/);
    assert.match(
      await mainText(page),
      /If jenny@example\.com belongs to a customer of .*, a 6-digit code is on its way/,
    );
    await assertAccessible(page, 'code page');
    await screenshots(page, 'login-code');

    const mail = await smtp.next('jenny@example.com');
    assert.equal(mail.from, 'billing@acme.test');
    assert.match(mail.subject, /^Your sign-in code for /);
    const code = codeOf(mail);
    assert.match(code, /^\d{6}$/);
    assert.match(mail.text, /It works once, for 10 minutes\./);
    assert.ok(mail.html.includes(`>${code}</p>`), 'the HTML part shows the code');
    assert.match(mail.html, /<html lang="en">/);

    await enterCode(page, code);
    assert.match(page.url(), /\/p\/bps_[A-Za-z0-9]+\/$/, 'the homepage of a new session');
    const text = await mainText(page);
    assert.match(text, /Jenny Rosen/, 'the newest customer with an active subscription');
    assert.match(text, /Pro plan/);
    const sessions = await f.stripe.events.list({ type: 'billing_portal.session.created', limit: 1 });
    const opened = sessions.data[0]!.data.object as Stripe.BillingPortal.Session;
    assert.equal(opened.customer, jenny.id);
    assert.equal(opened.configuration, config.id);
    assert.equal(opened.return_url, 'https://example.com/account');

    // A session opened with an emailed code cannot change the email, not even by a crafted post.
    await page.getByRole('link', { name: 'Update information' }).click();
    assert.equal(await page.getByLabel('Email').count(), 0, 'no email field');
    await page.getByLabel('Name', { exact: true }).fill('Jenny Rosen');
    await page.evaluate(() => {
      const form = document.querySelector('form.form') as HTMLFormElement;
      const input = document.createElement('input');
      input.type = 'hidden';
      input.name = 'email';
      input.value = 'attacker@example.com';
      form.append(input);
    });
    await page.getByRole('button', { name: 'Save' }).click();
    assert.equal(
      ((await f.stripe.customers.retrieve(jenny.id)) as Stripe.Customer).email,
      'jenny@example.com',
    );

    // The code worked once.
    await page.goto(`${loginUrl()}/code`);
    await enterCode(page, code);
    assert.match(await mainText(page), /This code has expired or was already used/);
    await context.close();
  });

  test('known and unknown addresses get the same page; only the known one gets mail', async () => {
    const seen: string[] = [];
    for (const email of ['jenny@example.com', 'nobody@example.com']) {
      const context = await f.browser.newContext({ javaScriptEnabled: false });
      const page = await context.newPage();
      await page.goto(loginUrl());
      await requestCode(page, email);
      assert.match(page.url(), /\/code$/);
      seen.push((await mainText(page)).replace(email, '<email>'));
      await context.close();
    }
    assert.equal(seen[0], seen[1], 'the code page says the same whatever the address');
    await smtp.next('jenny@example.com');
    await f.server.app.mail.tick();
    const queued = await f.server.app.store.read
      .selectFrom('mail_outbox')
      .select('recipient')
      .where('recipient', '=', 'nobody@example.com')
      .execute();
    assert.deepEqual(queued, [], 'no mail for an address that matches nobody');
    assert.equal(smtp.mails.filter((m) => m.to.includes('nobody@example.com')).length, 0);
  });

  test('five wrong codes lock the code; the right one is then refused too', async () => {
    const context = await f.browser.newContext();
    const page = await context.newPage();
    await page.goto(loginUrl());
    await requestCode(page, 'jenny@example.com');
    const code = codeOf(await smtp.next('jenny@example.com'));
    const wrong = code === '000000' ? '111111' : '000000';
    for (let left = 4; left >= 1; left--) {
      await enterCode(page, wrong);
      assert.match(await mainText(page), new RegExp(`You have ${left} more tr(y|ies)`));
    }
    await assertAccessible(page, 'code page with an error');
    await enterCode(page, wrong);
    assert.match(await mainText(page), /Too many wrong codes were entered/);
    assert.equal(await page.getByLabel('Sign-in code').count(), 0, 'no code field once locked');
    await page.goto(`${loginUrl()}/code`);
    assert.equal(await page.getByLabel('Sign-in code').count(), 1);
    await enterCode(page, code);
    assert.match(await mainText(page), /Too many wrong codes were entered/);
    assert.doesNotMatch(page.url(), /bps_/);
    await context.close();
  });

  test('a code is refused once its ten minutes have passed on the clock', async () => {
    const context = await f.browser.newContext();
    const page = await context.newPage();
    await page.goto(loginUrl());
    await requestCode(page, 'jenny@example.com');
    const code = codeOf(await smtp.next('jenny@example.com'));
    clock.advance(10 * 60);
    await enterCode(page, code);
    assert.match(await mainText(page), /This code has expired or was already used/);
    assert.doesNotMatch(page.url(), /bps_/);
    await context.close();
    clock.advance(60 * 60); // past the hourly send limits of the tests before
  });

  test('sends are limited per address, the same way for any address', async () => {
    const context = await f.browser.newContext();
    const page = await context.newPage();
    await page.goto(loginUrl());
    for (let i = 0; i < 5; i++) {
      await requestCode(page, 'someone@example.com');
      assert.match(page.url(), /\/code$/);
      await page.goto(loginUrl());
    }
    await requestCode(page, 'someone@example.com');
    assert.match(await mainText(page), /Too many codes have been requested/);
    await context.close();
    clock.advance(60 * 60);
  });

  test('a disabled login page is gone; enabling it again issues a new URL', async () => {
    const old = loginUrl();
    await f.stripe.billingPortal.configurations.update(config.id, { login_page: { enabled: false } });
    const context = await f.browser.newContext();
    const page = await context.newPage();
    assert.equal((await page.goto(old))?.status(), 404);
    config = await f.stripe.billingPortal.configurations.update(config.id, { login_page: { enabled: true } });
    assert.notEqual(loginUrl(), old);
    assert.equal((await page.goto(old))?.status(), 404);
    assert.equal((await page.goto(loginUrl()))?.status(), 200);
    await context.close();
  });

  test('an expired session with after_expiration recovers into a replacement session', async () => {
    const other = await f.stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
    });
    const session = await f.stripe.billingPortal.sessions.create({
      customer: jenny.id,
      configuration: other.id,
      locale: 'fr',
      return_url: 'https://example.com/back',
      after_expiration: { type: 'customer_login' },
    } as Stripe.BillingPortal.SessionCreateParams);
    const context = await f.browser.newContext();
    const page = await context.newPage();
    assert.equal((await page.goto(onServer(f.server, session.url)))?.status(), 200);
    clock.advance(61 * 60);
    const expired = await page.reload();
    assert.equal(expired?.status(), 410);
    assert.match(await mainText(page), /code/i);
    await assertAccessible(page, 'expired page with recovery');
    await screenshots(page, 'recovery-offer');
    await page.locator('main form button[type=submit]').click();
    assert.match(page.url(), new RegExp(`/p/recover/${session.id}$`));
    assert.match(await mainText(page), /j•+@example\.com/, 'the masked address the code went to');
    await screenshots(page, 'recovery-code');
    const mail = await smtp.next('jenny@example.com');
    assert.match(mail.subject, /code/i);
    assert.match(mail.html, /<html lang="fr">/, "in the session's language");
    await page.locator('input[name=code]').fill(codeOf(mail));
    await page.locator('main form.form button[type=submit]').click();
    assert.match(page.url(), /\/p\/bps_[A-Za-z0-9]+\/$/);
    const replacementId = page.url().match(/\/p\/(bps_[A-Za-z0-9]+)\//)![1];
    assert.notEqual(replacementId, session.id);
    const events = await f.stripe.events.list({ type: 'billing_portal.session.created', limit: 1 });
    const replacement = events.data[0]!.data.object as Stripe.BillingPortal.Session;
    assert.equal(replacement.id, replacementId);
    assert.equal(replacement.customer, jenny.id);
    assert.equal(replacement.configuration, other.id);
    assert.equal(replacement.locale, 'fr');
    assert.equal(replacement.return_url, 'https://example.com/back');
    assert.equal(replacement.flow, null);
    assert.equal(await page.locator('html').getAttribute('lang'), 'fr');
    await context.close();
  });

  test('a never-visited session URL past its five minutes offers recovery in a fresh browser', async () => {
    const session = await f.stripe.billingPortal.sessions.create({
      customer: jenny.id,
      after_expiration: { type: 'customer_login', customer_login: { expires_at: clock.now() + 3600 } },
    } as Stripe.BillingPortal.SessionCreateParams);
    clock.advance(6 * 60);
    const context = await f.browser.newContext();
    const page = await context.newPage();
    assert.equal((await page.goto(onServer(f.server, session.url)))?.status(), 410);
    await page.getByRole('button', { name: 'Email me a sign-in code' }).click();
    const mail = await smtp.next('jenny@example.com');
    await enterCode(page, codeOf(mail));
    assert.match(await mainText(page), /Jenny Rosen/);

    // Past the recovery deadline the expired page offers nothing more.
    const late = await f.stripe.billingPortal.sessions.create({
      customer: jenny.id,
      after_expiration: { type: 'customer_login', customer_login: { expires_at: clock.now() + 600 } },
    } as Stripe.BillingPortal.SessionCreateParams);
    clock.advance(11 * 60);
    assert.equal((await page.goto(onServer(f.server, late.url)))?.status(), 410);
    assert.equal(await page.getByRole('button', { name: 'Email me a sign-in code' }).count(), 0);
    await context.close();
  });
});
