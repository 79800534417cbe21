import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type Stripe from 'stripe';
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

/** A finalized one-off invoice of one line, sent for payment within 30 days. */
async function openInvoice(stripe: Stripe, customer: string, amount: number): Promise<Stripe.Invoice> {
  await stripe.invoiceItems.create({ customer, amount, currency: 'usd', description: 'Onboarding' });
  const draft = await stripe.invoices.create({
    customer,
    collection_method: 'send_invoice',
    days_until_due: 30,
    pending_invoice_items_behavior: 'include',
  });
  return stripe.invoices.finalizeInvoice(draft.id!);
}

/** Types a new card on the hosted invoice page and presses Pay. */
async function payWithNewCard(page: Page, number: string) {
  await page.getByLabel('Use a new card').check();
  await page.getByLabel('Card number').fill(number);
  await page.getByLabel(/Expiration date/).fill('12 / 34');
  await page.getByLabel(/Security code/).fill('123');
  await page.getByRole('button', { name: /^Pay / }).click();
}

describe('the hosted invoice page: 3D Secure', () => {
  let f: PortalFixture;
  let customer: Stripe.Customer;

  before(async () => {
    f = await portalFixture();
    await fullConfiguration(f.stripe);
    ({ customer } = await seedCustomer(f.stripe));
  });
  after(() => f.close());

  const intentOf = async (invoiceId: string) => {
    const invoice = await f.stripe.invoices.retrieve(invoiceId, { expand: ['payments'] });
    const intent = await f.stripe.paymentIntents.retrieve(
      String(invoice.payments!.data[0]!.payment.payment_intent),
    );
    return { invoice, intent };
  };
  const eventsFor = async (type: string, id: string) =>
    (await f.stripe.events.list({ type, limit: 100 })).data.filter(
      (e) => (e.data.object as { id: string }).id === id,
    ).length;

  test('a card that asks for authentication leads to the challenge; completing it pays the invoice and keeps the card', async () => {
    const invoice = await openInvoice(f.stripe, customer.id, 4800);
    const cardsBefore = (await f.stripe.paymentMethods.list({ customer: customer.id })).data.length;
    const context = await f.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(onServer(f.server, invoice.hosted_invoice_url!));
    await payWithNewCard(page, '4000 0027 6000 3184');
    assert.match(page.url(), /\/authenticate$/);
    const challenge = await mainText(page);
    assert.match(challenge, /Confirm it's you/);
    assert.match(challenge, /\$48\.00/);
    assert.match(challenge, /ending in 3184/);
    await assertAccessible(page, 'the hosted invoice payment challenge');
    await screenshots(page, 'invoice-3ds-challenge');

    const waiting = await intentOf(invoice.id);
    assert.equal(waiting.intent.status, 'requires_action');
    assert.equal(waiting.invoice.status, 'open');
    assert.equal(waiting.invoice.attempt_count, 1);
    assert.equal(await eventsFor('invoice.payment_action_required', invoice.id), 1);

    await page.getByRole('button', { name: 'Complete authentication' }).click();
    assert.match(page.url(), /\?notice=invoice_paid$/);
    assert.match(await mainText(page), /Thank you/);
    const paid = await intentOf(invoice.id);
    assert.equal(paid.invoice.status, 'paid');
    assert.equal(paid.invoice.amount_paid, 4800);
    assert.equal(paid.invoice.attempt_count, 1, 'the challenge and its answer are one attempt');
    assert.equal(paid.intent.status, 'succeeded');
    assert.equal(paid.intent.amount_received, 4800);
    const charge = await f.stripe.charges.retrieve(String(paid.intent.latest_charge));
    assert.equal(charge.status, 'succeeded');
    assert.equal(charge.amount, 4800);
    const cards = (await f.stripe.paymentMethods.list({ customer: customer.id })).data;
    assert.equal(cards.length, cardsBefore + 1);
    assert.equal(cards[0]!.card?.last4, '3184');
    await context.close();
  });

  test('failing the challenge, without JavaScript: the failure is said in the customer’s language and recorded; the invoice stays open', async () => {
    const german = await f.stripe.customers.create({ name: 'Erika Mustermann', preferred_locales: ['de'] });
    const invoice = await openInvoice(f.stripe, german.id, 2000);
    const context = await f.browser.newContext({ javaScriptEnabled: false, locale: 'de-DE' });
    const page = await context.newPage();
    await page.goto(onServer(f.server, invoice.hosted_invoice_url!));
    await page.getByLabel('Neue Karte verwenden').check();
    await page.getByLabel('Kartennummer').fill('4000 0027 6000 3184');
    await page.getByLabel(/Ablaufdatum/).fill('12 / 34');
    await page.getByLabel(/Prüfnummer/).fill('123');
    await page.getByRole('button', { name: / bezahlen$/ }).click();
    assert.match(page.url(), /\/authenticate$/);
    assert.match(await mainText(page), /20,00\s\$/);
    await screenshots(page, 'invoice-3ds-challenge-de');
    await page.getByRole('button', { name: /fehlschlagen/i }).click();
    assert.match(page.url(), /\?notice=authentication_failed$/);
    const text = await mainText(page);
    assert.match(text, /Die Karte konnte nicht bestätigt werden/);
    await screenshots(page, 'invoice-3ds-failed-de');

    const failed = await intentOf(invoice.id);
    assert.equal(failed.invoice.status, 'open');
    assert.equal(failed.invoice.attempt_count, 1);
    assert.equal(failed.intent.status, 'requires_payment_method');
    assert.equal(failed.intent.last_payment_error?.code, 'payment_intent_authentication_failure');
    assert.equal(await eventsFor('invoice.payment_failed', invoice.id), 1);
    assert.equal(await eventsFor('payment_intent.payment_failed', failed.intent.id), 1);
    // The card was never kept: it did not pay.
    assert.equal((await f.stripe.paymentMethods.list({ customer: german.id })).data.length, 0);

    // The form is there again: a card that needs no challenge pays it.
    await page.getByLabel('Neue Karte verwenden').check();
    await page.getByLabel('Kartennummer').fill('4242 4242 4242 4242');
    await page.getByLabel(/Ablaufdatum/).fill('12 / 34');
    await page.getByLabel(/Prüfnummer/).fill('123');
    await page.getByRole('button', { name: / bezahlen$/ }).click();
    assert.match(page.url(), /\?notice=invoice_paid$/);
    const paid = await intentOf(invoice.id);
    assert.equal(paid.invoice.status, 'paid');
    assert.equal(paid.invoice.attempt_count, 2);
    assert.equal(paid.intent.status, 'succeeded');
    await context.close();
  });

  test('authenticated, then declined by the issuer: the decline is shown and recorded', async () => {
    const invoice = await openInvoice(f.stripe, customer.id, 1500);
    const context = await f.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(onServer(f.server, invoice.hosted_invoice_url!));
    await payWithNewCard(page, '4000 0082 6000 3178');
    assert.match(page.url(), /\/authenticate$/);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    assert.match(
      (await page.locator('.error-summary').textContent()) ?? '',
      /Your card has insufficient funds/,
    );
    const declined = await intentOf(invoice.id);
    assert.equal(declined.invoice.status, 'open');
    assert.equal(declined.intent.status, 'requires_payment_method');
    assert.equal(declined.intent.last_payment_error?.decline_code, 'insufficient_funds');
    assert.equal(await eventsFor('invoice.payment_failed', invoice.id), 1);
    // The challenge page of an answered payment leads back to the invoice.
    const again = await page.goto(`${onServer(f.server, invoice.hosted_invoice_url!)}/authenticate`);
    assert.match(again!.url(), new RegExp(`${new URL(invoice.hosted_invoice_url!).pathname}$`));
    await context.close();
  });
});
