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

type AfterCompletion = Stripe.BillingPortal.SessionCreateParams.FlowData.AfterCompletion;

describe('the portal after a card is added: the flow’s end and the subscriptions’ own defaults', () => {
  let f: PortalFixture;

  before(async () => {
    f = await portalFixture();
    await fullConfiguration(f.stripe);
  });
  after(() => f.close());

  const flowSession = async (after_completion: AfterCompletion) => {
    const seeded = await seedCustomer(f.stripe);
    const session = await f.stripe.billingPortal.sessions.create({
      customer: seeded.customer.id,
      return_url: 'https://example.com/account',
      flow_data: { type: 'payment_method_update', after_completion },
    });
    return { ...seeded, session };
  };

  async function fillCard(page: Page, number: string) {
    await page.getByLabel('Card number').fill(number);
    await page.getByLabel('Expiration date').fill('12 / 34');
    await page.getByLabel('Security code').fill('123');
    await page.getByRole('button', { name: 'Add card' }).click();
  }

  /** The portal's navigation: the business name links home, the homepage's sections link on. */
  const inFlow = async (page: Page) => (await page.locator('body.is-flow').count()) === 1;

  for (const javaScript of [true, false]) {
    test(`portal_homepage, through 3D Secure${javaScript ? '' : ' without JavaScript'}: the full portal from then on, in the same session`, async () => {
      const { customer, session } = await flowSession({ type: 'portal_homepage' });
      const { context, page } = await openPortal(f, session.url, { javaScript });
      assert.match(page.url(), /\/payment-methods\/new$/);
      assert.equal(await inFlow(page), true);
      assert.equal(await page.getByRole('link', { name: 'Cancel' }).count(), 0);
      await fillCard(page, '4000 0027 6000 3184');
      assert.match(page.url(), /\/payment-methods\/authenticate\/seti_/);
      assert.equal(await inFlow(page), true, 'still in the flow until the card is saved');
      await page.getByRole('button', { name: 'Complete authentication' }).click();
      assert.match(page.url(), new RegExp(`/p/${session.id}/\\?notice=card_added$`));
      assert.equal(await inFlow(page), false);
      const home = page.locator('a.business');
      assert.equal(await home.getAttribute('href'), `/p/${session.id}/`);
      if (javaScript) await screenshots(page, 'flow-completed-home');

      // The rest of the portal is reachable, and stays so on every later page of the session.
      await page.getByRole('link', { name: 'Update information' }).click();
      assert.match(page.url(), /\/billing$/);
      assert.equal(await inFlow(page), false);
      await page.goto(`${new URL(page.url()).origin}/p/${session.id}/payment-methods/new`);
      assert.equal(await page.getByRole('link', { name: 'Cancel' }).count(), 1);
      // Another card added now is a plain portal change: back to the homepage with its notice.
      await fillCard(page, '4242 4242 4242 4242');
      assert.match(page.url(), new RegExp(`/p/${session.id}/\\?notice=card_added$`));
      assert.match(await mainText(page), /Your card has been added/);
      if (javaScript) await assertAccessible(page, 'homepage after a completed flow');
      assert.equal((await f.stripe.customers.listPaymentMethods(customer.id)).data.length, 3);
      await context.close();
    });
  }

  test('a flow that ended on its confirmation page stays a flow: no navigation after it', async () => {
    const { session } = await flowSession({ type: 'hosted_confirmation' });
    const { context, page } = await openPortal(f, session.url);
    await fillCard(page, '4242 4242 4242 4242');
    assert.match(page.url(), /\/flow\/complete$/);
    await page.goto(`${new URL(page.url()).origin}/p/${session.id}/`);
    assert.equal(await inFlow(page), true);
    assert.equal(await page.locator('a.business').count(), 0);
    await context.close();
  });

  test('a card added in the portal becomes the default and clears the subscriptions’ own default, with their events', async () => {
    const { customer, card, subscription, price } = await seedCustomer(f.stripe);
    // One subscription charges a card of its own; another follows the customer's default.
    const other = await f.stripe.paymentMethods.attach('pm_card_mastercard', { customer: customer.id });
    const pinned = await f.stripe.subscriptions.update(subscription.id, { default_payment_method: other.id });
    assert.equal(pinned.default_payment_method, other.id);
    const following = await f.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
    });
    const session = await f.stripe.billingPortal.sessions.create({ customer: customer.id });
    const { context, page } = await openPortal(f, session.url);
    await page.getByRole('link', { name: 'Add payment method' }).click();
    await fillCard(page, '5555 5555 5555 4444');
    assert.match(page.url(), /\?notice=card_added$/);

    const added = (await f.stripe.customers.listPaymentMethods(customer.id)).data.find(
      (pm) => pm.id !== card.id && pm.id !== other.id,
    )!;
    const after = (await f.stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    assert.equal(after.invoice_settings.default_payment_method, added.id);
    assert.equal((await f.stripe.subscriptions.retrieve(subscription.id)).default_payment_method, null);
    assert.equal((await f.stripe.subscriptions.retrieve(following.id)).default_payment_method, null);
    const updates = (await f.stripe.events.list({ type: 'customer.subscription.updated', limit: 100 })).data;
    const cleared = updates.filter((e) => (e.data.object as Stripe.Subscription).id === subscription.id);
    // The API's update that pinned the card, then the portal's that cleared it.
    assert.equal(cleared.length, 2);
    assert.deepEqual(cleared[0]!.data.previous_attributes, { default_payment_method: other.id });
    assert.match(String(cleared[0]!.request?.id), /^req_/);
    assert.equal(
      updates.filter((e) => (e.data.object as Stripe.Subscription).id === following.id).length,
      0,
      'a subscription without its own default is not touched',
    );
    // The next renewal is charged to the new card: the preview names no card of its own.
    const preview = await f.stripe.invoices.createPreview({ subscription: subscription.id });
    assert.equal(preview.default_payment_method, null);
    await context.close();
  });
});
