import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type Stripe from 'stripe';
import { fixedClock } from '../../src/core/clock.ts';
import {
  assertAccessible,
  fullConfiguration,
  onServer,
  openPortal,
  type PortalFixture,
  portalFixture,
  seedCustomer,
} from './support.ts';

/**
 * axe on every page of the portal, with JavaScript on, in English and in languages whose words
 * run longer (German), use another script (Japanese) or a regional catalogue (Canadian French;
 * Portico has no right-to-left locale). No serious or critical violation anywhere.
 */
const LOCALES = [
  { locale: 'en', browser: 'en-US' },
  { locale: 'de', browser: 'de-DE' },
  { locale: 'ja', browser: 'ja-JP' },
  { locale: 'fr-CA', browser: 'fr-CA' },
] as const;

/** Types a test card into the form on the page (the add-card page, or the hosted invoice's "new card"). */
async function typeCard(page: Page, number: string, prefix = '') {
  const field = (name: string) => page.locator(`input[name="${prefix ? `${prefix}[${name}]` : name}"]`);
  await field('number').fill(number);
  await field('exp').fill('12 / 34');
  await field('cvc').fill('123');
  await page.locator('main form button').last().click();
}

describe('the portal’s pages pass axe in several languages', () => {
  let f: PortalFixture;
  const clock = fixedClock(1_800_000_000);

  before(async () => {
    f = await portalFixture({ clock });
    await fullConfiguration(f.stripe);
  });
  after(() => f.close());

  for (const { locale, browser } of LOCALES) {
    test(`every page in ${locale}`, async () => {
      const { customer, card } = await seedCustomer(f.stripe, { preferred_locales: [locale] });
      await f.stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
      await f.stripe.invoiceItems.create({
        customer: customer.id,
        amount: 4200,
        currency: 'usd',
        description: 'Setup',
      });
      const draft = await f.stripe.invoices.create({
        customer: customer.id,
        collection_method: 'send_invoice',
        days_until_due: 30,
        pending_invoice_items_behavior: 'include',
      });
      const invoice = await f.stripe.invoices.finalizeInvoice(draft.id!);
      const session = await f.stripe.billingPortal.sessions.create({
        customer: customer.id,
        locale: locale as Stripe.BillingPortal.SessionCreateParams.Locale,
        return_url: 'https://example.com/account',
      });
      const { context, page } = await openPortal(f, session.url, { locale: browser });
      const base = `${f.server.baseUrl}/p/${session.id}`;
      const visit = async (url: string, what: string, status = 200) => {
        const response = await page.goto(url);
        assert.equal(response?.status(), status, `${what} (${locale})`);
        await assertAccessible(page, `${what} (${locale})`);
      };
      assert.equal(await page.locator('html').getAttribute('lang'), locale);
      await assertAccessible(page, `homepage (${locale})`);
      await visit(`${base}/billing`, 'billing information');
      await visit(`${base}/invoices`, 'invoice history');
      await visit(`${base}/payment-methods/${card.id}/remove`, 'remove a card');
      await visit(`${base}/payment-methods/new`, 'add a card');
      await typeCard(page, '4000002760003184');
      assert.match(page.url(), /\/payment-methods\/authenticate\/seti_/);
      await assertAccessible(page, `3D Secure challenge of a card (${locale})`);
      await page.locator('button[name="outcome"][value="fail"]').click();
      await assertAccessible(page, `add a card after a failed challenge (${locale})`);

      const hosted = onServer(f.server, invoice.hosted_invoice_url!);
      await visit(hosted, 'hosted invoice page');
      await page.locator('input[name="payment_method"][value="new"]').check();
      await typeCard(page, '4000002760003184', 'card');
      assert.match(page.url(), /\/authenticate$/);
      await assertAccessible(page, `3D Secure challenge of an invoice payment (${locale})`);
      await page.locator('button[name="outcome"][value="fail"]').click();
      await assertAccessible(page, `hosted invoice page after a failed challenge (${locale})`);
      await page.locator('input[name="payment_method"][value="new"]').check();
      await typeCard(page, '4000000000000002', 'card');
      await assertAccessible(page, `hosted invoice page with a decline (${locale})`);

      await visit(`${f.server.baseUrl}/p/nothing-here`, 'page not found', 404);
      await context.close();

      // The confirmation page of a flow.
      const flow = await f.stripe.billingPortal.sessions.create({
        customer: customer.id,
        locale: locale as Stripe.BillingPortal.SessionCreateParams.Locale,
        flow_data: {
          type: 'payment_method_update',
          after_completion: { type: 'hosted_confirmation' },
        },
      });
      const inFlow = await openPortal(f, flow.url, { locale: browser });
      await assertAccessible(inFlow.page, `add a card in a flow (${locale})`);
      await typeCard(inFlow.page, '4242424242424242');
      assert.match(inFlow.page.url(), /\/flow\/complete$/);
      await assertAccessible(inFlow.page, `flow confirmation (${locale})`);
      await inFlow.context.close();

      // A session link opened after it has expired (unvisited for more than five minutes).
      const late = await f.stripe.billingPortal.sessions.create({
        customer: customer.id,
        locale: locale as Stripe.BillingPortal.SessionCreateParams.Locale,
        return_url: 'https://example.com/account',
      });
      clock.advance(6 * 60);
      const expiredContext = await f.browser.newContext({ locale: browser });
      const expiredPage = await expiredContext.newPage();
      const response = await expiredPage.goto(onServer(f.server, late.url));
      assert.equal(response?.status(), 410);
      assert.equal(await expiredPage.locator('html').getAttribute('lang'), locale);
      await assertAccessible(expiredPage, `expired session (${locale})`);
      await expiredContext.close();
    });
  }
});
