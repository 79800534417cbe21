// What the portal's browser tests share: a server with a seeded customer, Chromium, and a way to
// open a session URL in a fresh browser context (one context = one browser with its own cookies).
import assert from 'node:assert/strict';
import { mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import type Stripe from 'stripe';
import { checkA11y, launchBrowser } from '../support/browser.ts';
import { type StartOptions, startServer, type TestServer } from '../support/server.ts';

export interface PortalFixture {
  server: TestServer;
  stripe: Stripe;
  browser: Browser;
  close(): Promise<void>;
}

export async function portalFixture(options: StartOptions = {}): Promise<PortalFixture> {
  const server = await startServer(options);
  const browser = await launchBrowser();
  return {
    server,
    stripe: server.stripe(),
    browser,
    async close() {
      await browser.close();
      await server.close();
    },
  };
}

/** A customer with a card, an address and a monthly subscription, as most tests start. */
export async function seedCustomer(
  stripe: Stripe,
  extra: Partial<Stripe.CustomerCreateParams> = {},
): Promise<{
  customer: Stripe.Customer;
  card: Stripe.PaymentMethod;
  subscription: Stripe.Subscription;
  price: Stripe.Price;
}> {
  const customer = await stripe.customers.create({
    email: 'jenny@example.com',
    name: 'Jenny Rosen',
    address: { line1: '1 Main St', city: 'Springfield', state: 'IL', postal_code: '62701', country: 'US' },
    ...extra,
  });
  const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
  const price = await stripe.prices.create({
    currency: 'usd',
    unit_amount: 1500,
    recurring: { interval: 'month' },
    product_data: { name: 'Pro plan' },
  });
  const subscription = await stripe.subscriptions.create({
    customer: customer.id,
    items: [{ price: price.id }],
  });
  return { customer, card, subscription, price };
}

/** A configuration with every part-1 feature on (the first one made becomes the default). */
export function fullConfiguration(
  stripe: Stripe,
  extra: Partial<Stripe.BillingPortal.ConfigurationCreateParams> = {},
) {
  return stripe.billingPortal.configurations.create({
    business_profile: {
      headline: 'Manage your Acme plan',
      privacy_policy_url: 'https://example.com/privacy',
      terms_of_service_url: 'https://example.com/terms',
    },
    features: {
      invoice_history: { enabled: true },
      payment_method_update: { enabled: true },
      customer_update: {
        enabled: true,
        allowed_updates: ['name', 'email', 'phone', 'address', 'shipping', 'tax_id'],
      },
    },
    ...extra,
  });
}

/** The session URL on this test server (the API hands out URLs on PORTICO_PUBLIC_URL). */
export const onServer = (server: TestServer, url: string) => `${server.baseUrl}${new URL(url).pathname}`;

export interface OpenedPortal {
  context: BrowserContext;
  page: Page;
}

/** Opens a session URL in a new browser context, as a customer following the link would. */
export async function openPortal(
  fixture: PortalFixture,
  sessionUrl: string,
  options: { javaScript?: boolean; locale?: string; width?: number } = {},
): Promise<OpenedPortal> {
  const context = await fixture.browser.newContext({
    javaScriptEnabled: options.javaScript ?? true,
    locale: options.locale ?? 'en-US',
    viewport: { width: options.width ?? 1280, height: 900 },
  });
  const page = await context.newPage();
  const response = await page.goto(onServer(fixture.server, sessionUrl));
  assert.equal(response?.status(), 200, 'the session URL opens the portal');
  return { context, page };
}

/**
 * No serious or critical accessibility violation on the page. axe runs as a script in the page,
 * so the page must come from a context with JavaScript on.
 */
export async function assertAccessible(page: Page, what: string): Promise<void> {
  const violations = await checkA11y(page);
  assert.deepEqual(violations, [], `${what}: ${JSON.stringify(violations, null, 1)}`);
}

/**
 * Screenshots at 375 and 1280 px into PORTICO_SCREENSHOTS (or a folder under the system's temp
 * directory), for people to look at; never compared by the tests.
 */
export async function screenshots(page: Page, name: string): Promise<void> {
  const dir = process.env.PORTICO_SCREENSHOTS ?? join(tmpdir(), 'portico-screenshots');
  mkdirSync(dir, { recursive: true });
  const original = page.viewportSize();
  for (const width of [375, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    await page.screenshot({ path: join(dir, `${name}-${width}.png`), fullPage: true });
  }
  if (original) await page.setViewportSize(original);
}

/** The visible text of the page's main column, whitespace folded. */
export async function mainText(page: Page): Promise<string> {
  return ((await page.locator('main').innerText()) ?? '').replace(/\s+/g, ' ');
}
