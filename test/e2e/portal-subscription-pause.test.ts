import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { advance, clockCustomer, invoicesOf, utc } from '../scenarios/support.ts';
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

type Configuration = Stripe.BillingPortal.Configuration;

describe('the hosted portal: pause and resume', () => {
  let f: PortalFixture;
  let indefinite: Configuration;
  let preset: Configuration;
  let monthly: Stripe.Price;
  const jan1 = utc(2027, 1, 1);
  const jan16 = utc(2027, 1, 16);
  const feb16 = utc(2027, 2, 16);

  before(async () => {
    f = await portalFixture();
    const pausing = (
      duration: Stripe.BillingPortal.ConfigurationCreateParams.Features.SubscriptionPause.Duration,
    ) =>
      fullConfiguration(f.stripe, {
        features: {
          invoice_history: { enabled: true },
          subscription_cancel: { enabled: true },
          subscription_pause: { enabled: true, duration },
        },
      });
    indefinite = await pausing({ type: 'indefinite' });
    preset = await pausing({
      type: 'interval_options',
      interval_options: [
        { interval: 'month', interval_count: 1 },
        { interval: 'week', interval_count: 2 },
      ],
    });
    monthly = await f.stripe.prices.create({
      currency: 'usd',
      unit_amount: 3000,
      recurring: { interval: 'month' },
      product_data: { name: 'Studio plan' },
    });
  });
  after(() => f.close());

  const session = (customer: string, configuration: Configuration, extra = {}) =>
    f.stripe.billingPortal.sessions.create({
      customer,
      configuration: configuration.id,
      return_url: 'https://example.com/account',
      ...extra,
    });

  /** A customer on a test clock at Jan 1 2027, subscribed to $30.00 a month, on Jan 16. */
  async function clockSubscription() {
    const { clock, customer } = await clockCustomer(f.stripe, jan1);
    const sub = await f.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: monthly.id }],
    });
    await advance(f.stripe, clock.id, jan16);
    return { clock, customer, sub };
  }

  async function eventTypes(subscriptionId: string): Promise<string[]> {
    const all: string[] = [];
    for await (const event of f.stripe.events.list({ limit: 100 })) {
      const object = event.data.object as { id?: string };
      if (object.id === subscriptionId && /paused|resumed/.test(event.type)) all.push(event.type);
    }
    return all.reverse();
  }

  test('indefinitely: paused until the customer presses Resume, which bills a new period at once', async () => {
    const { customer, sub } = await clockSubscription();
    const s = await session(customer.id, indefinite);
    const { context, page } = await openPortal(f, s.url);
    await page.getByRole('link', { name: /Pause subscription/ }).click();
    assert.match(await mainText(page), /Until I resume it/);
    await assertAccessible(page, 'pause page');
    await screenshots(page, 'pause-indefinite');
    await page.getByRole('button', { name: 'Pause subscription' }).click();
    assert.match(page.url(), /\/\?notice=subscription_paused$/);
    const text = await mainText(page);
    assert.match(text, /Your subscription has been paused/);
    assert.match(text, /Your subscription is paused\. You will not be charged until it resumes/);
    assert.equal(await page.getByRole('link', { name: /Cancel subscription/ }).count(), 1);
    assert.equal((await f.stripe.subscriptions.retrieve(sub.id)).status, 'paused');
    assert.deepEqual(await eventTypes(sub.id), ['customer.subscription.paused']);

    await page.getByRole('link', { name: /Resume subscription/ }).click();
    await assertAccessible(page, 'resume page');
    await screenshots(page, 'resume');
    await page.getByRole('button', { name: 'Resume subscription' }).click();
    assert.match(page.url(), /\/\?notice=subscription_resumed$/);
    const resumed = await f.stripe.subscriptions.retrieve(sub.id);
    assert.equal(resumed.status, 'active');
    assert.equal(resumed.items.data[0]!.current_period_start, jan16, 'a new period from now');
    // The new period ($30.00) less the unused half of January credited at the pause ($15.48).
    const last = (await invoicesOf(f.stripe, customer.id)).at(-1)!;
    assert.equal(last.total, 1452);
    assert.equal(last.status, 'paid');
    assert.deepEqual(await eventTypes(sub.id), [
      'customer.subscription.paused',
      'customer.subscription.resumed',
    ]);
    await context.close();
  });

  test('for a preset month: billing resumes by itself when the test clock passes the end, once', async () => {
    const { clock, customer, sub } = await clockSubscription();
    const s = await session(customer.id, preset);
    const { context, page } = await openPortal(f, s.url);
    await page.getByRole('link', { name: /Pause subscription/ }).click();
    const text = await mainText(page);
    assert.match(text, /For 1 month Billing resumes on February 16, 2027\./);
    assert.match(text, /For 2 weeks Billing resumes on January 30, 2027\./);
    await screenshots(page, 'pause-preset');
    await page.getByLabel(/For 1 month/).check();
    await page.getByRole('button', { name: 'Pause subscription' }).click();
    assert.match(await mainText(page), /paused until February 16, 2027/);
    await advance(f.stripe, clock.id, feb16 - 3600);
    assert.equal((await f.stripe.subscriptions.retrieve(sub.id)).status, 'paused', 'not before its end');
    await advance(f.stripe, clock.id, feb16 + 3600);
    const resumed = await f.stripe.subscriptions.retrieve(sub.id);
    assert.equal(resumed.status, 'active');
    assert.equal(resumed.items.data[0]!.current_period_start, feb16);
    const last = (await invoicesOf(f.stripe, customer.id)).at(-1)!;
    assert.equal(last.total, 1452);
    assert.equal(last.created, feb16);
    await advance(f.stripe, clock.id, feb16 + 10 * 86_400);
    assert.deepEqual(await eventTypes(sub.id), [
      'customer.subscription.paused',
      'customer.subscription.resumed',
    ]);
    await context.close();
  });

  test('resumed early: the preset end then does nothing more', async () => {
    const { clock, customer, sub } = await clockSubscription();
    const s = await session(customer.id, preset);
    const { context, page } = await openPortal(f, s.url);
    await page.goto(`${f.server.baseUrl}/p/${s.id}/subscriptions/${sub.id}/pause`);
    await page.getByLabel(/For 2 weeks/).check();
    await page.getByRole('button', { name: 'Pause subscription' }).click();
    await page.getByRole('link', { name: /Resume subscription/ }).click();
    assert.match(await mainText(page), /paused until January 30, 2027/);
    await page.getByRole('button', { name: 'Resume subscription' }).click();
    assert.equal((await f.stripe.subscriptions.retrieve(sub.id)).status, 'active');
    await f.stripe.subscriptions.pause(sub.id);
    await advance(f.stripe, clock.id, utc(2027, 2, 1));
    assert.equal(
      (await f.stripe.subscriptions.retrieve(sub.id)).status,
      'paused',
      'a later pause is not ended by the first one’s date',
    );
    await context.close();
  });

  describe('the subscription_pause flow', () => {
    const flow = (sub: string, after: Stripe.BillingPortal.SessionCreateParams.FlowData.AfterCompletion) => ({
      flow_data: {
        type: 'subscription_pause' as const,
        subscription_pause: { subscription: sub },
        after_completion: after,
      },
    });

    test('hosted_confirmation: the pause page opens, then a confirmation with the resume date', async () => {
      const { customer, sub } = await clockSubscription();
      const s = await session(customer.id, preset, flow(sub.id, { type: 'hosted_confirmation' }));
      const { context, page } = await openPortal(f, s.url);
      assert.match(page.url(), new RegExp(`/subscriptions/${sub.id}/pause$`));
      await page.getByRole('button', { name: 'Pause subscription' }).click();
      assert.match(page.url(), /\/flow\/complete$/);
      const text = await mainText(page);
      assert.match(text, /Your subscription has been paused/);
      assert.match(text, /paused until February 16, 2027/);
      await assertAccessible(page, 'pause confirmation');
      await screenshots(page, 'pause-flow-complete');
      await context.close();
    });

    test('redirect: a 303 to the merchant', async () => {
      const { customer, subscription: sub } = await seedCustomer(f.stripe);
      const s = await session(
        customer.id,
        indefinite,
        flow(sub.id, { type: 'redirect', redirect: { return_url: 'https://example.com/paused' } }),
      );
      const { context, page } = await openPortal(f, s.url);
      await context.route('https://example.com/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Merchant</title>done' }),
      );
      await page.getByRole('button', { name: 'Pause subscription' }).click();
      await page.waitForURL('https://example.com/paused');
      assert.equal((await f.stripe.subscriptions.retrieve(sub.id)).status, 'paused');
      await context.close();
    });

    test('portal_homepage: the homepage with its notice', async () => {
      const { customer, subscription: sub } = await seedCustomer(f.stripe);
      const s = await session(customer.id, indefinite, flow(sub.id, { type: 'portal_homepage' }));
      const { context, page } = await openPortal(f, s.url);
      await page.getByRole('button', { name: 'Pause subscription' }).click();
      assert.match(page.url(), /\/\?notice=subscription_paused$/);
      await context.close();
    });

    test('a subscription paused before the visit: an explanation and the return link', async () => {
      const { customer, subscription: sub } = await seedCustomer(f.stripe);
      const s = await session(customer.id, indefinite, flow(sub.id, { type: 'hosted_confirmation' }));
      await f.stripe.subscriptions.pause(sub.id);
      const context = await f.browser.newContext();
      const page = await context.newPage();
      const response = await page.goto(onServer(f.server, s.url));
      assert.equal(response?.status(), 409);
      assert.match(await mainText(page), /This change isn't available for this subscription/);
      assert.equal((await page.getByRole('link', { name: /Return to/ }).count()) > 0, true);
      await context.close();
    });
  });

  test('a duration the configuration does not offer is refused and nothing is paused', async () => {
    const { customer, subscription: sub } = await seedCustomer(f.stripe);
    const s = await session(customer.id, preset);
    const { context, page } = await openPortal(f, s.url);
    await page.goto(`${f.server.baseUrl}/p/${s.id}/subscriptions/${sub.id}/pause`);
    const token = (await page.locator('input[name="_csrf"]').first().getAttribute('value'))!;
    const refused = await page.request.post(`${f.server.baseUrl}/p/${s.id}/subscriptions/${sub.id}/pause`, {
      form: { _csrf: token, duration: 'indefinite' },
    });
    assert.equal(refused.status(), 400);
    assert.match(await refused.text(), /Choose how long to pause your subscription/);
    assert.equal((await f.stripe.subscriptions.retrieve(sub.id)).status, 'active');
    await context.close();
  });
});
