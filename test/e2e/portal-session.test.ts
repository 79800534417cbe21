import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import {
  assertAccessible,
  fullConfiguration,
  mainText,
  onServer,
  openPortal,
  type PortalFixture,
  portalFixture,
  screenshots,
  seedCustomer,
} from './support.ts';

describe('the hosted portal: session entry, homepage and billing information', () => {
  let f: PortalFixture;
  let customer: Stripe.Customer;

  before(async () => {
    f = await portalFixture();
    await fullConfiguration(f.stripe);
    ({ customer } = await seedCustomer(f.stripe));
  });
  after(() => f.close());

  const newSession = (params: Partial<Stripe.BillingPortal.SessionCreateParams> = {}) =>
    f.stripe.billingPortal.sessions.create({
      customer: customer.id,
      return_url: 'https://example.com/account',
      ...params,
    });

  test('the session URL becomes a cookie and a clean URL; the homepage shows the customer', async () => {
    const session = await newSession();
    const { context, page } = await openPortal(f, session.url);
    assert.match(page.url(), new RegExp(`/p/${session.id}/$`), 'redirected to a URL without the secret');
    const cookies = await context.cookies();
    const cookie = cookies.find((c) => c.name === `portico_${session.id}`);
    assert.ok(cookie?.httpOnly, 'an HttpOnly cookie');
    assert.equal(cookie?.sameSite, 'Lax');
    const text = await mainText(page);
    assert.match(text, /Pro plan/);
    assert.match(text, /\$15\.00 per month/);
    assert.match(text, /Visa ending in 4242/);
    assert.match(text, /Jenny Rosen/);
    assert.match(text, /jenny@example\.com/);
    assert.match(text, /\$15\.00/);
    assert.match(await page.locator('body').innerText(), /Test mode/);
    assert.match(await page.locator('body').innerText(), /Manage your Acme plan/);
    const back = page.getByRole('link', { name: /Return to/ }).first();
    assert.equal(await back.getAttribute('href'), 'https://example.com/account');
    await assertAccessible(page, 'homepage');
    await screenshots(page, 'home');
    await context.close();
  });

  test('headers: strict CSP with a nonce, no referrer, no framing, no caching', async () => {
    const session = await newSession();
    const { context, page } = await openPortal(f, session.url);
    const response = await page.reload();
    const headers = response!.headers();
    assert.match(headers['content-security-policy']!, /default-src 'none'; script-src 'nonce-[^']+'/);
    assert.match(headers['content-security-policy']!, /frame-ancestors 'none'/);
    assert.equal(headers['referrer-policy'], 'no-referrer');
    assert.equal(headers['x-frame-options'], 'DENY');
    assert.equal(headers['cache-control'], 'no-store');
    await context.close();
  });

  test('a used session URL opened in another browser is expired; an unknown one is not found', async () => {
    const session = await newSession();
    const first = await openPortal(f, session.url);
    const other = await f.browser.newContext();
    const page = await other.newPage();
    const response = await page.goto(onServer(f.server, session.url));
    assert.equal(response?.status(), 410);
    const body = await page.locator('body').innerText();
    assert.match(body, /expired/i);
    assert.doesNotMatch(body, /Jenny|4242|jenny@example/, 'no customer data');
    assert.equal(
      await page
        .getByRole('link', { name: /Return to/ })
        .first()
        .getAttribute('href'),
      'https://example.com/account',
    );
    // The browser that opened it is simply let in again.
    const again = await first.page.goto(onServer(f.server, session.url));
    assert.equal(again?.status(), 200);
    const unknown = await page.goto(`${f.server.baseUrl}/p/session/test_${'x'.repeat(32)}`);
    assert.equal(unknown?.status(), 404);
    const guessed = await page.goto(`${f.server.baseUrl}/p/${session.id}/`);
    assert.equal(guessed?.status(), 404, 'the clean URL without the cookie reveals nothing');
    await first.context.close();
    await other.close();
  });

  test('billing information: errors shown with a summary and nothing written; a valid form saves', async () => {
    const session = await newSession();
    const { context, page } = await openPortal(f, session.url);
    await page.getByRole('link', { name: 'Update information' }).click();
    await page.getByLabel('Email').fill('not-an-email');
    await page.getByRole('button', { name: 'Save' }).click();
    const summary = page.locator('.error-summary');
    assert.match(await summary.innerText(), /email address in the correct format/);
    assert.equal(
      ((await f.stripe.customers.retrieve(customer.id)) as Stripe.Customer).email,
      'jenny@example.com',
    );
    await assertAccessible(page, 'billing form with errors');
    await page.getByLabel('Email').fill('jenny.rosen@example.com');
    await page.getByLabel('Name', { exact: true }).fill('Jenny R. Rosen');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(page.url(), /\/\?notice=billing_info_saved$/);
    assert.match(await mainText(page), /Your billing information has been saved/);
    const updated = (await f.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    assert.equal(updated.email, 'jenny.rosen@example.com');
    assert.equal(updated.name, 'Jenny R. Rosen');
    const events = await f.stripe.events.list({ type: 'customer.updated', limit: 1 });
    assert.equal((events.data[0]!.data.object as Stripe.Customer).email, 'jenny.rosen@example.com');
    assert.match(String(events.data[0]!.request?.id), /^req_/, 'the event names the portal request');
    await context.close();
  });

  test('tax IDs, with JavaScript off: a bad value is refused with the format error; a good one is added and can be removed', async () => {
    const session = await newSession();
    const { context, page } = await openPortal(f, session.url, { javaScript: false });
    await page.goto(`${f.server.baseUrl}/p/${session.id}/billing`);
    await page.locator('select[name="tax_id[type]"]').selectOption('eu_vat');
    await page.locator('input[name="tax_id[value]"]').fill('DE12');
    await page.getByRole('button', { name: 'Save' }).click();
    assert.match(await page.locator('.error-summary').innerText(), /valid tax ID/);
    assert.equal((await f.stripe.customers.listTaxIds(customer.id)).data.length, 0);
    await page.locator('select[name="tax_id[type]"]').selectOption('eu_vat');
    await page.locator('input[name="tax_id[value]"]').fill('DE123456789');
    await page.getByRole('button', { name: 'Save' }).click();
    const ids = await f.stripe.customers.listTaxIds(customer.id);
    assert.deepEqual(
      ids.data.map((t) => [t.type, t.value]),
      [['eu_vat', 'DE123456789']],
    );
    await page.goto(`${f.server.baseUrl}/p/${session.id}/billing`);
    await page.getByRole('button', { name: /Remove/ }).click();
    assert.equal((await f.stripe.customers.listTaxIds(customer.id)).data.length, 0);
    await context.close();
  });

  test('a form without the CSRF token, or from another origin, is refused and changes nothing', async () => {
    const session = await newSession();
    const { context, page } = await openPortal(f, session.url);
    const before = (await f.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    const noToken = await page.request.post(`${f.server.baseUrl}/p/${session.id}/billing`, {
      form: { name: 'Mallory' },
    });
    assert.equal(noToken.status(), 403);
    await page.goto(`${f.server.baseUrl}/p/${session.id}/billing`);
    const token = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    assert.ok(token, 'the page carries a token');
    const crossSite = await page.request.post(`${f.server.baseUrl}/p/${session.id}/billing`, {
      form: { _csrf: token!, name: 'Mallory' },
      headers: { origin: 'https://evil.example', 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(crossSite.status(), 403);
    const after = (await f.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    assert.equal(after.name, before.name);
    await context.close();
  });
});
