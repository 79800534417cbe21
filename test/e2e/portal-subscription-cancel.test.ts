import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
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

describe('the hosted portal: cancel, retention, reasons and renew', () => {
  let f: PortalFixture;
  /** Cancel at the period end, with reasons and a custom feedback option. */
  let atPeriodEnd: Configuration;
  /** Cancel now, crediting the unused time. */
  let prorating: Configuration;
  /** Cancel now, crediting nothing. */
  let plain: Configuration;
  let feedback: Stripe.Billing.FeedbackOption;
  let monthly: Stripe.Price;
  const jan1 = utc(2027, 1, 1);
  const jan16 = utc(2027, 1, 16);

  before(async () => {
    f = await portalFixture();
    feedback = await f.stripe.billing.feedbackOptions.create({ description: 'Moving to a team plan' });
    const retired = await f.stripe.billing.feedbackOptions.create({ description: 'Retired reason' });
    atPeriodEnd = await fullConfiguration(f.stripe, {
      features: {
        invoice_history: { enabled: true },
        payment_method_update: { enabled: true },
        subscription_cancel: {
          enabled: true,
          mode: 'at_period_end',
          cancellation_reason: {
            enabled: true,
            options: ['too_expensive', 'missing_features', 'other'],
            feedback_options: [feedback.id, retired.id],
          },
        },
      },
    });
    await f.stripe.billing.feedbackOptions.deactivate(retired.id);
    const immediately = (proration_behavior: 'none' | 'create_prorations') =>
      fullConfiguration(f.stripe, {
        features: {
          invoice_history: { enabled: true },
          subscription_cancel: { enabled: true, mode: 'immediately', proration_behavior },
        },
      });
    prorating = await immediately('create_prorations');
    plain = await immediately('none');
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

  const subscription = (id: string) => f.stripe.subscriptions.retrieve(id);

  async function eventsOf(subscriptionId: string): Promise<Stripe.Event[]> {
    const all: Stripe.Event[] = [];
    for await (const event of f.stripe.events.list({ limit: 100 })) {
      const object = event.data.object as { id?: string; subscription?: string };
      if (object.id === subscriptionId && event.type.startsWith('customer.subscription.')) all.push(event);
    }
    return all.reverse();
  }

  test('at the period end, with a custom reason and a comment; then renewed', async () => {
    const { customer, subscription: sub } = await seedCustomer(f.stripe);
    const s = await session(customer.id, atPeriodEnd);
    const { context, page } = await openPortal(f, s.url);
    await page.getByRole('link', { name: /Cancel subscription/ }).click();
    const end = sub.items.data[0]!.current_period_end;
    const endText = new Date(end * 1000).toLocaleDateString('en-US', {
      month: 'long',
      day: 'numeric',
      year: 'numeric',
      timeZone: 'UTC',
    });
    assert.match(await mainText(page), new RegExp(`at the end of the current billing period, on ${endText}`));
    await assertAccessible(page, 'cancel page');
    await screenshots(page, 'cancel-at-period-end');
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    assert.match(page.url(), /\/cancel\/reason$/);
    assert.match(await mainText(page), new RegExp(`will be canceled on ${endText}`));
    const text = await mainText(page);
    assert.match(text, /It's too expensive.*I need more features.*Other reason.*Moving to a team plan/);
    assert.doesNotMatch(text, /Retired reason/, 'a deactivated feedback option is not offered');
    await assertAccessible(page, 'reasons page');
    await screenshots(page, 'cancel-reasons');
    await page.getByLabel('Moving to a team plan').check();
    await page.getByLabel(/Anything else/).fill('We grew to five people.');
    await page.getByRole('button', { name: 'Send feedback' }).click();
    assert.match(page.url(), /\/\?notice=cancel_scheduled$/);
    assert.match(await mainText(page), /set to be canceled at the end of the billing period/);
    const canceled = await subscription(sub.id);
    assert.equal(canceled.status, 'active', 'it keeps running until the period ends');
    assert.equal(canceled.cancel_at_period_end, true);
    assert.deepEqual(canceled.cancellation_details, {
      comment: 'We grew to five people.',
      feedback: null,
      feedback_option: feedback.id,
      reason: 'cancellation_requested',
    });

    await page.getByRole('link', { name: /Renew subscription/ }).click();
    assert.match(await mainText(page), new RegExp(`set to be canceled on ${endText}`));
    await assertAccessible(page, 'renew page');
    await screenshots(page, 'renew');
    await page.getByRole('button', { name: 'Renew subscription' }).click();
    assert.match(page.url(), /\/\?notice=subscription_renewed$/);
    assert.match(await mainText(page), /Your subscription has been renewed/);
    const renewed = await subscription(sub.id);
    assert.equal(renewed.cancel_at_period_end, false);
    assert.equal(renewed.cancellation_details?.reason, null);
    assert.deepEqual(
      (await eventsOf(sub.id)).map((e) => e.type),
      [
        'customer.subscription.created',
        'customer.subscription.updated',
        'customer.subscription.updated',
        'customer.subscription.updated',
      ],
    );
    await context.close();
  });

  test('with JavaScript off: cancel, choose a reason, and the renew page is offered', async () => {
    const { customer, subscription: sub } = await seedCustomer(f.stripe);
    const s = await session(customer.id, atPeriodEnd);
    const { context, page } = await openPortal(f, s.url, { javaScript: false });
    await page.getByRole('link', { name: /Cancel subscription/ }).click();
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    await page.getByLabel("It's too expensive").check();
    await page.getByRole('button', { name: 'Send feedback' }).click();
    assert.match(page.url(), /\/\?notice=cancel_scheduled$/);
    assert.equal(await page.getByRole('link', { name: /Renew subscription/ }).count(), 1);
    assert.equal(await page.getByRole('link', { name: /Cancel subscription/ }).count(), 0);
    const canceled = await subscription(sub.id);
    assert.equal(canceled.cancellation_details?.feedback, 'too_expensive');
    assert.equal(canceled.cancel_at_period_end, true);
    await context.close();
  });

  test('immediately with proration: the credit is shown before confirming, then lands on the balance', async () => {
    const { customer, sub } = await clockSubscription();
    const s = await session(customer.id, prorating);
    const { context, page } = await openPortal(f, s.url);
    await page.getByRole('link', { name: /Cancel subscription/ }).click();
    const text = await mainText(page);
    assert.match(text, /will be canceled immediately/);
    assert.match(text, /You will receive a credit of \$15\.48 for the unused time/);
    await screenshots(page, 'cancel-immediately-credit');
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    assert.match(page.url(), /\/\?notice=subscription_canceled$/);
    assert.match(await mainText(page), /Your subscription has been canceled/);
    const canceled = await subscription(sub.id);
    assert.equal(canceled.status, 'canceled');
    assert.equal(canceled.ended_at, jan16);
    assert.equal(canceled.cancellation_details?.reason, 'cancellation_requested');
    const invoices = await invoicesOf(f.stripe, customer.id);
    assert.equal(invoices.at(-1)!.total, -1548);
    assert.equal(((await f.stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance, -1548);
    await context.close();
  });

  test('immediately without proration: nothing is credited, and the page says so', async () => {
    const { customer, sub } = await clockSubscription();
    const s = await session(customer.id, plain);
    const { context, page } = await openPortal(f, s.url);
    await page.getByRole('link', { name: /Cancel subscription/ }).click();
    assert.match(await mainText(page), /unused time of the current billing period is not refunded/);
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    assert.equal((await subscription(sub.id)).status, 'canceled');
    assert.equal(((await f.stripe.customers.retrieve(customer.id)) as Stripe.Customer).balance, 0);
    assert.equal((await invoicesOf(f.stripe, customer.id)).length, 1, 'no final invoice');
    await context.close();
  });

  test('a portal cancellation emits what the same change through the API emits', async () => {
    const portal = await clockSubscription();
    const api = await clockSubscription();
    const s = await session(portal.customer.id, prorating);
    const { context, page } = await openPortal(f, s.url);
    await page.getByRole('link', { name: /Cancel subscription/ }).click();
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    await f.stripe.subscriptions.cancel(api.sub.id, { prorate: true, invoice_now: true });
    const shape = (events: Stripe.Event[]) =>
      events.map((e) => {
        const sub = e.data.object as Stripe.Subscription;
        return [e.type, sub.status, sub.cancel_at_period_end, sub.cancellation_details?.reason];
      });
    const fromPortal = await eventsOf(portal.sub.id);
    assert.deepEqual(shape(fromPortal), shape(await eventsOf(api.sub.id)));
    assert.match(String(fromPortal.at(-1)!.request?.id), /^req_/, 'the event names the portal request');
    const types = async (customer: string) => {
      const all: string[] = [];
      for await (const e of f.stripe.events.list({ limit: 100 })) {
        const object = e.data.object as { customer?: string };
        if (object.customer === customer && e.type.startsWith('invoice.')) all.push(e.type);
      }
      return all.sort();
    };
    assert.deepEqual(await types(portal.customer.id), await types(api.customer.id));
    await context.close();
  });

  describe('the subscription_cancel flow', () => {
    let coupon: Stripe.Coupon;
    before(async () => {
      coupon = await f.stripe.coupons.create({
        percent_off: 20,
        duration: 'repeating',
        duration_in_months: 3,
      });
    });

    const flow = (
      sub: string,
      after: Stripe.BillingPortal.SessionCreateParams.FlowData.AfterCompletion,
      retention = true,
    ) => ({
      flow_data: {
        type: 'subscription_cancel' as const,
        subscription_cancel: {
          subscription: sub,
          ...(retention
            ? { retention: { type: 'coupon_offer' as const, coupon_offer: { coupon: coupon.id } } }
            : {}),
        },
        after_completion: after,
      },
    });

    test('retention accepted: the coupon is applied, nothing is canceled, and it is not offered again', async () => {
      const { customer, subscription: sub } = await seedCustomer(f.stripe);
      const s = await session(customer.id, atPeriodEnd, flow(sub.id, { type: 'hosted_confirmation' }));
      const { context, page } = await openPortal(f, s.url);
      assert.match(page.url(), new RegExp(`/subscriptions/${sub.id}/cancel$`));
      assert.match(await mainText(page), /Stay with us and get 20% off for the next 3 months/);
      assert.equal(await page.getByRole('link', { name: /Billing|overview/ }).count(), 0, 'no navigation');
      await assertAccessible(page, 'retention offer');
      await screenshots(page, 'retention-offer');
      await page.getByRole('button', { name: 'Accept offer' }).click();
      assert.match(page.url(), /\/flow\/complete\?outcome=retention_accepted$/);
      assert.match(await mainText(page), /Your discount has been applied/);
      const kept = await f.stripe.subscriptions.retrieve(sub.id, { expand: ['discounts'] });
      assert.equal(kept.status, 'active');
      assert.equal(kept.cancel_at_period_end, false);
      assert.deepEqual(
        (kept.discounts as Stripe.Discount[]).map((d) => d.source.coupon),
        [coupon.id],
      );
      // A second session with the same offer goes straight to the confirmation.
      const again = await session(customer.id, atPeriodEnd, flow(sub.id, { type: 'hosted_confirmation' }));
      const second = await openPortal(f, again.url);
      assert.doesNotMatch(await mainText(second.page), /Stay with us/);
      assert.equal(await second.page.getByRole('button', { name: 'Cancel subscription' }).count(), 1);
      await second.context.close();
      await context.close();
    });

    test('retention declined: the cancellation goes on, reasons may be skipped; hosted confirmation', async () => {
      const { customer, subscription: sub } = await seedCustomer(f.stripe);
      const s = await session(
        customer.id,
        atPeriodEnd,
        flow(sub.id, {
          type: 'hosted_confirmation',
          hosted_confirmation: { custom_message: 'See you soon.' },
        }),
      );
      const { context, page } = await openPortal(f, s.url);
      await page.getByRole('button', { name: 'No thanks, continue canceling' }).click();
      assert.match(page.url(), new RegExp(`/subscriptions/${sub.id}/cancel$`));
      await page.getByRole('button', { name: 'Cancel subscription' }).click();
      await page.getByRole('button', { name: 'Skip' }).click();
      assert.match(page.url(), /\/flow\/complete$/);
      const text = await mainText(page);
      assert.match(text, /Your subscription has been canceled/);
      assert.match(text, /Studio plan|Pro plan/);
      assert.match(text, /Your subscription will be canceled on/);
      assert.match(text, /See you soon\./);
      await assertAccessible(page, 'flow confirmation');
      const canceled = await subscription(sub.id);
      assert.equal(canceled.cancel_at_period_end, true);
      assert.deepEqual(canceled.discounts, [], 'no coupon');
      assert.equal(canceled.cancellation_details?.feedback, null, 'reasons skipped');
      await context.close();
    });

    test('after_completion redirect: the last form answers with a 303 to the merchant', async () => {
      const { customer, subscription: sub } = await seedCustomer(f.stripe);
      const s = await session(
        customer.id,
        plain,
        flow(sub.id, { type: 'redirect', redirect: { return_url: 'https://example.com/cancelled' } }, false),
      );
      const { context, page } = await openPortal(f, s.url);
      await context.route('https://example.com/**', (route) =>
        route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Merchant</title>done' }),
      );
      await page.getByRole('button', { name: 'Cancel subscription' }).click();
      await page.waitForURL('https://example.com/cancelled');
      assert.equal((await subscription(sub.id)).status, 'canceled');
      await context.close();
    });

    test('after_completion portal_homepage: the homepage with its notice', async () => {
      const { customer, subscription: sub } = await seedCustomer(f.stripe);
      const s = await session(customer.id, plain, flow(sub.id, { type: 'portal_homepage' }, false));
      const { context, page } = await openPortal(f, s.url);
      await page.getByRole('button', { name: 'Cancel subscription' }).click();
      assert.match(page.url(), /\/\?notice=subscription_canceled$/);
      assert.match(await mainText(page), /Your subscription has been canceled/);
      // From now on the whole portal, with its navigation, in the same session (contract §4).
      assert.equal(await page.locator('body.is-flow').count(), 0);
      await page.reload();
      assert.equal(await page.locator('body.is-flow').count(), 0);
      assert.equal(await page.locator('a.business').getAttribute('href'), `/p/${s.id}/`);
      await context.close();
    });

    test('a subscription canceled before the visit: an explanation, the return link, no navigation', async () => {
      const { customer, subscription: sub } = await seedCustomer(f.stripe);
      const s = await session(customer.id, atPeriodEnd, flow(sub.id, { type: 'hosted_confirmation' }));
      await f.stripe.subscriptions.cancel(sub.id);
      const context = await f.browser.newContext();
      const page = await context.newPage();
      const response = await page.goto(onServer(f.server, s.url));
      assert.equal(response?.status(), 409);
      const text = await mainText(page);
      assert.match(text, /This subscription can't be changed here/);
      assert.match(text, /already ended/);
      assert.equal(
        await page
          .getByRole('link', { name: /Return to/ })
          .first()
          .getAttribute('href'),
        'https://example.com/account',
      );
      assert.equal(await page.getByRole('button').count(), 0);
      await assertAccessible(page, 'unavailable page');
      await screenshots(page, 'cancel-unavailable');
      await context.close();
    });
  });

  async function csrfOf(page: Page): Promise<string> {
    return (await page.locator('input[name="_csrf"]').first().getAttribute('value'))!;
  }

  test("another customer's or another account's subscription is never reachable, and a post without a token changes nothing", async () => {
    const mine = await seedCustomer(f.stripe);
    const other = await seedCustomer(f.stripe);
    const connected = await f.stripe.accounts.create({ type: 'custom' } as Stripe.AccountCreateParams);
    const s = await session(mine.customer.id, atPeriodEnd);
    const { context, page } = await openPortal(f, s.url);
    await page.getByRole('link', { name: /Cancel subscription/ }).click();
    const token = await csrfOf(page);
    const base = `${f.server.baseUrl}/p/${s.id}/subscriptions`;
    for (const action of ['cancel', 'renew', 'cancel/reason', 'pause', 'resume']) {
      const view = await page.request.get(`${base}/${other.subscription.id}/${action}`);
      assert.equal(view.status(), 404, `GET ${action}`);
      const post = await page.request.post(`${base}/${other.subscription.id}/${action}`, {
        form: { _csrf: token, reason: 'other', duration: 'indefinite' },
      });
      assert.equal(post.status(), 404, `POST ${action}`);
    }
    const retention = await page.request.post(`${base}/${other.subscription.id}/retention`, {
      form: { _csrf: token, answer: 'accept' },
    });
    assert.equal(retention.status(), 404);
    const forged = await page.request.post(`${base}/${mine.subscription.id}/cancel`, { form: {} });
    assert.equal(forged.status(), 403);
    assert.equal((await subscription(other.subscription.id)).cancel_at_period_end, false);
    assert.equal((await subscription(mine.subscription.id)).cancel_at_period_end, false);

    // A session on behalf of a connected account sees none of the customer's other subscriptions.
    const scoped = await session(mine.customer.id, atPeriodEnd, { on_behalf_of: connected.id });
    const opened = await openPortal(f, scoped.url);
    assert.equal(await opened.page.getByRole('link', { name: /Cancel subscription/ }).count(), 0);
    const hidden = await opened.page.goto(
      `${f.server.baseUrl}/p/${scoped.id}/subscriptions/${mine.subscription.id}/cancel`,
    );
    assert.equal(hidden?.status(), 404);
    await opened.context.close();
    await context.close();
  });
});
