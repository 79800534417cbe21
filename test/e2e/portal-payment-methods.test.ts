import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
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

describe('the hosted portal: payment methods', () => {
  let f: PortalFixture;

  before(async () => {
    f = await portalFixture();
    await fullConfiguration(f.stripe);
  });
  after(() => f.close());

  /** A fresh customer (a Visa card, the default, and an active subscription) and a session for it. */
  async function customerSession(params: Partial<Stripe.BillingPortal.SessionCreateParams> = {}) {
    const seeded = await seedCustomer(f.stripe);
    const session = await f.stripe.billingPortal.sessions.create({
      customer: seeded.customer.id,
      return_url: 'https://example.com/account',
      ...params,
    });
    return { ...seeded, session };
  }

  const retrieveCustomer = async (id: string) => (await f.stripe.customers.retrieve(id)) as Stripe.Customer;
  const defaultOf = async (id: string) =>
    (await retrieveCustomer(id)).invoice_settings.default_payment_method as string | null;
  const cardsOf = async (id: string) =>
    (await f.stripe.customers.listPaymentMethods(id, { limit: 100 })).data;

  async function fillCard(page: Page, number: string) {
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiration date').fill('12 / 34');
    await page.getByLabel('Security code').fill('123');
    await page.getByLabel('Postal code').fill('62701');
    await page.getByRole('button', { name: 'Add card' }).click();
  }

  async function eventsFor(type: string, objectId: string) {
    const events = await f.stripe.events.list({ type, limit: 100 });
    return events.data.filter((e) => (e.data.object as { id: string }).id === objectId);
  }

  test('adding a card: it is saved through a SetupIntent and becomes the default', async () => {
    const { customer, session } = await customerSession();
    const { context, page } = await openPortal(f, session.url);
    await page.getByRole('link', { name: 'Add payment method' }).click();
    assert.match(page.url(), /\/payment-methods\/new$/);
    assert.match(await mainText(page), /This card will be used for your future payments/);
    await assertAccessible(page, 'add-card page');
    await screenshots(page, 'add-card');
    await fillCard(page, '4242 4242 4242 4242');
    assert.match(page.url(), /\/\?notice=card_added$/);
    assert.match(await mainText(page), /Your card has been added/);
    const cards = await cardsOf(customer.id);
    assert.equal(cards.length, 2);
    const added = cards.find((c) => c.card?.exp_year === 2034)!;
    assert.ok(added, 'the new card is attached');
    assert.equal(added.billing_details.address?.postal_code, '62701');
    assert.equal(await defaultOf(customer.id), added.id);
    const attached = await eventsFor('payment_method.attached', added.id);
    assert.equal(attached.length, 1);
    assert.match(String(attached[0]!.request?.id), /^req_/, 'the event names the portal request');
    const intents = await f.stripe.setupIntents.list({ customer: customer.id });
    assert.equal(intents.data[0]!.status, 'succeeded');
    assert.equal(intents.data[0]!.usage, 'off_session');
    assert.equal((await eventsFor('setup_intent.succeeded', intents.data[0]!.id)).length, 1);
    const updated = await f.stripe.events.list({ type: 'customer.updated', limit: 1 });
    assert.equal(
      (updated.data[0]!.data.object as Stripe.Customer).invoice_settings.default_payment_method,
      added.id,
    );
    await context.close();
  });

  test('declines: the form comes back with the reason, without the card number; nothing is attached', async () => {
    const { customer, card, session } = await customerSession();
    const { context, page } = await openPortal(f, session.url);
    await page.goto(`${f.server.baseUrl}/p/${session.id}/payment-methods/new`);
    await fillCard(page, '4000 0000 0000 0002');
    assert.match(
      await page.locator('.error-summary').innerText(),
      /Your card was declined\. Try another card/,
    );
    assert.equal(await page.getByLabel('Card number').inputValue(), '', 'the number is not echoed');
    assert.equal(await page.getByLabel('Security code').inputValue(), '');
    assert.equal(await page.getByLabel('Expiration date').inputValue(), '12 / 34');
    assert.doesNotMatch(await page.locator('form').innerHTML(), /0000 0000 0002|4000000000000002/);
    await fillCard(page, '4000 0000 0000 9995');
    assert.match(await page.locator('.error-summary').innerText(), /insufficient funds/);
    assert.deepEqual(
      (await cardsOf(customer.id)).map((c) => c.id),
      [card.id],
    );
    assert.equal(await defaultOf(customer.id), card.id);
    const intents = await f.stripe.setupIntents.list({ customer: customer.id });
    assert.equal(intents.data.length, 2, 'the failed attempts are recorded');
    assert.equal(intents.data[0]!.last_setup_error?.decline_code, 'insufficient_funds');
    await context.close();
  });

  test('3D Secure: the challenge page; completing saves the card, failing does not', async () => {
    const { customer, card, session } = await customerSession();
    const { context, page } = await openPortal(f, session.url);
    await page.goto(`${f.server.baseUrl}/p/${session.id}/payment-methods/new`);
    await fillCard(page, '4000 0025 0000 3155');
    assert.match(page.url(), /\/payment-methods\/authenticate\/seti_/);
    assert.match(await mainText(page), /Confirm it's you/);
    assert.match(await mainText(page), /ending in 3155/);
    await assertAccessible(page, '3D Secure page');
    await page.getByRole('button', { name: 'Fail authentication' }).click();
    assert.match(page.url(), /\/payment-methods\/new\?error=authentication_failed$/);
    assert.match(await page.locator('.error-summary').innerText(), /couldn't verify your card/);
    assert.equal((await cardsOf(customer.id)).length, 1, 'not attached');
    assert.equal(await defaultOf(customer.id), card.id);

    await fillCard(page, '4000 0025 0000 3155');
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    assert.match(page.url(), /\/\?notice=card_added$/);
    const cards = await cardsOf(customer.id);
    const added = cards.find((c) => c.card?.last4 === '3155');
    assert.ok(added, 'attached after authentication');
    assert.equal(await defaultOf(customer.id), added.id);
    await context.close();
  });

  test('another customer’s SetupIntent cannot be answered', async () => {
    const a = await customerSession();
    const b = await customerSession();
    const { context, page } = await openPortal(f, a.session.url);
    await page.goto(`${f.server.baseUrl}/p/${a.session.id}/payment-methods/new`);
    await fillCard(page, '4000 0025 0000 3155');
    const url = page.url();
    const opened = await openPortal(f, b.session.url);
    const seti = url.split('/').at(-1)!;
    const foreign = await opened.page.goto(
      `${f.server.baseUrl}/p/${b.session.id}/payment-methods/authenticate/${seti}`,
    );
    assert.equal(foreign?.status(), 404);
    assert.equal((await f.stripe.setupIntents.retrieve(seti)).status, 'requires_action');
    await opened.context.close();
    await context.close();
  });

  test('setting the default, and removing a card (the newest remaining one becomes the default)', async () => {
    const { customer, card, session } = await customerSession();
    const mastercard = await f.stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    const { context, page } = await openPortal(f, session.url);
    await page.getByRole('button', { name: /Make default.*4444/ }).click();
    assert.match(page.url(), /\/\?notice=default_card_set$/);
    assert.match(await mainText(page), /Your default payment method has been changed/);
    assert.equal(await defaultOf(customer.id), mastercard.id);

    await page.getByRole('link', { name: /Remove.*4444/ }).click();
    assert.match(await mainText(page), /Mastercard ending in 4444 will be removed/);
    // It is the default: the page says which card takes its place.
    assert.match(
      await mainText(page),
      /Once it's removed, your future payments will be charged to Visa ending in 4242\./,
    );
    await screenshots(page, 'remove-default-card');
    await page.getByRole('button', { name: 'Remove card' }).click();
    assert.match(page.url(), /\/\?notice=card_removed$/);
    assert.match(await mainText(page), /Your card has been removed/);
    assert.deepEqual(
      (await cardsOf(customer.id)).map((c) => c.id),
      [card.id],
    );
    assert.equal(await defaultOf(customer.id), card.id, 'the remaining card is the default');
    assert.equal((await eventsFor('payment_method.detached', mastercard.id)).length, 1);
    await context.close();
  });

  test('the last card of a customer with an active subscription cannot be removed', async () => {
    const { customer, card, session } = await customerSession();
    const { context, page } = await openPortal(f, session.url);
    await page.getByRole('link', { name: /Remove.*4242/ }).click();
    assert.match(await mainText(page), /can't remove your only payment method/);
    assert.equal(await page.getByRole('button', { name: 'Remove card' }).count(), 0);
    // Posting anyway changes nothing.
    const token = await tokenOf(page, session.id);
    const forced = await page.request.post(
      `${f.server.baseUrl}/p/${session.id}/payment-methods/${card.id}/remove`,
      { form: { _csrf: token } },
    );
    assert.equal(forced.status(), 409);
    assert.deepEqual(
      (await cardsOf(customer.id)).map((c) => c.id),
      [card.id],
    );
    await context.close();
  });

  async function tokenOf(page: Page, sid: string): Promise<string> {
    await page.goto(`${f.server.baseUrl}/p/${sid}/payment-methods/new`);
    return (await page.locator('input[name="_csrf"]').first().getAttribute('value'))!;
  }

  test('another customer’s payment method in the default and remove URLs is not found, and nothing changes', async () => {
    const mine = await customerSession();
    const other = await customerSession();
    await f.stripe.paymentMethods.attach('pm_card_mastercard', { customer: other.customer.id });
    const { context, page } = await openPortal(f, mine.session.url);
    const token = await tokenOf(page, mine.session.id);
    const base = `${f.server.baseUrl}/p/${mine.session.id}/payment-methods/${other.card.id}`;
    const setDefault = await page.request.post(`${base}/default`, { form: { _csrf: token } });
    assert.equal(setDefault.status(), 404);
    const view = await page.goto(`${base}/remove`);
    assert.equal(view?.status(), 404);
    assert.match(await page.locator('body').innerText(), /Page not found/);
    const remove = await page.request.post(`${base}/remove`, { form: { _csrf: token } });
    assert.equal(remove.status(), 404);
    const pm = await f.stripe.paymentMethods.retrieve(other.card.id);
    assert.equal(pm.customer, other.customer.id, 'still attached to its customer');
    assert.equal(await defaultOf(mine.customer.id), mine.card.id);
    assert.equal(await defaultOf(other.customer.id), other.card.id);
    await context.close();
  });

  test('after adding a card, open invoices past due are offered for payment', async () => {
    const customer = await f.stripe.customers.create({ email: 'late@example.com' });
    const failing = await f.stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customer.id,
    });
    await f.stripe.customers.update(customer.id, {
      invoice_settings: { default_payment_method: failing.id },
    });
    const price = await f.stripe.prices.create({
      currency: 'usd',
      unit_amount: 2500,
      recurring: { interval: 'month' },
      product_data: { name: 'Team plan' },
    });
    const subscription = await f.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    const invoiceId = subscription.latest_invoice as string;
    const invoice = await f.stripe.invoices.retrieve(invoiceId);
    assert.equal(invoice.status, 'open');
    const session = await f.stripe.billingPortal.sessions.create({ customer: customer.id });
    const { context, page } = await openPortal(f, session.url);
    await page.goto(`${f.server.baseUrl}/p/${session.id}/payment-methods/new`);
    await fillCard(page, '4242 4242 4242 4242');
    assert.match(await mainText(page), /An invoice is past due\. You can pay it now with your new card/);
    const link = page.getByRole('link', { name: /View invoice .*\$25\.00/ });
    assert.equal(await link.getAttribute('href'), `/p/${session.id}/invoices/${invoiceId}`);
    await context.close();
  });

  test('with JavaScript off, a card is added all the same', async () => {
    const { customer, session } = await customerSession();
    const { context, page } = await openPortal(f, session.url, { javaScript: false });
    await page.goto(`${f.server.baseUrl}/p/${session.id}/payment-methods/new`);
    await page.getByLabel('Card number').fill('5555555555554444');
    await page.getByLabel('Expiration date').fill('1234');
    await page.getByLabel('Security code').fill('123');
    await page.getByRole('button', { name: 'Add card' }).click();
    assert.match(page.url(), /\/\?notice=card_added$/);
    const cards = await cardsOf(customer.id);
    const added = cards.find((c) => c.card?.last4 === '4444');
    assert.ok(added);
    assert.equal(await defaultOf(customer.id), added.id);
    await context.close();
  });

  test('the add-card page in German', async () => {
    const { session } = await customerSession({ locale: 'de' });
    const { context, page } = await openPortal(f, session.url);
    await page.goto(`${f.server.baseUrl}/p/${session.id}/payment-methods/new`);
    const text = await mainText(page);
    assert.match(text, /Karte hinzufügen/);
    assert.match(text, /Kartennummer/);
    assert.equal(await page.locator('html').getAttribute('lang'), 'de');
    await context.close();
  });

  describe('the payment_method_update flow', () => {
    const flow = (after_completion: Stripe.BillingPortal.SessionCreateParams.FlowData.AfterCompletion) => ({
      flow_data: { type: 'payment_method_update' as const, after_completion },
    });

    test('opens the add-card page without navigation; hosted_confirmation shows the message', async () => {
      const { customer, session } = await customerSession(
        flow({ type: 'hosted_confirmation', hosted_confirmation: { custom_message: 'Thanks, all set!' } }),
      );
      const { context, page } = await openPortal(f, session.url);
      assert.match(page.url(), new RegExp(`/p/${session.id}/payment-methods/new$`));
      assert.equal(await page.locator('body.is-flow').count(), 1);
      assert.equal(await page.getByRole('link', { name: 'Cancel' }).count(), 0, 'no way into the portal');
      await fillCard(page, '4242 4242 4242 4242');
      assert.match(page.url(), /\/flow\/complete$/);
      const text = await mainText(page);
      assert.match(text, /Your payment method has been updated/);
      assert.match(text, /Thanks, all set!/);
      const cards = await cardsOf(customer.id);
      assert.equal(cards.length, 2);
      assert.equal(await defaultOf(customer.id), cards.find((c) => c.card?.exp_year === 2034)!.id);
      await context.close();
    });

    test('redirect: a 303 to the flow’s return URL', async () => {
      const { customer, session } = await customerSession(
        flow({ type: 'redirect', redirect: { return_url: 'https://example.com/card-saved' } }),
      );
      const { context, page } = await openPortal(f, session.url);
      await context.route('https://example.com/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Merchant</title>saved' }),
      );
      await fillCard(page, '4242 4242 4242 4242');
      await page.waitForURL('https://example.com/card-saved');
      assert.equal((await cardsOf(customer.id)).length, 2);
      await context.close();
    });

    test('portal_homepage: the homepage with the notice', async () => {
      const { customer, session } = await customerSession(flow({ type: 'portal_homepage' }));
      const { context, page } = await openPortal(f, session.url);
      assert.match(page.url(), /\/payment-methods\/new$/);
      await fillCard(page, '4242 4242 4242 4242');
      assert.match(page.url(), new RegExp(`/p/${session.id}/\\?notice=card_added$`));
      assert.match(await mainText(page), /Your card has been added/);
      assert.equal((await cardsOf(customer.id)).length, 2);
      await context.close();
    });
  });
});
