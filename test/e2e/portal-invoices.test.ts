import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { advance, clockCustomer, utc } from '../scenarios/support.ts';
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

/** A finalized one-off invoice of one line, sent for payment within 30 days. */
async function oneOffInvoice(
  stripe: Stripe,
  customer: string,
  amount: number,
  description: string,
): Promise<Stripe.Invoice> {
  await stripe.invoiceItems.create({ customer, amount, currency: 'usd', description });
  const draft = await stripe.invoices.create({
    customer,
    collection_method: 'send_invoice',
    days_until_due: 30,
    pending_invoice_items_behavior: 'include',
  });
  return stripe.invoices.finalizeInvoice(draft.id!);
}

/** The text of a PDF, by poppler's pdftotext. */
function pdfText(bytes: Buffer): string {
  const dir = mkdtempSync(join(tmpdir(), 'portico-pdf-'));
  try {
    const file = join(dir, 'invoice.pdf');
    writeFileSync(file, bytes);
    return execFileSync('pdftotext', ['-layout', file, '-'], { encoding: 'utf8' });
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('the hosted portal: invoice history, the hosted invoice page, its PDF and paying it', () => {
  let f: PortalFixture;
  let customer: Stripe.Customer;
  /** The seeded customer's one-off invoices, oldest first. */
  const oneOffs: Stripe.Invoice[] = [];
  let otherInvoice: Stripe.Invoice;

  before(async () => {
    f = await portalFixture();
    await fullConfiguration(f.stripe);
    ({ customer } = await seedCustomer(f.stripe));
    for (let n = 1; n <= 12; n++) {
      oneOffs.push(await oneOffInvoice(f.stripe, customer.id, 1000 + n, `Consulting, part ${n}`));
    }
    const other = await f.stripe.customers.create({ name: 'Mallory Other', email: 'mallory@example.com' });
    otherInvoice = await oneOffInvoice(f.stripe, other.id, 777, 'Somebody else’s work');
  });
  after(() => f.close());

  const newSession = (customerId = customer.id) =>
    f.stripe.billingPortal.sessions.create({
      customer: customerId,
      return_url: 'https://example.com/account',
    });

  test('history: newest first, ten a page, older and newer pages; nobody else’s invoices', async () => {
    const session = await newSession();
    const { context, page } = await openPortal(f, session.url);
    await page.goto(`${f.server.baseUrl}/p/${session.id}/invoices`);
    const numbers = () => page.locator('table tbody td.table__number').allInnerTexts();
    const first = await numbers();
    const newestFirst = [...oneOffs].reverse().map((i) => i.number);
    assert.deepEqual(first, newestFirst.slice(0, 10));
    await assertAccessible(page, 'invoice history');
    await page.getByRole('link', { name: /Older/ }).click();
    const second = await numbers();
    // Two more one-off invoices, then the subscription's first invoice.
    assert.deepEqual(second.slice(0, 2), newestFirst.slice(10, 12));
    assert.equal(second.length, 3);
    assert.equal(await page.getByRole('link', { name: /Older/ }).count(), 0, 'no page after the last');
    await page.getByRole('link', { name: /Newer/ }).click();
    assert.deepEqual(await numbers(), first);
    const text = await mainText(page);
    assert.doesNotMatch(text, new RegExp(otherInvoice.number!));
    // The portal path of an invoice: the session's own redirect to its hosted page; another's is not found.
    const own = await page.request.get(`${f.server.baseUrl}/p/${session.id}/invoices/${oneOffs[0]!.id}`, {
      maxRedirects: 0,
    });
    assert.equal(own.status(), 303);
    assert.equal(own.headers().location, new URL(oneOffs[0]!.hosted_invoice_url!).pathname);
    const others = await page.goto(`${f.server.baseUrl}/p/${session.id}/invoices/${otherInvoice.id}`);
    assert.equal(others?.status(), 404);
    assert.doesNotMatch(await page.locator('body').innerText(), /Mallory|Jenny/);
    await context.close();
  });

  test('the hosted invoice page, opened from the list, shows number, lines and total; a wrong secret is not found', async () => {
    const session = await newSession();
    const { context, page } = await openPortal(f, session.url);
    await page.goto(`${f.server.baseUrl}/p/${session.id}/invoices`);
    const newest = oneOffs.at(-1)!;
    await page.locator('table tbody a').first().click();
    assert.equal(new URL(page.url()).pathname, new URL(newest.hosted_invoice_url!).pathname);
    const text = await mainText(page);
    assert.match(text, new RegExp(newest.number!));
    assert.match(text, /Consulting, part 12/);
    assert.match(text, /\$10\.12/);
    assert.match(text, /Jenny Rosen/);
    const headers = (await page.reload())!.headers();
    assert.match(headers['content-security-policy']!, /default-src 'none'; script-src 'nonce-/);
    assert.equal(headers['referrer-policy'], 'no-referrer');
    assert.equal(headers['cache-control'], 'no-store');
    await assertAccessible(page, 'hosted invoice page');
    await screenshots(page, 'hosted-invoice');
    // Readable without any session: a fresh browser opens it from its URL alone.
    const stranger = await f.browser.newContext();
    const strangerPage = await stranger.newPage();
    const direct = await strangerPage.goto(onServer(f.server, newest.hosted_invoice_url!));
    assert.equal(direct?.status(), 200);
    const wrong = await strangerPage.goto(`${f.server.baseUrl}/i/${newest.id}/${'x'.repeat(24)}`);
    assert.equal(wrong?.status(), 404);
    assert.doesNotMatch(await strangerPage.locator('body').innerText(), /Jenny|Consulting|\$10\.12/);
    const wrongPdf = await strangerPage.request.get(`${f.server.baseUrl}/i/${newest.id}/nope/pdf`);
    assert.equal(wrongPdf.status(), 404);
    await stranger.close();
    await context.close();
  });

  test('the PDF: a PDF document with the number and the total; in German for a German customer', async () => {
    const invoice = oneOffs[0]!;
    const response = await fetch(onServer(f.server, invoice.invoice_pdf!));
    assert.equal(response.status, 200);
    assert.equal(response.headers.get('content-type'), 'application/pdf');
    assert.equal(
      response.headers.get('content-disposition'),
      `inline; filename="Invoice-${invoice.number}.pdf"`,
    );
    const bytes = Buffer.from(await response.arrayBuffer());
    assert.equal(bytes.subarray(0, 5).toString('latin1'), '%PDF-');
    const text = pdfText(bytes);
    assert.match(text, new RegExp(invoice.number!));
    assert.match(text, /\$10\.01/);
    assert.match(text, /Consulting, part 1/);

    const german = await f.stripe.customers.create({
      name: 'Erika Mustermann',
      preferred_locales: ['de'],
      address: { line1: 'Hauptstraße 1', city: 'Berlin', postal_code: '10115', country: 'DE' },
    });
    await f.stripe.customers.createTaxId(german.id, { type: 'eu_vat', value: 'DE123456789' });
    const rechnung = await oneOffInvoice(f.stripe, german.id, 4200, 'Beratung');
    const de = pdfText(
      Buffer.from(await (await fetch(onServer(f.server, rechnung.invoice_pdf!))).arrayBuffer()),
    );
    assert.match(de, /Rechnung/);
    assert.match(de, /42,00/);
    assert.match(de, /DE123456789/);
  });

  test('paying a past-due invoice with a new card: a decline is recorded as a failed attempt and the card not kept; a good card pays it, is kept, and the subscription is active again', async () => {
    const jan1 = utc(2027, 1, 1);
    const { clock, customer: late } = await clockCustomer(f.stripe, jan1);
    const price = await f.stripe.prices.create({
      currency: 'usd',
      unit_amount: 2500,
      recurring: { interval: 'month' },
      product_data: { name: 'Team plan' },
    });
    const sub = await f.stripe.subscriptions.create({ customer: late.id, items: [{ price: price.id }] });
    const failing = await f.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', { customer: late.id });
    await f.stripe.customers.update(late.id, { invoice_settings: { default_payment_method: failing.id } });
    await advance(f.stripe, clock.id, utc(2027, 2, 1) + 3600 + 60);
    assert.equal((await f.stripe.subscriptions.retrieve(sub.id)).status, 'past_due');
    const renewal = (await f.stripe.invoices.list({ customer: late.id, status: 'open' })).data[0]!;
    assert.ok(renewal, 'the failed renewal is open');
    const cardsBefore = (await f.stripe.paymentMethods.list({ customer: late.id })).data.length;

    const context = await f.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(onServer(f.server, renewal.hosted_invoice_url!));
    assert.match(await mainText(page), /Pay this invoice/);
    await page.getByLabel('Use a new card').check();
    await page.getByLabel('Card number').fill('4000 0000 0000 0002');
    await page.getByLabel(/Expiration date/).fill('12 / 34');
    await page.getByLabel(/Security code/).fill('123');
    await page.getByRole('button', { name: /^Pay / }).click();
    assert.match(await page.locator('.error-summary').innerText(), /Your card was declined/);
    // As invoices.pay records it: one more attempt, the PaymentIntent's error, a failed charge, the event.
    const declined = await f.stripe.invoices.retrieve(renewal.id, { expand: ['payments'] });
    assert.equal(declined.status, 'open');
    assert.equal(declined.attempt_count, renewal.attempt_count + 1);
    const intentId = String(declined.payments!.data[0]!.payment.payment_intent);
    const intent = await f.stripe.paymentIntents.retrieve(intentId);
    assert.equal(intent.status, 'requires_payment_method');
    assert.equal(intent.last_payment_error?.code, 'card_declined');
    assert.equal(intent.last_payment_error?.decline_code, 'generic_decline');
    const charge = await f.stripe.charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.status, 'failed');
    assert.equal(charge.amount, 2500);
    assert.equal(charge.payment_method_details?.card?.last4 ?? '', '0002');
    const failures = await f.stripe.events.list({ type: 'invoice.payment_failed', limit: 100 });
    assert.equal(
      failures.data.filter((e) => (e.data.object as Stripe.Invoice).id === renewal.id).length,
      renewal.attempt_count + 1,
    );
    assert.equal((await f.stripe.subscriptions.retrieve(sub.id)).status, 'past_due');
    assert.equal((await f.stripe.paymentMethods.list({ customer: late.id })).data.length, cardsBefore);
    await assertAccessible(page, 'hosted invoice page with a decline');

    await page.getByLabel('Use a new card').check();
    await page.getByLabel('Card number').fill('4242 4242 4242 4242');
    await page.getByLabel(/Expiration date/).fill('12 / 34');
    await page.getByLabel(/Security code/).fill('123');
    await page.getByRole('button', { name: /^Pay / }).click();
    assert.match(page.url(), /\?notice=invoice_paid$/);
    assert.match(await mainText(page), /Thank you/);
    assert.equal((await f.stripe.invoices.retrieve(renewal.id)).status, 'paid');
    assert.equal((await f.stripe.subscriptions.retrieve(sub.id)).status, 'active');
    const cards = (await f.stripe.paymentMethods.list({ customer: late.id })).data;
    assert.equal(cards.length, cardsBefore + 1);
    assert.ok(cards.some((card) => card.card?.last4 === '4242'));
    await context.close();
  });

  test('the pay form works without JavaScript, with the saved card; and refuses a post without its token', async () => {
    const invoice = await oneOffInvoice(f.stripe, customer.id, 3000, 'Workshop');
    const context = await f.browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();
    await page.goto(onServer(f.server, invoice.hosted_invoice_url!));
    const path = new URL(invoice.hosted_invoice_url!).pathname;
    const forged = await page.request.post(`${f.server.baseUrl}${path}/pay`, {
      form: { payment_method: 'new' },
    });
    assert.equal(forged.status(), 403);
    const token = await page.locator('input[name="_csrf"]').first().getAttribute('value');
    const crossSite = await page.request.post(`${f.server.baseUrl}${path}/pay`, {
      form: { _csrf: token!, payment_method: 'new' },
      headers: { 'sec-fetch-site': 'cross-site' },
    });
    assert.equal(crossSite.status(), 403);
    assert.equal((await f.stripe.invoices.retrieve(invoice.id)).status, 'open');
    await page.getByLabel(/Visa ending in 4242/).check();
    await page.getByRole('button', { name: /^Pay \$30\.00/ }).click();
    assert.match(await mainText(page), /Thank you/);
    const paid = await f.stripe.invoices.retrieve(invoice.id);
    assert.equal(paid.status, 'paid');
    assert.equal(paid.amount_paid, 3000);
    await context.close();
  });
});
