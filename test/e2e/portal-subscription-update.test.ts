import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type Stripe from 'stripe';
import { advance, invoicesOf, utc } from '../scenarios/support.ts';
import {
  assertAccessible,
  mainText,
  onServer,
  openPortal,
  type PortalFixture,
  portalFixture,
  screenshots,
} from './support.ts';

type UpdateFeature = Stripe.BillingPortal.ConfigurationCreateParams.Features.SubscriptionUpdate;

const START = utc(2027, 1, 15);
/** Ten days into the first period (Jan 15 – Feb 15, 31 days): 21 days remain. */
const TEN_DAYS_IN = utc(2027, 1, 25);
const PERIOD_END = utc(2027, 2, 15);
/** What is left of a monthly amount after ten days, as the engine prorates it. */
const rest = (amount: number) => Math.round((amount * 21) / 31);

describe('the hosted portal: switching plans', () => {
  let f: PortalFixture;
  let pro: Stripe.Price;
  let proYearly: Stripe.Price;
  let premium: Stripe.Price;
  let basic: Stripe.Price;

  before(async () => {
    f = await portalFixture();
    const price = (product: string, amount: number, interval: 'month' | 'year') =>
      f.stripe.prices.create({
        product,
        currency: 'usd',
        unit_amount: amount,
        tax_behavior: 'exclusive',
        recurring: { interval },
      });
    const proProduct = await f.stripe.products.create({ name: 'Pro', description: 'For growing teams' });
    const premiumProduct = await f.stripe.products.create({ name: 'Premium', description: 'Everything' });
    const basicProduct = await f.stripe.products.create({ name: 'Basic' });
    pro = await price(proProduct.id, 1500, 'month');
    proYearly = await price(proProduct.id, 15000, 'year');
    premium = await price(premiumProduct.id, 3000, 'month');
    basic = await price(basicProduct.id, 500, 'month');
  });
  after(() => f.close());

  /** A configuration switching between the three products, with the given update settings. */
  function configuration(update: Partial<UpdateFeature> = {}) {
    return f.stripe.billingPortal.configurations.create({
      business_profile: { privacy_policy_url: 'https://example.com/p', terms_of_service_url: 'https://example.com/t' },
      features: {
        payment_method_update: { enabled: true },
        invoice_history: { enabled: true },
        subscription_update: {
          enabled: true,
          default_allowed_updates: ['price', 'quantity', 'promotion_code'],
          proration_behavior: 'create_prorations',
          products: [
            {
              product: String(pro.product),
              prices: [pro.id, proYearly.id],
              adjustable_quantity: { enabled: true, minimum: 1, maximum: 5 },
            },
            { product: String(premium.product), prices: [premium.id] },
            { product: String(basic.product), prices: [basic.id] },
          ],
          ...update,
        },
      },
    });
  }

  /** A customer on a test clock with a Visa card, subscribed to Pro on Jan 15, now ten days in. */
  async function subscriber(card = 'pm_card_visa') {
    const clock = await f.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await f.stripe.customers.create({ test_clock: clock.id, email: 'ada@example.com' });
    const pm = await f.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await f.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const subscription = await f.stripe.subscriptions.create({ customer: customer.id, items: [{ price: pro.id }] });
    await advance(f.stripe, clock.id, TEN_DAYS_IN);
    if (card !== 'pm_card_visa') {
      const other = await f.stripe.paymentMethods.attach(card, { customer: customer.id });
      await f.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: other.id } });
    }
    return { clock, customer, subscription };
  }

  async function session(customer: string, config: string, extra: Partial<Stripe.BillingPortal.SessionCreateParams> = {}) {
    return f.stripe.billingPortal.sessions.create({
      customer,
      configuration: config,
      return_url: 'https://example.com/account',
      ...extra,
    });
  }

  const updateUrl = (s: Stripe.BillingPortal.Session, sub: string) =>
    `${f.server.baseUrl}/p/${s.id}/subscriptions/${sub}/update`;

  /** Picks a plan (and a quantity or code) on the plan page and goes on to the review. */
  async function choose(page: Page, plan: string | null, extra: { quantity?: string; code?: string } = {}) {
    if (plan) await page.getByRole('radio', { name: new RegExp(plan) }).check();
    if (extra.quantity !== undefined) await page.getByLabel('Quantity').fill(extra.quantity);
    if (extra.code !== undefined) await page.getByLabel(/Promotion code/).fill(extra.code);
    await page.getByRole('button', { name: 'Review change' }).click();
  }

  const confirm = (page: Page) => page.getByRole('button', { name: 'Confirm change' }).click();
  const retrieve = (id: string) => f.stripe.subscriptions.retrieve(id);
  const itemsOf = (sub: Stripe.Subscription) => sub.items.data.map((i) => [i.price.id, i.quantity]);

  /** Event types about one subscription (and its invoices and items), oldest first. */
  async function eventsAbout(customer: string): Promise<string[]> {
    const events = await f.stripe.events.list({ limit: 100 });
    return events.data
      .filter((e) => (e.data.object as { customer?: string }).customer === customer)
      .filter((e) => e.type !== 'billing_portal.session.created')
      .map((e) => e.type)
      .reverse();
  }

  test('an upgrade with create_prorations: plan page, preview, confirm; the same events as the API', async () => {
    const config = await configuration();
    const { customer, subscription } = await subscriber();
    const s = await session(customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    await page.getByRole('link', { name: /Update subscription/ }).click();
    assert.equal(page.url(), updateUrl(s, subscription.id));
    const plans = await mainText(page);
    assert.match(plans, /Monthly.*Yearly/, 'a monthly/yearly choice, as both exist');
    assert.match(plans, /Pro Current plan \$15\.00 per month For growing teams/);
    assert.match(plans, /Premium \$30\.00 per month Everything/);
    assert.doesNotMatch(plans, /\$150\.00/, 'the yearly price shows under Yearly');
    await assertAccessible(page, 'plan page');
    await screenshots(page, 'update-plan');
    await choose(page, 'Premium');
    const review = await mainText(page);
    assert.match(review, /Current plan Pro \$15\.00 per month New plan Premium \$30\.00 per month/);
    assert.match(review, new RegExp(`Your next invoice of \\$${((3000 + rest(3000) - rest(1500)) / 100).toFixed(2)} is on February 15, 2027`));
    assert.doesNotMatch(review, /Due today/, 'create_prorations invoices nothing now');
    await assertAccessible(page, 'review page');
    await screenshots(page, 'update-review');
    await confirm(page);
    assert.match(page.url(), /\/\?notice=subscription_updated$/);
    assert.match(await mainText(page), /Your subscription has been updated/);
    const after = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(after), [[premium.id, 1]]);
    const pending = await f.stripe.invoiceItems.list({ customer: customer.id, pending: true });
    assert.deepEqual(
      pending.data.map((i) => i.amount).sort((a, b) => a - b),
      [-rest(1500), rest(3000)],
    );
    await context.close();

    // The same change through the API on a twin subscription emits the same events.
    const twin = await subscriber();
    await f.stripe.subscriptions.update(twin.subscription.id, {
      items: [{ id: twin.subscription.items.data[0]!.id, price: premium.id, quantity: 1 }],
      proration_behavior: 'create_prorations',
    });
    assert.deepEqual(await eventsAbout(customer.id), await eventsAbout(twin.customer.id));
    const [portalEvent] = (await f.stripe.events.list({ type: 'customer.subscription.updated', limit: 100 })).data.filter(
      (e) => (e.data.object as Stripe.Subscription).id === subscription.id,
    );
    assert.deepEqual(itemsOf(portalEvent!.data.object as Stripe.Subscription), [[premium.id, 1]]);
    assert.match(String(portalEvent!.request?.id), /^req_/);
    assert.equal(portalEvent!.request?.idempotency_key, null);
  });
});
