import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { fixedClock } from '../../src/core/clock.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { freshStore, type TestStore } from '../support/store.ts';
import { monthlyPrice, utc } from './support.ts';

// Generous: the worker polls on the real clock, and a suite running browsers beside it can slow it down.
async function until(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * Customers without a test clock are billed by the background worker on the real clock. Two
 * Portico instances share one database and one (injected) clock, and race for the same renewals:
 * each period is billed exactly once.
 */
describe('the billing worker on the real clock, two instances on one database', () => {
  const clock = fixedClock(utc(2027, 1, 1));
  let store: TestStore;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    store = freshStore();
    const config = { billingPollMs: 20 };
    a = await startServer({ clock, store, config });
    b = await startServer({ clock, store, config });
  });
  after(async () => {
    await a.close();
    await b.close();
    await store.dispose();
  });

  test('renewals, finalization and payment happen once per period', async () => {
    const stripe = a.stripe();
    const price = await monthlyPrice(stripe, 'Basic', 3000);
    const subs: Stripe.Subscription[] = [];
    for (let i = 0; i < 12; i++) {
      const customer = await stripe.customers.create({ email: `c${i}@example.com` });
      const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
      await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
      subs.push(await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }));
    }
    const paidRenewals = async () => {
      let n = 0;
      for await (const invoice of stripe.invoices.list({ status: 'paid', limit: 100 })) {
        if (invoice.billing_reason === 'subscription_cycle') n++;
      }
      return n;
    };
    // Two months pass: each subscription renews on 1 Feb and 1 Mar, its drafts finalize an hour later.
    clock.set(utc(2027, 3, 1) + 2 * 3600);
    await until(async () => (await paidRenewals()) >= 24, '24 paid renewals');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await paidRenewals(), 24, 'no period billed twice');
    for (const sub of subs) {
      const invoices = await stripe.invoices.list({ subscription: sub.id, limit: 10 });
      const periods = invoices.data.map((i) => i.period_start).sort();
      assert.deepEqual(periods, [utc(2027, 1, 1), utc(2027, 2, 1), utc(2027, 3, 1)]);
      const renewed = await b.stripe().subscriptions.retrieve(sub.id);
      assert.equal(renewed.items.data[0]!.current_period_end, utc(2027, 4, 1));
      assert.equal(renewed.status, 'active');
    }
    const created = await stripe.invoices.list({ subscription: subs[0]!.id, limit: 1 });
    assert.equal(
      created.data[0]!.created,
      utc(2027, 3, 1),
      'dated on the period boundary, not when the worker ran',
    );
    assert.equal(created.data[0]!.status_transitions.finalized_at, utc(2027, 3, 1) + 3600);
  });
});

describe('the billing worker and a piece of work it cannot do', () => {
  const clock = fixedClock(utc(2027, 1, 1));
  let server: TestServer;
  before(async () => {
    server = await startServer({ clock, config: { billingPollMs: 20 } });
  });
  after(() => server.close());

  test('a failing subscription is put off for an hour; the others still renew', async () => {
    const stripe = server.stripe();
    const price = await monthlyPrice(stripe, 'Basic', 3000);
    const subs: Stripe.Subscription[] = [];
    for (let i = 0; i < 2; i++) {
      const customer = await stripe.customers.create({});
      const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
      await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
      subs.push(await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] }));
    }
    // Damage one subscription's stored object so that renewing it throws.
    await server.app.store.write((db) =>
      db
        .updateTable('subscriptions')
        .set({ data: '{"id":"broken"}' })
        .where('id', '=', subs[0]!.id)
        .execute(),
    );
    clock.set(utc(2027, 2, 1) + 2 * 3600);
    const nextAction = async () =>
      (
        await server.app.store.read
          .selectFrom('subscriptions')
          .select('next_action_at')
          .where('id', '=', subs[0]!.id)
          .executeTakeFirstOrThrow()
      ).next_action_at;
    // Put off an hour at a time until it is no longer due (it fails each time it is tried).
    await until(
      async () => Number(await nextAction()) > clock.now(),
      'the broken subscription to be put off',
    );
    assert.equal((Number(await nextAction()) - utc(2027, 2, 1)) % 3600, 0);
    await until(
      async () => (await stripe.invoices.list({ subscription: subs[1]!.id })).data.length === 2,
      'the other to renew',
    );
    const renewal = (await stripe.invoices.list({ subscription: subs[1]!.id, limit: 1 })).data[0]!;
    assert.equal(renewal.status, 'paid');
  });
});
