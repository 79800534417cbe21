import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import {
  assertAccessible,
  mainText,
  onServer,
  type PortalFixture,
  portalFixture,
  screenshots,
} from './support.ts';

/** The challenge page a PaymentIntent's or SetupIntent's `next_action` leads to. */
function challengeUrl(intent: Stripe.PaymentIntent | Stripe.SetupIntent): string {
  const next = intent.next_action!;
  return next.type === 'redirect_to_url'
    ? next.redirect_to_url!.url!
    : (next.use_stripe_sdk!.stripe_js as unknown as string);
}

describe("a PaymentIntent's 3D Secure challenge page", () => {
  let f: PortalFixture;
  before(async () => {
    f = await portalFixture();
  });
  after(() => f.close());

  const waiting = (extra: Partial<Stripe.PaymentIntentCreateParams> = {}) =>
    f.stripe.paymentIntents.create({
      amount: 4_800,
      currency: 'usd',
      confirm: true,
      payment_method: 'pm_card_threeDSecure2Required',
      ...extra,
    });

  test('completing the challenge pays and returns to the return_url with the outcome', async () => {
    const intent = await waiting({ return_url: 'https://shop.example/done?order=7' });
    assert.equal(intent.status, 'requires_action');
    const context = await f.browser.newContext({ locale: 'en-US' });
    await context.route('https://shop.example/**', (route) => route.fulfill({ body: 'back at the shop' }));
    const page = await context.newPage();
    await page.goto(onServer(f.server, challengeUrl(intent)));
    const text = await mainText(page);
    assert.match(text, /Confirm it's you/);
    assert.match(text, /\$48\.00/);
    assert.match(text, /ending in 3220/);
    await assertAccessible(page, 'the PaymentIntent challenge');
    await screenshots(page, 'payment-intent-3ds-challenge');
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL(/shop\.example/);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('order'), '7');
    assert.equal(back.searchParams.get('payment_intent'), intent.id);
    assert.equal(back.searchParams.get('payment_intent_client_secret'), intent.client_secret);
    assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
    const paid = await f.stripe.paymentIntents.retrieve(intent.id);
    assert.deepEqual([paid.status, paid.amount_received, paid.next_action], ['succeeded', 4_800, null]);
    await context.close();
  });

  test('without a return_url the page shows the outcome; failing asks for another card', async () => {
    const context = await f.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();

    const held = await waiting({ capture_method: 'manual' });
    await page.goto(onServer(f.server, challengeUrl(held)));
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    assert.match(await mainText(page), /Your payment has been received/);
    await screenshots(page, 'payment-intent-3ds-done');
    const authorized = await f.stripe.paymentIntents.retrieve(held.id);
    assert.deepEqual([authorized.status, authorized.amount_capturable], ['requires_capture', 4_800]);

    const failing = await waiting();
    await page.goto(onServer(f.server, challengeUrl(failing)));
    await page.getByRole('button', { name: 'Fail authentication' }).click();
    assert.match(await mainText(page), /could not be authenticated/);
    const failed = await f.stripe.paymentIntents.retrieve(failing.id);
    assert.equal(failed.status, 'requires_payment_method');
    assert.equal(failed.last_payment_error?.code, 'payment_intent_authentication_failure');
    await context.close();
  });

  test("an invoice's PaymentIntent: its challenge page pays the invoice", async () => {
    const customer = await f.stripe.customers.create({ name: 'Invoice 3DS' });
    const card = await f.stripe.paymentMethods.attach('pm_card_threeDSecure2Required', {
      customer: customer.id,
    });
    await f.stripe.invoiceItems.create({ customer: customer.id, amount: 2_600, currency: 'usd' });
    const draft = await f.stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    await f.stripe.invoices.finalizeInvoice(draft.id!);
    await assert.rejects(f.stripe.invoices.pay(draft.id!, { payment_method: card.id }));
    const invoice = await f.stripe.invoices.retrieve(draft.id!);
    const intent = await f.stripe.paymentIntents.retrieve(
      String(invoice.payments!.data[0]!.payment.payment_intent),
    );
    assert.equal(intent.status, 'requires_action');
    const context = await f.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(onServer(f.server, challengeUrl(intent)));
    assert.match(await mainText(page), /\$26\.00/);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    assert.match(await mainText(page), /Your payment has been received/);
    assert.equal((await f.stripe.invoices.retrieve(draft.id!)).status, 'paid');
    assert.equal((await f.stripe.paymentIntents.retrieve(intent.id)).status, 'succeeded');
    await context.close();
  });

  test('a wrong secret is a 404; a post without the page cookie is refused', async () => {
    const intent = await waiting();
    const wrong = await fetch(`${f.server.baseUrl}/p/3ds/${intent.id}_secret_wrongwrongwrong`);
    assert.equal(wrong.status, 404);
    const forged = await fetch(`${f.server.baseUrl}/p/3ds/${intent.client_secret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=complete&_csrf=forged',
    });
    assert.equal(forged.status, 403);
    assert.equal((await f.stripe.paymentIntents.retrieve(intent.id)).status, 'requires_action');
  });
});

describe("a SetupIntent's 3D Secure challenge page", () => {
  let f: PortalFixture;
  before(async () => {
    f = await portalFixture();
  });
  after(() => f.close());

  const waiting = async (extra: Partial<Stripe.SetupIntentCreateParams> = {}) => {
    const customer = await f.stripe.customers.create({ name: 'Saving a card' });
    const intent = await f.stripe.setupIntents.create({
      customer: customer.id,
      confirm: true,
      // 4000 0025 0000 3155: asks for 3D Secure when it is set up.
      payment_method: 'pm_card_authenticationRequiredOnSetup',
      ...extra,
    });
    assert.equal(intent.status, 'requires_action');
    return { customer, intent };
  };
  const savedCards = async (customer: Stripe.Customer) =>
    (await f.stripe.customers.listPaymentMethods(customer.id)).data.map((pm) => pm.id);

  test('completing the challenge saves the card and returns to the return_url', async () => {
    const { customer, intent } = await waiting({ return_url: 'https://shop.example/saved?step=2' });
    assert.equal(intent.next_action?.type, 'redirect_to_url');
    const context = await f.browser.newContext({ locale: 'en-US' });
    await context.route('https://shop.example/**', (route) => route.fulfill({ body: 'back at the shop' }));
    const page = await context.newPage();
    await page.goto(onServer(f.server, challengeUrl(intent)));
    const text = await mainText(page);
    assert.match(text, /Confirm it's you/);
    assert.match(text, /confirm that Visa ending in 3155 may be used for payments/);
    await assertAccessible(page, 'the SetupIntent challenge');
    await screenshots(page, 'setup-intent-3ds-challenge');
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    await page.waitForURL(/shop\.example/);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('step'), '2');
    assert.equal(back.searchParams.get('setup_intent'), intent.id);
    assert.equal(back.searchParams.get('setup_intent_client_secret'), intent.client_secret);
    assert.equal(back.searchParams.get('redirect_status'), 'succeeded');
    const saved = await f.stripe.setupIntents.retrieve(intent.id);
    assert.deepEqual([saved.status, saved.next_action], ['succeeded', null]);
    assert.deepEqual(await savedCards(customer), [intent.payment_method]);
    await context.close();
  });

  test('failing the challenge asks for another card and returns with redirect_status=failed', async () => {
    const { customer, intent } = await waiting({ return_url: 'https://shop.example/saved' });
    const context = await f.browser.newContext({ locale: 'en-US' });
    await context.route('https://shop.example/**', (route) => route.fulfill({ body: 'back at the shop' }));
    const page = await context.newPage();
    await page.goto(onServer(f.server, challengeUrl(intent)));
    await page.getByRole('button', { name: 'Fail authentication' }).click();
    await page.waitForURL(/shop\.example/);
    const back = new URL(page.url());
    assert.equal(back.searchParams.get('setup_intent'), intent.id);
    assert.equal(back.searchParams.get('redirect_status'), 'failed');
    const failed = await f.stripe.setupIntents.retrieve(intent.id);
    assert.equal(failed.status, 'requires_payment_method');
    assert.equal(failed.payment_method, null);
    assert.equal(failed.last_setup_error?.code, 'setup_intent_authentication_failure');
    assert.deepEqual(await savedCards(customer), []);
    await context.close();
  });

  test('without a return_url the page says the card was saved, and again on a later visit', async () => {
    const { customer, intent } = await waiting();
    assert.equal(intent.next_action?.type, 'use_stripe_sdk');
    const context = await f.browser.newContext({ locale: 'en-US' });
    const page = await context.newPage();
    await page.goto(onServer(f.server, challengeUrl(intent)));
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    assert.match(await mainText(page), /Your card has been added/);
    await screenshots(page, 'setup-intent-3ds-done');
    assert.equal((await f.stripe.setupIntents.retrieve(intent.id)).status, 'succeeded');
    assert.deepEqual(await savedCards(customer), [intent.payment_method]);
    await page.goto(onServer(f.server, challengeUrl(intent)));
    assert.match(await mainText(page), /Your card has been added/);
    await context.close();
  });

  test('a wrong secret is a 404; a post without the page cookie is refused', async () => {
    const { intent } = await waiting();
    const wrong = await fetch(`${f.server.baseUrl}/p/3ds/${intent.id}_secret_wrongwrongwrong`);
    assert.equal(wrong.status, 404);
    const forged = await fetch(`${f.server.baseUrl}/p/3ds/${intent.client_secret}`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: 'outcome=complete&_csrf=forged',
    });
    assert.equal(forged.status, 403);
    assert.equal((await f.stripe.setupIntents.retrieve(intent.id)).status, 'requires_action');
  });
});
