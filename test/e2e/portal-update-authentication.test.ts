import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import type Stripe from 'stripe';
import { advance, invoicesOf, utc } from '../scenarios/support.ts';
import {
  assertAccessible,
  mainText,
  openPortal,
  type PortalFixture,
  portalFixture,
  screenshots,
} from './support.ts';

const START = utc(2027, 1, 15);
/** Ten days into the first period (Jan 15 – Feb 15, 31 days): 21 days remain. */
const TEN_DAYS_IN = utc(2027, 1, 25);
const rest = (amount: number) => Math.round((amount * 21) / 31);
/** What switching Pro ($15) for Premium ($30) ten days in charges now with always_invoice. */
const DUE = rest(3000) - rest(1500);
const dollars = (amount: number) => `\\$${(amount / 100).toFixed(2)}`;

describe('the hosted portal: a plan change whose payment asks for 3D Secure', () => {
  let f: PortalFixture;
  let pro: Stripe.Price;
  let premium: Stripe.Price;
  let config: Stripe.BillingPortal.Configuration;

  before(async () => {
    f = await portalFixture();
    const price = (name: string, amount: number) =>
      f.stripe.prices.create({
        product_data: { name },
        currency: 'usd',
        unit_amount: amount,
        tax_behavior: 'exclusive',
        recurring: { interval: 'month' },
      });
    pro = await price('Pro', 1500);
    premium = await price('Premium', 3000);
    config = await f.stripe.billingPortal.configurations.create({
      business_profile: {
        privacy_policy_url: 'https://example.com/p',
        terms_of_service_url: 'https://example.com/t',
      },
      features: {
        payment_method_update: { enabled: true },
        invoice_history: { enabled: true },
        subscription_update: {
          enabled: true,
          default_allowed_updates: ['price'],
          proration_behavior: 'always_invoice',
          products: [
            { product: String(pro.product), prices: [pro.id] },
            { product: String(premium.product), prices: [premium.id] },
          ],
        },
      },
    });
  });
  after(() => f.close());

  /** A customer on a test clock subscribed to Pro on Jan 15, ten days in, now paying with `card`. */
  async function subscriber(card: string, extra: Partial<Stripe.CustomerCreateParams> = {}) {
    const clock = await f.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await f.stripe.customers.create({
      test_clock: clock.id,
      email: 'ada@example.com',
      ...extra,
    });
    const visa = await f.stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await f.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: visa.id } });
    const subscription = await f.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: pro.id }],
    });
    await advance(f.stripe, clock.id, TEN_DAYS_IN);
    const other = await f.stripe.paymentMethods.attach(card, { customer: customer.id });
    await f.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: other.id } });
    return { clock, customer, subscription };
  }

  const session = (customer: string, extra: Partial<Stripe.BillingPortal.SessionCreateParams> = {}) =>
    f.stripe.billingPortal.sessions.create({
      customer,
      configuration: config.id,
      return_url: 'https://example.com/account',
      ...extra,
    });

  const updateUrl = (s: Stripe.BillingPortal.Session, sub: string) =>
    `${f.server.baseUrl}/p/${s.id}/subscriptions/${sub}/update`;

  /** Chooses Premium and confirms, as a customer would (the button names follow the page's language). */
  async function switchToPremium(page: Page, s: Stripe.BillingPortal.Session, sub: string, german = false) {
    await page.goto(updateUrl(s, sub));
    await page.getByRole('radio', { name: /Premium/ }).check();
    await page.getByRole('button', { name: german ? 'Änderung prüfen' : 'Review change' }).click();
    await page.getByRole('button', { name: german ? 'Änderung bestätigen' : 'Confirm change' }).click();
  }

  const retrieve = (id: string) => f.stripe.subscriptions.retrieve(id);
  const itemsOf = (sub: Stripe.Subscription) => sub.items.data.map((i) => [i.price.id, i.quantity]);
  const lastInvoice = async (customer: string) => (await invoicesOf(f.stripe, customer)).at(-1)!;

  /** Event types about a customer's objects, oldest first (sessions left out). */
  async function eventsAbout(customer: string): Promise<string[]> {
    const events = await f.stripe.events.list({ limit: 100 });
    return events.data
      .filter((e) => (e.data.object as { customer?: string }).customer === customer)
      .filter((e) => e.type !== 'billing_portal.session.created')
      .map((e) => e.type)
      .reverse();
  }

  test('completing the challenge pays the invoice and the change applies, with the events the engine emits', async () => {
    const { customer, subscription } = await subscriber('pm_card_authenticationRequired');
    const s = await session(customer.id);
    const { context, page } = await openPortal(f, s.url);
    const before = (await eventsAbout(customer.id)).length;
    await switchToPremium(page, s, subscription.id);
    assert.match(page.url(), new RegExp(`/subscriptions/${subscription.id}/update/authenticate$`));
    const challenge = await mainText(page);
    assert.match(challenge, /Confirm it's you/);
    assert.match(challenge, new RegExp(dollars(DUE)));
    assert.match(challenge, /ending in 3184/);
    await assertAccessible(page, 'the plan change challenge');
    await screenshots(page, 'update-3ds-challenge');

    // Waiting: the subscription is as it was, the change pending, its invoice open.
    const waiting = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(waiting), [[pro.id, 1]]);
    assert.ok(waiting.pending_update);
    assert.deepEqual(
      waiting.pending_update.subscription_items?.map((i) => i.price.id),
      [premium.id],
    );
    const open = await lastInvoice(customer.id);
    assert.deepEqual(
      [open.billing_reason, open.status, open.amount_due],
      ['subscription_update', 'open', DUE],
    );
    assert.equal(open.id, waiting.latest_invoice);

    await page.getByRole('button', { name: 'Complete authentication' }).click();
    assert.match(page.url(), /\/\?notice=subscription_updated$/);
    assert.match(await mainText(page), /Your subscription has been updated/);
    const updated = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(updated), [[premium.id, 1]]);
    assert.equal(updated.pending_update, null);
    const paid = await f.stripe.invoices.retrieve(open.id!);
    assert.deepEqual([paid.status, paid.amount_paid, paid.attempt_count], ['paid', DUE, 1]);
    const events = (await eventsAbout(customer.id)).slice(before);
    assert.deepEqual(
      events.filter((e) => e.startsWith('customer.subscription.')),
      [
        'customer.subscription.updated',
        'customer.subscription.pending_update_applied',
        'customer.subscription.updated',
      ],
    );
    assert.ok(events.includes('invoice.payment_action_required'));
    assert.ok(events.includes('invoice.paid'));
    await context.close();
  });

  test('failing the challenge, without JavaScript: the change is not made, said in the customer’s language; Try again can succeed', async () => {
    const { customer, subscription } = await subscriber('pm_card_authenticationRequired', {
      preferred_locales: ['de'],
    });
    const s = await session(customer.id);
    const { context, page } = await openPortal(f, s.url, { javaScript: false, locale: 'de-DE' });
    await switchToPremium(page, s, subscription.id, true);
    assert.match(page.url(), /\/update\/authenticate$/);
    await page.getByRole('button', { name: 'Authentifizierung fehlschlagen lassen' }).click();
    const text = await mainText(page);
    assert.match(text, /Ihre Karte konnte nicht bestätigt werden/);
    assert.match(text, /Ihr Tarif wurde nicht geändert/);
    assert.match(text, /Neuer Tarif Premium/, 'the same change is shown again');
    await screenshots(page, 'update-3ds-failed-de');

    const after = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(after), [[pro.id, 1]]);
    assert.equal(after.pending_update, null, 'the change is withdrawn');
    const failed = await lastInvoice(customer.id);
    assert.deepEqual([failed.billing_reason, failed.status], ['subscription_update', 'void']);
    assert.equal((await f.stripe.invoices.list({ customer: customer.id, status: 'open' })).data.length, 0);

    // "Try again" asks again; this time the customer completes it.
    await page.getByRole('button', { name: 'Erneut versuchen' }).click();
    assert.match(page.url(), /\/update\/authenticate$/);
    await page.getByRole('button', { name: 'Authentifizierung abschließen' }).click();
    assert.match(page.url(), /notice=subscription_updated/);
    assert.deepEqual(itemsOf(await retrieve(subscription.id)), [[premium.id, 1]]);
    assert.deepEqual(
      (await invoicesOf(f.stripe, customer.id)).map((i) => [i.billing_reason, i.status]),
      [
        ['subscription_create', 'paid'],
        ['subscription_update', 'void'],
        ['subscription_update', 'paid'],
      ],
    );
    await context.close();
  });

  test('authenticated, then declined: the decline is shown and nothing changes', async () => {
    const { customer, subscription } = await subscriber(
      'pm_card_authenticationRequiredChargeDeclinedInsufficientFunds',
    );
    const s = await session(customer.id);
    const { context, page } = await openPortal(f, s.url);
    await switchToPremium(page, s, subscription.id);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    const text = await mainText(page);
    assert.match(text, /Your card has insufficient funds/);
    assert.match(text, /Your plan has not been changed/);
    await assertAccessible(page, 'a decline after the challenge');
    await screenshots(page, 'update-3ds-declined');
    const after = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(after), [[pro.id, 1]]);
    assert.equal(after.pending_update, null);
    assert.equal(after.status, 'active');
    const invoice = await lastInvoice(customer.id);
    assert.equal(invoice.status, 'void');
    const intent = (await f.stripe.paymentIntents.list({ customer: customer.id, limit: 1 })).data[0]!;
    assert.equal(intent.last_payment_error?.decline_code, 'insufficient_funds');
    // The challenge is answered: its page leads back to choosing a plan.
    await page.goto(`${updateUrl(s, subscription.id)}/authenticate`);
    assert.equal(page.url(), updateUrl(s, subscription.id));
    await context.close();
  });

  test('an abandoned challenge: the change waits, a new confirmation replaces it, and it lapses after 23 hours', async () => {
    const { clock, customer, subscription } = await subscriber('pm_card_authenticationRequired');
    const s = await session(customer.id);
    const { context, page } = await openPortal(f, s.url);
    await switchToPremium(page, s, subscription.id);
    assert.match(page.url(), /\/update\/authenticate$/);
    // The customer leaves the challenge and comes back to confirm again: one change waits.
    await switchToPremium(page, s, subscription.id);
    assert.match(page.url(), /\/update\/authenticate$/);
    const invoices = await invoicesOf(f.stripe, customer.id);
    assert.deepEqual(
      invoices.map((i) => i.status),
      ['paid', 'void', 'open'],
    );
    await page.goto(`${f.server.baseUrl}/p/${s.id}/`);
    assert.match(await mainText(page), /Pro/);
    const waiting = await retrieve(subscription.id);
    assert.ok(waiting.pending_update);
    assert.equal(waiting.pending_update.expires_at, TEN_DAYS_IN + 23 * 3600);

    await advance(f.stripe, clock.id, TEN_DAYS_IN + 24 * 3600);
    const lapsed = await retrieve(subscription.id);
    assert.equal(lapsed.pending_update, null);
    assert.deepEqual(itemsOf(lapsed), [[pro.id, 1]]);
    assert.equal(lapsed.status, 'active');
    assert.equal((await lastInvoice(customer.id)).status, 'void');
    assert.ok((await eventsAbout(customer.id)).includes('customer.subscription.pending_update_expired'));
    await context.close();
    // Nothing waits any more: the challenge page (in a new session) leads back to choosing.
    const later = await session(customer.id);
    const again = await openPortal(f, later.url);
    await again.page.goto(`${updateUrl(later, subscription.id)}/authenticate`);
    assert.equal(again.page.url(), updateUrl(later, subscription.id));
    await again.context.close();
  });

  test('ending a trial with the change: the trial stays until the challenge is completed', async () => {
    const clock = await f.stripe.testHelpers.testClocks.create({ frozen_time: START });
    const customer = await f.stripe.customers.create({ test_clock: clock.id, email: 'trial@example.com' });
    const card = await f.stripe.paymentMethods.attach('pm_card_authenticationRequired', {
      customer: customer.id,
    });
    await f.stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
    const subscription = await f.stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: pro.id }],
      trial_period_days: 30,
    });
    await advance(f.stripe, clock.id, TEN_DAYS_IN);
    const s = await session(customer.id);
    const { context, page } = await openPortal(f, s.url);
    await switchToPremium(page, s, subscription.id);
    assert.match(await mainText(page), /\$30\.00/);
    const waiting = await retrieve(subscription.id);
    assert.deepEqual([waiting.status, waiting.trial_end], ['trialing', utc(2027, 2, 14)]);
    assert.equal(waiting.pending_update?.trial_end, TEN_DAYS_IN);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    assert.match(page.url(), /notice=subscription_updated/);
    const after = await retrieve(subscription.id);
    assert.deepEqual(itemsOf(after), [[premium.id, 1]]);
    assert.deepEqual([after.status, after.trial_end, after.pending_update], ['active', TEN_DAYS_IN, null]);
    assert.equal(
      after.items.data[0]!.current_period_end,
      utc(2027, 2, 25),
      'the cycle restarts with the charge',
    );
    const last = await lastInvoice(customer.id);
    assert.deepEqual([last.status, last.amount_paid], ['paid', 3000]);
    await context.close();
  });

  test('in a subscription_update_confirm flow, success ends as after_completion says', async () => {
    const { customer, subscription } = await subscriber('pm_card_authenticationRequired');
    const s = await session(customer.id, {
      flow_data: {
        type: 'subscription_update_confirm',
        after_completion: {
          type: 'hosted_confirmation',
          hosted_confirmation: { custom_message: 'Welcome to Premium!' },
        },
        subscription_update_confirm: {
          subscription: subscription.id,
          items: [{ id: subscription.items.data[0]!.id, price: premium.id }],
        },
      },
    });
    const { context, page } = await openPortal(f, s.url);
    await page.getByRole('button', { name: 'Confirm change' }).click();
    assert.match(page.url(), /\/update\/authenticate$/);
    await page.getByRole('button', { name: 'Complete authentication' }).click();
    assert.match(await mainText(page), /Your subscription has been updated.*Welcome to Premium!/);
    assert.deepEqual(itemsOf(await retrieve(subscription.id)), [[premium.id, 1]]);
    await context.close();
  });
});
