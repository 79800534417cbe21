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
      business_profile: {
        privacy_policy_url: 'https://example.com/p',
        terms_of_service_url: 'https://example.com/t',
      },
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
    const subscription = await f.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: pro.id }],
    });
    await advance(f.stripe, clock.id, TEN_DAYS_IN);
    if (card !== 'pm_card_visa') {
      const other = await f.stripe.paymentMethods.attach(card, { customer: customer.id });
      await f.stripe.customers.update(customer.id, {
        invoice_settings: { default_payment_method: other.id },
      });
    }
    return { clock, customer, subscription };
  }

  async function session(
    customer: string,
    config: string,
    extra: Partial<Stripe.BillingPortal.SessionCreateParams> = {},
  ) {
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
    assert.match(
      review,
      new RegExp(
        `Your next invoice of \\$${((3000 + rest(3000) - rest(1500)) / 100).toFixed(2)} is on February 15, 2027`,
      ),
    );
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
    const [portalEvent] = (
      await f.stripe.events.list({ type: 'customer.subscription.updated', limit: 100 })
    ).data.filter((e) => (e.data.object as Stripe.Subscription).id === subscription.id);
    assert.deepEqual(itemsOf(portalEvent!.data.object as Stripe.Subscription), [[premium.id, 1]]);
    assert.match(String(portalEvent!.request?.id), /^req_/);
    assert.equal(portalEvent!.request?.idempotency_key, null);
  });

  test('always_invoice charges the difference now; none prorates nothing (JavaScript off)', async () => {
    const always = await configuration({ proration_behavior: 'always_invoice' });
    const a = await subscriber();
    const sa = await session(a.customer.id, always.id);
    const opened = await openPortal(f, sa.url);
    await opened.page.goto(updateUrl(sa, a.subscription.id));
    await choose(opened.page, 'Premium');
    const due = rest(3000) - rest(1500);
    const review = await mainText(opened.page);
    assert.match(review, new RegExp(`Unused time on Pro -\\$${(rest(1500) / 100).toFixed(2)}`));
    assert.match(review, new RegExp(`Remaining time on Premium \\$${(rest(3000) / 100).toFixed(2)}`));
    assert.match(review, new RegExp(`Due today \\$${(due / 100).toFixed(2)}`));
    assert.match(review, /Your next invoice of \$30\.00 is on February 15, 2027/);
    await confirm(opened.page);
    assert.match(opened.page.url(), /notice=subscription_updated/);
    const invoices = await invoicesOf(f.stripe, a.customer.id);
    assert.deepEqual(
      invoices.map((i) => [i.billing_reason, i.status, i.amount_paid]),
      [
        ['subscription_create', 'paid', 1500],
        ['subscription_update', 'paid', due],
      ],
    );
    assert.deepEqual(itemsOf(await retrieve(a.subscription.id)), [[premium.id, 1]]);
    await opened.context.close();

    const none = await configuration({ proration_behavior: 'none' });
    const n = await subscriber();
    const sn = await session(n.customer.id, none.id);
    const noJs = await openPortal(f, sn.url, { javaScript: false });
    await noJs.page.goto(updateUrl(sn, n.subscription.id));
    await choose(noJs.page, 'Premium');
    const plain = await mainText(noJs.page);
    assert.doesNotMatch(plain, /Due today|Unused time/);
    assert.match(plain, /Your next invoice of \$30\.00 is on February 15, 2027/);
    await confirm(noJs.page);
    assert.match(noJs.page.url(), /notice=subscription_updated/);
    assert.deepEqual(itemsOf(await retrieve(n.subscription.id)), [[premium.id, 1]]);
    assert.equal(
      (await f.stripe.invoiceItems.list({ customer: n.customer.id, pending: true })).data.length,
      0,
    );
    await noJs.context.close();
  });

  test('monthly to yearly restarts the cycle now: the year billed, the unused month credited', async () => {
    const config = await configuration();
    const { customer, subscription } = await subscriber();
    const s = await session(customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    await page.goto(updateUrl(s, subscription.id));
    await page.getByRole('link', { name: 'Yearly' }).click();
    assert.match(await mainText(page), /Pro \$150\.00 per year/);
    await choose(page, 'Pro');
    const due = 15000 - rest(1500);
    assert.match(await mainText(page), new RegExp(`Due today \\$${(due / 100).toFixed(2)}`));
    assert.match(await mainText(page), /Your next invoice of \$150\.00 is on January 25, 2028/);
    await confirm(page);
    const after = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(after), [[proYearly.id, 1]]);
    assert.equal(after.items.data[0]!.current_period_start, TEN_DAYS_IN);
    assert.equal(after.items.data[0]!.current_period_end, utc(2028, 1, 25));
    const last = (await invoicesOf(f.stripe, customer.id)).at(-1)!;
    assert.equal(last.amount_paid, due);
    await context.close();
  });

  test('quantity within the limits is applied; outside them the form says so and nothing changes', async () => {
    const config = await configuration({ proration_behavior: 'none' });
    const { customer, subscription } = await subscriber();
    const s = await session(customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    await page.goto(updateUrl(s, subscription.id));
    await choose(page, null, { quantity: '7' });
    assert.match(
      (await page.locator('.error-summary').textContent()) ?? '',
      /Enter a quantity within the allowed range/,
    );
    assert.equal(await page.getByLabel('Quantity').inputValue(), '7');
    await choose(page, null, { quantity: '0' });
    assert.match((await page.locator('.error-summary').textContent()) ?? '', /allowed range/);
    await choose(page, null, { quantity: '3' });
    assert.match(await mainText(page), /New plan Pro \$15\.00 per month · Quantity 3/);
    assert.match(await mainText(page), /Your next invoice of \$45\.00 is on February 15, 2027/);
    await confirm(page);
    assert.deepEqual(itemsOf(await retrieve(subscription.id)), [[pro.id, 3]]);
    await context.close();
  });

  test('promotion codes: a valid one discounts; unknown, inactive, expired and restricted ones are refused', async () => {
    const config = await configuration({ proration_behavior: 'none' });
    const coupon = await f.stripe.coupons.create({ percent_off: 20, duration: 'forever' });
    const { customer, subscription } = await subscriber();
    const other = await f.stripe.customers.create({ email: 'other@example.com' });
    const valid = await f.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'SPRING20',
    });
    const inactive = await f.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'OLD20',
    });
    await f.stripe.promotionCodes.update(inactive.id, { active: false });
    // It expires tomorrow in real time: long before the customer's clock (2027).
    await f.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'BRIEF20',
      expires_at: Math.floor(Date.now() / 1000) + 86_400,
    });
    await f.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'THEIRS20',
      customer: other.id,
    });
    await f.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'WELCOME20',
      restrictions: { first_time_transaction: true },
    });
    const s = await session(customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    await page.goto(updateUrl(s, subscription.id));
    const refusals: [string, RegExp][] = [
      ['NOPE', /This promotion code doesn't exist/],
      ['OLD20', /no longer active/],
      ['BRIEF20', /has expired/],
      ['THEIRS20', /can't be used with your account/],
      ['WELCOME20', /only for first-time customers/],
    ];
    for (const [code, message] of refusals) {
      await choose(page, null, { code });
      assert.match((await page.locator('.error-summary').textContent()) ?? '', message, code);
      assert.equal(await page.getByLabel(/Promotion code/).inputValue(), code);
    }
    assert.equal((await retrieve(subscription.id)).discounts.length, 0);
    await choose(page, null, { code: 'spring20' });
    assert.match(await mainText(page), /Promotion code SPRING20/);
    assert.match(await mainText(page), /Your next invoice of \$12\.00 is on February 15, 2027/);
    await confirm(page);
    const after = await retrieve(subscription.id);
    assert.equal(after.discounts.length, 1);
    const discount = (await f.stripe.events.list({ type: 'customer.discount.created', limit: 5 })).data.find(
      (e) => (e.data.object as Stripe.Discount).subscription === subscription.id,
    );
    assert.equal((discount!.data.object as Stripe.Discount).promotion_code, valid.id);
    const upcoming = await f.stripe.invoices.createPreview({ subscription: subscription.id });
    assert.equal(upcoming.amount_due, 1200);
    await context.close();
  });

  test('a downgrade waits for the period end: shown, cancelled, scheduled again, then applied', async () => {
    const config = await configuration({
      schedule_at_period_end: { conditions: [{ type: 'decreasing_item_amount' }] },
    });
    const { clock, customer, subscription } = await subscriber();
    const s = await session(customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    await page.goto(updateUrl(s, subscription.id));
    await choose(page, 'Basic');
    assert.match(
      await mainText(page),
      /This change takes effect on February 15, 2027, at the end of your current billing period/,
    );
    assert.doesNotMatch(await mainText(page), /Due today/);
    await confirm(page);
    assert.match(page.url(), /notice=update_scheduled/);
    const home = await mainText(page);
    assert.match(home, /Your change has been scheduled/);
    assert.match(home, /Changes to Basic \(\$5\.00 per month\) on February 15, 2027/);
    assert.match(home, /Your next invoice of \$5\.00 is on February 15, 2027/);
    await assertAccessible(page, 'homepage with a scheduled change');
    await screenshots(page, 'update-scheduled-home');
    const held = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(held), [[pro.id, 1]], 'nothing changes before the period end');
    assert.ok(held.schedule);
    const schedule = await f.stripe.subscriptionSchedules.retrieve(String(held.schedule));
    assert.deepEqual(
      schedule.phases.map((p) => [p.start_date, p.items[0]!.price]),
      [
        [START, pro.id],
        [PERIOD_END, basic.id],
      ],
    );

    await page.getByRole('link', { name: /Cancel scheduled update/ }).click();
    assert.match(
      await mainText(page),
      /instead of changing to Basic \(\$5\.00 per month\) on February 15, 2027/,
    );
    await page.getByRole('button', { name: 'Cancel scheduled update' }).click();
    assert.match(await mainText(page), /Your scheduled update has been canceled/);
    assert.doesNotMatch(await mainText(page), /Changes to Basic/);
    assert.equal((await retrieve(subscription.id)).schedule, null);
    assert.equal((await f.stripe.subscriptionSchedules.retrieve(schedule.id)).status, 'released');

    // Scheduled again, then replaced by another downgrade: only the last one waits.
    await page.goto(updateUrl(s, subscription.id));
    await choose(page, 'Basic');
    await confirm(page);
    await page.goto(updateUrl(s, subscription.id));
    assert.match(await mainText(page), /already set to change to Basic/);
    await choose(page, 'Basic');
    assert.match(await mainText(page), /replaces your scheduled change to Basic/);
    await confirm(page);
    const schedules = await f.stripe.subscriptionSchedules.list({ customer: customer.id });
    assert.deepEqual(
      schedules.data.map((x) => x.status),
      ['active', 'released', 'released'],
    );
    // The portal's own pending change does not stop a flow for the subscription (a merchant's would).
    const flow = await session(customer.id, config.id, {
      flow_data: { type: 'subscription_update', subscription_update: { subscription: subscription.id } },
    });
    assert.equal(flow.flow?.subscription_update?.subscription, subscription.id);
    await advance(f.stripe, clock.id, PERIOD_END + 7200);
    const moved = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(moved), [[basic.id, 1]]);
    const renewal = (await invoicesOf(f.stripe, customer.id)).at(-1)!;
    assert.deepEqual([renewal.billing_reason, renewal.amount_paid], ['subscription_cycle', 500]);
    await context.close();
  });

  test('a pending downgrade states the next invoice after the discounts it will carry', async () => {
    const config = await configuration({
      proration_behavior: 'none',
      schedule_at_period_end: { conditions: [{ type: 'decreasing_item_amount' }] },
    });
    // A 20% coupon the subscription keeps: Basic's $5.00 renews at $4.00.
    const twenty = await f.stripe.coupons.create({ percent_off: 20, duration: 'forever' });
    const kept = await subscriber();
    await f.stripe.subscriptions.update(kept.subscription.id, { discounts: [{ coupon: twenty.id }] });
    const s = await session(kept.customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    await page.goto(updateUrl(s, kept.subscription.id));
    await choose(page, 'Basic');
    assert.match(await mainText(page), /Your next invoice of \$4\.00 is on February 15, 2027/);
    await confirm(page);
    assert.match(await mainText(page), /Changes to Basic \(\$5\.00 per month\) on February 15, 2027/);
    assert.match(await mainText(page), /Your next invoice of \$4\.00 is on February 15, 2027/);
    await screenshots(page, 'update-scheduled-discounted-home');
    await advance(f.stripe, kept.clock.id, PERIOD_END + 7200);
    const renewal = (await invoicesOf(f.stripe, kept.customer.id)).at(-1)!;
    assert.deepEqual([renewal.billing_reason, renewal.amount_paid], ['subscription_cycle', 400]);
    await context.close();

    // A code typed with the downgrade replaces it from the period end: half off once, $2.50.
    const half = await f.stripe.coupons.create({ percent_off: 50, duration: 'once' });
    await f.stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: half.id }, code: 'HALFOFF' });
    const typed = await subscriber();
    await f.stripe.subscriptions.update(typed.subscription.id, { discounts: [{ coupon: twenty.id }] });
    const t = await session(typed.customer.id, config.id);
    const opened = await openPortal(f, t.url);
    await opened.page.goto(updateUrl(t, typed.subscription.id));
    await choose(opened.page, 'Basic', { code: 'HALFOFF' });
    assert.match(await mainText(opened.page), /Your next invoice of \$2\.50 is on February 15, 2027/);
    await confirm(opened.page);
    assert.match(await mainText(opened.page), /Your next invoice of \$2\.50 is on February 15, 2027/);
    await advance(f.stripe, typed.clock.id, PERIOD_END + 7200);
    const first = (await invoicesOf(f.stripe, typed.customer.id)).at(-1)!;
    assert.deepEqual([first.billing_reason, first.amount_paid], ['subscription_cycle', 250]);
    await opened.context.close();
  });

  /** A customer on a test clock in a 30-day trial of Pro from Jan 15, ten days in. */
  async function trialing() {
    const clock = await f.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await f.stripe.customers.create({ test_clock: clock.id, email: 'trial@example.com' });
    const pm = await f.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await f.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const subscription = await f.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: pro.id }],
      trial_period_days: 30,
    });
    await advance(f.stripe, clock.id, TEN_DAYS_IN);
    return { clock, customer, subscription };
  }
  const TRIAL_END = utc(2027, 2, 14);

  test('during a trial with continue_trial: the preview says the trial goes on; the plan changes, nothing is charged', async () => {
    const config = await configuration({ trial_update_behavior: 'continue_trial' });
    const { clock, customer, subscription } = await trialing();
    const s = await session(customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    assert.match(await mainText(page), /Your trial ends on February 14, 2027/);
    await page.getByRole('link', { name: /Update subscription/ }).click();
    await choose(page, 'Premium');
    const review = await mainText(page);
    assert.match(review, /Your trial continues until February 14, 2027\. Nothing is charged before then\./);
    assert.doesNotMatch(review, /Due today|Unused time|Remaining time/);
    assert.match(review, /Your next invoice of \$30\.00 is on February 14, 2027/);
    await screenshots(page, 'update-trial-continue');
    await confirm(page);
    assert.match(page.url(), /notice=subscription_updated/);
    const home = await mainText(page);
    assert.match(home, /Premium/);
    assert.match(home, /Your trial ends on February 14, 2027/);
    const after = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(after), [[premium.id, 1]]);
    assert.deepEqual([after.status, after.trial_end], ['trialing', TRIAL_END]);
    assert.deepEqual(
      (await invoicesOf(f.stripe, customer.id)).map((i) => [i.billing_reason, i.amount_due]),
      [['subscription_create', 0]],
    );
    // The trial ends as planned and the new plan is charged then.
    await advance(f.stripe, clock.id, TRIAL_END + 7200);
    const first = (await invoicesOf(f.stripe, customer.id)).at(-1)!;
    assert.deepEqual([first.billing_reason, first.amount_paid], ['subscription_cycle', 3000]);
    assert.equal((await retrieve(subscription.id)).status, 'active');
    await context.close();
  });

  test('during a trial with end_trial: the preview charges the new plan today; the trial ends and it is paid', async () => {
    const config = await configuration({ trial_update_behavior: 'end_trial' });
    const { customer, subscription } = await trialing();
    const s = await session(customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    await page.goto(updateUrl(s, subscription.id));
    await choose(page, 'Premium');
    const review = await mainText(page);
    assert.doesNotMatch(review, /trial continues/);
    assert.match(review, /Due today \$30\.00/);
    assert.doesNotMatch(review, /Unused time/, 'nothing was paid for the trial, so nothing is credited');
    assert.match(review, /Your next invoice of \$30\.00 is on February 25, 2027/);
    await screenshots(page, 'update-trial-end');
    await confirm(page);
    assert.match(page.url(), /notice=subscription_updated/);
    assert.doesNotMatch(await mainText(page), /Your trial ends/);
    const after = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(after), [[premium.id, 1]]);
    assert.deepEqual([after.status, after.trial_end], ['active', TEN_DAYS_IN]);
    assert.equal(after.items.data[0]!.current_period_end, utc(2027, 2, 25));
    const last = (await invoicesOf(f.stripe, customer.id)).at(-1)!;
    assert.deepEqual(
      [last.billing_reason, last.status, last.amount_paid],
      ['subscription_update', 'paid', 3000],
    );
    await context.close();
  });

  test("a pending downgrade does not stop a cancellation, which drops it; a merchant's schedule stops both", async () => {
    const config = await configuration({
      schedule_at_period_end: { conditions: [{ type: 'decreasing_item_amount' }] },
    });
    await f.stripe.billingPortal.configurations.update(config.id, {
      features: { subscription_cancel: { enabled: true, mode: 'at_period_end' } },
    });
    const { customer, subscription } = await subscriber();
    const s = await session(customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    await page.goto(updateUrl(s, subscription.id));
    await choose(page, 'Basic');
    await confirm(page);
    const schedule = String((await retrieve(subscription.id)).schedule);
    await page.getByRole('link', { name: /Cancel subscription/ }).click();
    await page.getByRole('button', { name: 'Cancel subscription' }).click();
    const canceled = await retrieve(subscription.id);
    assert.equal(canceled.cancel_at_period_end, true);
    assert.equal(canceled.schedule, null, 'the pending change goes with the cancellation');
    assert.equal((await f.stripe.subscriptionSchedules.retrieve(schedule)).status, 'released');
    const home = await mainText(page);
    assert.doesNotMatch(home, /Changes to Basic/);
    // Set to cancel: Renew is offered, and no plan change until it is renewed.
    assert.equal(await page.getByRole('link', { name: /Update subscription/ }).count(), 0);
    assert.equal(await page.getByRole('link', { name: /Renew subscription/ }).count(), 1);

    const other = await subscriber();
    await f.stripe.subscriptionSchedules.create({ from_subscription: other.subscription.id });
    const t = await session(other.customer.id, config.id);
    await page.goto(onServer(f.server, t.url));
    assert.equal(await page.getByRole('link', { name: /Update subscription/ }).count(), 0);
    assert.equal(await page.getByRole('link', { name: /Cancel subscription/ }).count(), 0);
    await context.close();
  });

  test('a schedule the portal did not make blocks updates, and says why', async () => {
    const config = await configuration();
    const { customer, subscription } = await subscriber();
    await f.stripe.subscriptionSchedules.create({ from_subscription: subscription.id });
    const s = await session(customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    assert.doesNotMatch(await mainText(page), /Update subscription/);
    const response = await page.goto(updateUrl(s, subscription.id));
    assert.equal(response?.status(), 409);
    assert.match(await mainText(page), /Changes to this subscription are already planned by/);
    await context.close();
  });

  test("another customer's subscription is never reachable, and a tampered price changes nothing", async () => {
    const config = await configuration();
    const mine = await subscriber();
    const theirs = await subscriber();
    const s = await session(mine.customer.id, config.id);
    const { context, page } = await openPortal(f, s.url);
    for (const path of ['', '/review?price=' + premium.id]) {
      const response = await page.goto(`${updateUrl(s, theirs.subscription.id)}${path}`);
      assert.equal(response?.status(), 404, path);
    }
    await page.goto(updateUrl(s, mine.subscription.id));
    await choose(page, 'Premium');
    const token = await page.locator('input[name=_csrf]').inputValue();
    const post = (sub: string, price: string) =>
      page.request.post(`${updateUrl(s, sub)}/review`, {
        form: { _csrf: token, price, quantity: '1' },
        headers: { Origin: f.server.baseUrl },
        maxRedirects: 0,
      });
    assert.equal((await post(theirs.subscription.id, premium.id)).status(), 404);
    const other = await f.stripe.prices.create({
      product_data: { name: 'Hidden' },
      currency: 'usd',
      unit_amount: 1,
      tax_behavior: 'exclusive',
      recurring: { interval: 'month' },
    });
    assert.equal((await post(mine.subscription.id, other.id)).status(), 404);
    assert.deepEqual(itemsOf(await retrieve(theirs.subscription.id)), [[pro.id, 1]]);
    assert.deepEqual(itemsOf(await retrieve(mine.subscription.id)), [[pro.id, 1]]);
    await context.close();
  });

  test('a declined charge at confirmation changes nothing and says so; a promotion code with 3D Secure asks for another card', async () => {
    const config = await configuration({ proration_behavior: 'always_invoice' });
    const coupon = await f.stripe.coupons.create({ percent_off: 10, duration: 'forever' });
    await f.stripe.promotionCodes.create({
      promotion: { type: 'coupon', coupon: coupon.id },
      code: 'TENOFF',
    });
    // A pending update cannot hold a discount: with a code, a challenge is refused as a decline is.
    for (const [card, message, code] of [
      ['pm_card_chargeCustomerFail', /Your card was declined/, undefined],
      ['pm_card_authenticationRequired', /confirm the payment with your bank/, 'TENOFF'],
    ] as const) {
      const { customer, subscription } = await subscriber(card);
      const s = await session(customer.id, config.id);
      const { context, page } = await openPortal(f, s.url);
      await page.goto(updateUrl(s, subscription.id));
      await choose(page, 'Premium', { code });
      await confirm(page);
      const text = await mainText(page);
      assert.match(text, message, card);
      assert.match(text, /Your plan has not been changed/);
      await assertAccessible(page, `refused payment (${card})`);
      const after = await retrieve(subscription.id);
      assert.deepEqual(itemsOf(after), [[pro.id, 1]]);
      assert.equal(after.pending_update, null);
      assert.equal(after.discounts.length, 0, card);
      assert.deepEqual(
        (await invoicesOf(f.stripe, customer.id)).map((i) => i.billing_reason),
        ['subscription_create'],
        'no invoice is left behind',
      );
      if (card === 'pm_card_chargeCustomerFail') {
        // Another card as the default, then "Try again" goes through.
        const visa = await f.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
        await f.stripe.customers.update(customer.id, {
          invoice_settings: { default_payment_method: visa.id },
        });
        await page.getByRole('button', { name: 'Try again' }).click();
        assert.match(page.url(), /notice=subscription_updated/);
        assert.deepEqual(itemsOf(await retrieve(subscription.id)), [[premium.id, 1]]);
      }
      await context.close();
    }
  });

  test('the update flows end as after_completion says; an ended target gets an explanatory page', async () => {
    const config = await configuration({ proration_behavior: 'none' });
    const completions: Stripe.BillingPortal.SessionCreateParams.FlowData.AfterCompletion[] = [
      { type: 'hosted_confirmation', hosted_confirmation: { custom_message: 'Thanks for upgrading!' } },
      { type: 'portal_homepage' },
      { type: 'redirect', redirect: { return_url: 'https://example.com/done' } },
    ];
    for (const kind of ['subscription_update', 'subscription_update_confirm'] as const) {
      for (const after of completions) {
        const { customer, subscription } = await subscriber();
        const flow_data: Stripe.BillingPortal.SessionCreateParams.FlowData =
          kind === 'subscription_update'
            ? { type: kind, after_completion: after, subscription_update: { subscription: subscription.id } }
            : {
                type: kind,
                after_completion: after,
                subscription_update_confirm: {
                  subscription: subscription.id,
                  items: [{ id: subscription.items.data[0]!.id, price: premium.id }],
                },
              };
        const s = await session(customer.id, config.id, { flow_data });
        const { context, page } = await openPortal(f, s.url);
        const what = `${kind} / ${after.type}`;
        assert.equal(await page.locator('a.business').count(), 0, `${what}: no navigation`);
        if (kind === 'subscription_update') {
          assert.match(page.url(), /\/update$/, what);
          await choose(page, 'Premium');
        } else {
          assert.match(page.url(), /\/update\/review$/, what);
          assert.equal(
            await page.getByRole('link', { name: /Back/ }).count(),
            0,
            `${what}: nothing to go back to`,
          );
        }
        assert.match(await mainText(page), /New plan Premium \$30\.00 per month/, what);
        if (after.type === 'redirect') {
          await context.route('https://example.com/**', (route) =>
            route.fulfill({ status: 200, contentType: 'text/html', body: '<title>Merchant</title>done' }),
          );
        }
        await confirm(page);
        if (after.type === 'hosted_confirmation') {
          assert.match(
            await mainText(page),
            /Your subscription has been updated.*Thanks for upgrading!/,
            what,
          );
        } else if (after.type === 'portal_homepage') {
          assert.match(page.url(), /notice=subscription_updated/, what);
        } else {
          await page.waitForURL('https://example.com/done');
        }
        assert.deepEqual(itemsOf(await retrieve(subscription.id)), [[premium.id, 1]], what);
        await context.close();
      }
    }

    // The flow's subscription is canceled before the customer opens the link.
    const { customer, subscription } = await subscriber();
    const s = await session(customer.id, config.id, {
      flow_data: { type: 'subscription_update', subscription_update: { subscription: subscription.id } },
    });
    await f.stripe.subscriptions.cancel(subscription.id);
    const context = await f.browser.newContext();
    const page = await context.newPage();
    await page.goto(onServer(f.server, s.url));
    assert.match(
      await mainText(page),
      /Only active subscriptions and subscriptions in a trial can be changed/,
    );
    assert.ok(
      await page
        .getByRole('link', { name: /Return to/ })
        .first()
        .isVisible(),
      'the return link',
    );
    assert.equal(await page.locator('a.business').count(), 0, 'no navigation');
    await context.close();
  });
});

describe('the hosted portal: several items, with PORTICO_PORTAL_MULTI_ITEM_UPDATES', () => {
  let f: PortalFixture;
  before(async () => {
    f = await portalFixture({ config: { portalMultiItemUpdates: true } });
  });
  after(() => f.close());

  test('each item is updatable on its own; the others stay as they are', async () => {
    const monthly = (name: string, amount: number) =>
      f.stripe.prices.create({
        product_data: { name },
        currency: 'usd',
        unit_amount: amount,
        tax_behavior: 'exclusive',
        recurring: { interval: 'month' },
      });
    const seats = await monthly('Seats', 1000);
    const storage = await monthly('Storage', 200);
    const moreStorage = await monthly('Storage Plus', 500);
    // A yearly price cannot sit beside monthly items: it is not offered.
    const yearly = await f.stripe.prices.create({
      product: String(storage.product),
      currency: 'usd',
      unit_amount: 2000,
      tax_behavior: 'exclusive',
      recurring: { interval: 'year' },
    });
    const config = await f.stripe.billingPortal.configurations.create({
      features: {
        payment_method_update: { enabled: true },
        subscription_update: {
          enabled: true,
          default_allowed_updates: ['price', 'quantity'],
          proration_behavior: 'none',
          products: [
            {
              product: String(seats.product),
              prices: [seats.id],
              adjustable_quantity: { enabled: true, minimum: 1, maximum: 50 },
            },
            { product: String(storage.product), prices: [storage.id, yearly.id] },
            { product: String(moreStorage.product), prices: [moreStorage.id] },
          ],
        },
      },
    });
    const customer = await f.stripe.customers.create({ email: 'team@example.com' });
    const pm = await f.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await f.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
    const sub = await f.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: seats.id, quantity: 3 }, { price: storage.id }],
    });
    const s = await f.stripe.billingPortal.sessions.create({
      customer: customer.id,
      configuration: config.id,
    });
    const { context, page } = await openPortal(f, s.url);
    await page.getByRole('link', { name: /Update subscription/ }).click();
    const url = `${f.server.baseUrl}/p/${s.id}/subscriptions/${sub.id}/update`;
    assert.match(await mainText(page), /Seats.*Storage.*Choose a plan Seats Current plan \$10\.00 per month/);
    await page.getByLabel('Quantity').fill('8');
    await page.getByRole('button', { name: 'Review change' }).click();
    assert.match(await mainText(page), /New plan Seats \$10\.00 per month · Quantity 8/);
    await page.getByRole('button', { name: 'Confirm change' }).click();
    const storageItem = sub.items.data.find((i) => i.price.id === storage.id)!;
    await page.goto(`${url}?item=${storageItem.id}`);
    const choices = await mainText(page);
    assert.doesNotMatch(choices, /Yearly|\$20\.00/, 'no yearly price beside monthly items');
    await page.getByRole('radio', { name: /Storage Plus/ }).check();
    await page.getByRole('button', { name: 'Review change' }).click();
    await page.getByRole('button', { name: 'Confirm change' }).click();
    assert.match(page.url(), /notice=subscription_updated/);
    const after = await f.stripe.subscriptions.retrieve(sub.id);
    assert.deepEqual(
      after.items.data.map((i) => [i.price.id, i.quantity]).sort(),
      [
        [moreStorage.id, 1],
        [seats.id, 8],
      ].sort(),
    );
    await context.close();
  });
});
