import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { fixedClock } from '../../src/core/clock.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { freshStore, type TestStore } from '../support/store.ts';
import { monthlyPrice, utc } from './support.ts';

async function until(check: () => Promise<boolean>, what: string, ms = 60_000): Promise<void> {
  const end = Date.now() + ms;
  while (!(await check())) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/**
 * A pause for a preset duration (chosen in the portal) ends on the real clock through the
 * background worker. Two instances share the database and race for the same pause ends: each
 * subscription resumes once, with one resumption invoice.
 */
describe('pause ends on the real clock, two instances on one database', () => {
  const clock = fixedClock(utc(2027, 1, 1));
  let store: TestStore;
  let a: TestServer;
  let b: TestServer;
  before(async () => {
    store = freshStore();
    a = await startServer({ clock, store, config: { billingPollMs: 20 } });
    b = await startServer({ clock, store, config: { billingPollMs: 20 } });
  });
  after(async () => {
    await a.close();
    await b.close();
    await store.dispose();
  });

  test('each paused subscription resumes once when its pause ends', async () => {
    const stripe = a.stripe();
    const price = await monthlyPrice(stripe, 'Basic', 3000);
    const resumesAt = utc(2027, 1, 15);
    const subs: Stripe.Subscription[] = [];
    for (let i = 0; i < 8; i++) {
      const customer = await stripe.customers.create({ email: `p${i}@example.com` });
      const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
      await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
      const sub = await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
      const paused = await stripe.subscriptions.pause(sub.id);
      // What the portal's pause for a preset duration records beside the pause.
      const row = await a.app.store.read
        .selectFrom('subscriptions')
        .select('account_id')
        .where('id', '=', sub.id)
        .executeTakeFirstOrThrow();
      await a.app.store.write((db) =>
        db
          .insertInto('subscription_pause_ends')
          .values({
            id: sub.id,
            account_id: row.account_id,
            livemode: 0,
            test_clock: '',
            next_action_at: resumesAt,
            paused_at: paused.status_details!.paused!.transitioned_at,
          })
          .execute(),
      );
      subs.push(sub);
    }
    clock.set(resumesAt + 60);
    const resumed = async () => {
      let n = 0;
      for await (const e of stripe.events.list({ type: 'customer.subscription.resumed', limit: 100 })) {
        if (e.type === 'customer.subscription.resumed') n++;
      }
      return n;
    };
    await until(async () => (await resumed()) >= subs.length, 'every subscription to resume');
    await new Promise((r) => setTimeout(r, 200));
    assert.equal(await resumed(), subs.length, 'none resumed twice');
    for (const sub of subs) {
      const now = await b.stripe().subscriptions.retrieve(sub.id);
      assert.equal(now.status, 'active');
      assert.equal(now.items.data[0]!.current_period_start, resumesAt, 'resumed at the end of the pause');
      const invoices = await stripe.invoices.list({ subscription: sub.id, limit: 10 });
      assert.equal(invoices.data.length, 2, 'the first invoice and one resumption invoice');
    }
  });
});
