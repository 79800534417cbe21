import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import {
  assertAccessible,
  fullConfiguration,
  mainText,
  openPortal,
  type PortalFixture,
  portalFixture,
  screenshots,
  seedCustomer,
} from './support.ts';

describe('the hosted portal: languages and what a session can reach', () => {
  let f: PortalFixture;
  let a: Stripe.Customer;
  let b: Stripe.Customer;
  let bTaxId: Stripe.TaxId;

  before(async () => {
    f = await portalFixture();
    await fullConfiguration(f.stripe);
    ({ customer: a } = await seedCustomer(f.stripe));
    ({ customer: b } = await seedCustomer(f.stripe, { email: 'bob@example.com', name: 'Bob Other' }));
    bTaxId = await f.stripe.customers.createTaxId(b.id, { type: 'eu_vat', value: 'DE123456789' });
  });
  after(() => f.close());

  for (const [locale, expected] of [
    ['de', /Zahlungsmethoden|Zahlungsmethode/],
    ['ja', /お支払い方法|支払い方法/],
    ['fr-CA', /Moyens de paiement/],
  ] as const) {
    test(`a session in ${locale} speaks ${locale}, with money and dates in its formats`, async () => {
      const session = await f.stripe.billingPortal.sessions.create({ customer: a.id, locale });
      const { context, page } = await openPortal(f, session.url);
      assert.equal(await page.locator('html').getAttribute('lang'), locale);
      const text = await mainText(page);
      assert.match(text, expected);
      if (locale === 'de') assert.match(text, /15,00\s?\$/);
      if (locale === 'ja') assert.match(text, /\$15\.00/);
      await assertAccessible(page, `homepage in ${locale}`);
      await screenshots(page, `home-${locale}`);
      await context.close();
    });
  }

  test("auto: the customer's preferred locale, then the browser's", async () => {
    const session = await f.stripe.billingPortal.sessions.create({ customer: a.id, locale: 'auto' });
    const { context, page } = await openPortal(f, session.url, { locale: 'it-IT' });
    assert.equal(await page.locator('html').getAttribute('lang'), 'it');
    await context.close();
    await f.stripe.customers.update(b.id, { preferred_locales: ['sv-SE', 'en'] });
    const preferred = await f.stripe.billingPortal.sessions.create({ customer: b.id });
    const opened = await openPortal(f, preferred.url, { locale: 'it-IT' });
    assert.equal(await opened.page.locator('html').getAttribute('lang'), 'sv');
    await opened.context.close();
  });

  test("customer A's session never reads or changes customer B's objects", async () => {
    const session = await f.stripe.billingPortal.sessions.create({ customer: a.id });
    const { context, page } = await openPortal(f, session.url);
    const base = `${f.server.baseUrl}/p/${session.id}`;
    await page.goto(`${base}/billing`);
    const token = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    const removal = await page.request.post(`${base}/billing`, {
      form: { _csrf: token!, remove_tax_id: bTaxId.id },
      headers: { 'sec-fetch-site': 'same-origin' },
    });
    assert.equal(removal.status(), 404);
    assert.doesNotMatch(await removal.text(), /Bob|DE123456789/);
    assert.equal((await f.stripe.customers.listTaxIds(b.id)).data.length, 1, "B's tax ID is still there");
    // B's session id with A's cookie is not B's session.
    const bSession = await f.stripe.billingPortal.sessions.create({ customer: b.id });
    const crossed = await page.goto(`${f.server.baseUrl}/p/${bSession.id}/`);
    assert.equal(crossed?.status(), 404);
    assert.doesNotMatch(await page.content(), /Bob Other|bob@example/);
    await context.close();
  });
});
