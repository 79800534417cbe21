import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import {
  openSession,
  pruneExpiredSessions,
  type SessionVisit,
} from '../../src/billing/portal/sessions/lifetime.ts';
import { fixedClock } from '../../src/core/clock.ts';
import { startServer, type TestServer } from '../support/server.ts';

const MINUTE = 60;
const HOUR = 3600;

describe('billing portal session lifetime', () => {
  let server: TestServer;
  let stripe: Stripe;
  const clock = fixedClock(1_800_000_000);
  let customer: Stripe.Customer;
  let config: Stripe.BillingPortal.Configuration;

  const secretOf = (session: Stripe.BillingPortal.Session) => session.url.split('/').pop()!;
  const visit = (session: Stripe.BillingPortal.Session | string): Promise<SessionVisit> =>
    openSession(server.app.operations, typeof session === 'string' ? session : secretOf(session));
  before(async () => {
    server = await startServer({ clock });
    stripe = server.stripe();
    customer = await stripe.customers.create({ email: 'life@example.com' });
    config = await stripe.billingPortal.configurations.create({
      features: { invoice_history: { enabled: true } },
      default_return_url: 'https://example.com',
    });
  });
  after(() => server.close());

  test('an unvisited session expires after 5 minutes', async () => {
    const late = await stripe.billingPortal.sessions.create({ customer: customer.id });
    const early = await stripe.billingPortal.sessions.create({ customer: customer.id, locale: 'fr' });
    clock.advance(5 * MINUTE - 1);
    const opened = await visit(early);
    assert.equal(opened.status, 'open');
    if (opened.status !== 'open') return;
    // What the hosted page needs comes back with it, in the session's account and mode.
    assert.equal(opened.session.id, early.id);
    assert.equal(opened.session.customer, customer.id);
    assert.equal(opened.session.configuration, config.id);
    assert.equal(opened.session.locale, 'fr');
    assert.equal(opened.session.return_url, 'https://example.com');
    assert.deepEqual(opened.scope, { accountId: server.app.boot.accountId, livemode: false });
    // An hour, plus the minute within which later visits are not written (lifetime.ts).
    assert.equal(opened.expiresAt, clock.now() + HOUR + MINUTE);
    clock.advance(1);
    const expired = await visit(late);
    assert.equal(expired.status, 'expired');
    assert.equal(expired.status === 'expired' && expired.recoverable, false);
  });

  test('a visited session lasts an hour after the latest activity, up to 24 hours in all', async () => {
    const session = await stripe.billingPortal.sessions.create({ customer: customer.id });
    clock.advance(MINUTE);
    assert.equal((await visit(session)).status, 'open');
    clock.advance(HOUR - 1);
    assert.equal((await visit(session)).status, 'open');
    // Each visit moves the hour on; keep the session busy until the cap.
    for (let t = HOUR + MINUTE - 1; t + 50 * MINUTE < 24 * HOUR; t += 50 * MINUTE) {
      clock.advance(50 * MINUTE);
      const seen = await visit(session);
      assert.equal(seen.status, 'open', `visited after ${t + 50 * MINUTE} s`);
      if (seen.status === 'open')
        assert.equal(seen.expiresAt, Math.min(clock.now() + HOUR + MINUTE, session.created + 24 * HOUR));
    }
    clock.set(session.created + 24 * HOUR);
    assert.equal((await visit(session)).status, 'expired');

    const idle = await stripe.billingPortal.sessions.create({ customer: customer.id });
    assert.equal((await visit(idle)).status, 'open');
    clock.advance(HOUR + MINUTE);
    assert.equal((await visit(idle)).status, 'expired');
  });

  test('visits within a minute of the recorded one are not written, and the hour still runs from the latest', async () => {
    const session = await stripe.billingPortal.sessions.create({ customer: customer.id });
    const first = await visit(session);
    clock.advance(MINUTE - 1);
    const second = await visit(session);
    // Not written: the expiry stays where the first visit put it, which is past the latest visit's hour.
    assert.equal(second.status === 'open' && second.expiresAt, first.status === 'open' && first.expiresAt);
    assert.equal(second.status === 'open' && second.expiresAt >= clock.now() + HOUR, true);
    // It ends an hour and a second after the latest visit (within the minute's allowance).
    clock.advance(HOUR + 1);
    assert.equal((await visit(session)).status, 'expired');
    // A visit a minute or more after the recorded one moves the hour on.
    const busy = await stripe.billingPortal.sessions.create({ customer: customer.id });
    await visit(busy);
    clock.advance(MINUTE);
    const later = await visit(busy);
    assert.equal(later.status === 'open' && later.expiresAt, clock.now() + HOUR + MINUTE);
    clock.advance(HOUR);
    assert.equal((await visit(busy)).status, 'open');
  });

  test('unknown secrets are unknown; expired sessions with after_expiration can be recovered until the deadline', async () => {
    assert.deepEqual(await visit('test_doesnotexist'), { status: 'unknown' });
    const session = await stripe.billingPortal.sessions.create({ customer: customer.id });
    assert.deepEqual(await visit(`${secretOf(session)}x`), { status: 'unknown' });

    const open = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      after_expiration: { type: 'customer_login' },
    });
    const dated = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      after_expiration: { type: 'customer_login', customer_login: { expires_at: clock.now() + HOUR } },
    });
    clock.advance(10 * MINUTE);
    const recoverable = await visit(dated);
    assert.equal(recoverable.status, 'expired');
    assert.equal(recoverable.status === 'expired' && recoverable.recoverable, true);
    clock.advance(HOUR);
    const late = await visit(dated);
    assert.equal(late.status === 'expired' && late.recoverable, false);
    const noDeadline = await visit(open);
    assert.equal(noDeadline.status === 'expired' && noDeadline.recoverable, true);
  });

  test("sessions live on the customer's test clock", async () => {
    const start = clock.now() - 30 * 86_400;
    const testClock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const onClock = await stripe.customers.create({ test_clock: testClock.id });
    const session = await stripe.billingPortal.sessions.create({ customer: onClock.id });
    // Dated on the clock, which is a month behind the server.
    assert.equal(session.created, start);
    const other = await stripe.billingPortal.sessions.create({ customer: onClock.id });
    const advance = async (seconds: number) => {
      const now = (await stripe.testHelpers.testClocks.retrieve(testClock.id)).frozen_time;
      await stripe.testHelpers.testClocks.advance(testClock.id, { frozen_time: now + seconds });
    };
    // The server clock runs on; the session only notices the test clock.
    clock.advance(HOUR);
    const opened = await visit(session);
    assert.equal(opened.status, 'open');
    assert.equal(opened.status === 'open' && opened.expiresAt, start + HOUR + MINUTE);
    await advance(59 * MINUTE);
    assert.equal((await visit(session)).status, 'open');
    await advance(HOUR + MINUTE);
    assert.equal((await visit(session)).status, 'expired');
    // Never visited, it expired five minutes after it was made, on the clock.
    assert.equal((await visit(other)).status, 'expired');
  });

  test('a session whose customer was deleted is expired and cannot be recovered', async () => {
    const leaving = await stripe.customers.create({});
    const session = await stripe.billingPortal.sessions.create({
      customer: leaving.id,
      after_expiration: { type: 'customer_login' },
    });
    await stripe.customers.del(leaving.id);
    assert.deepEqual(
      [(await visit(session)).status, ((await visit(session)) as { recoverable?: boolean }).recoverable],
      ['expired', false],
    );
  });
});

describe('the expired session sweep', () => {
  let server: TestServer;
  let stripe: Stripe;
  const clock = fixedClock(1_800_000_000);
  before(async () => {
    server = await startServer({ clock });
    stripe = server.stripe();
    await stripe.billingPortal.configurations.create({ features: { invoice_history: { enabled: true } } });
  });
  after(() => server.close());

  const prune = () => server.app.store.write((db) => pruneExpiredSessions(db, clock));
  const remaining = async () =>
    (await server.app.store.db.selectFrom('billing_portal_sessions').select('id').execute())
      .map((r) => r.id)
      .sort();

  test('keeps expired sessions a day, recoverable ones until their deadline, each on its own clock', async () => {
    const start = clock.now();
    const customer = await stripe.customers.create({});
    const plain = await stripe.billingPortal.sessions.create({ customer: customer.id });
    const dated = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      after_expiration: { type: 'customer_login', customer_login: { expires_at: start + 3 * 86_400 } },
    });
    const forever = await stripe.billingPortal.sessions.create({
      customer: customer.id,
      after_expiration: { type: 'customer_login' },
    });
    const testClock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const onClock = await stripe.customers.create({ test_clock: testClock.id });
    const clocked = await stripe.billingPortal.sessions.create({ customer: onClock.id });
    const leaving = await stripe.customers.create({});
    const orphan = await stripe.billingPortal.sessions.create({ customer: leaving.id });
    await stripe.customers.del(leaving.id);

    const all = [plain.id, dated.id, forever.id, clocked.id].sort();
    // The deleted customer's session goes at once; the others are not due.
    assert.equal(await prune(), 1);
    assert.deepEqual(await remaining(), all);
    assert.ok(!(await remaining()).includes(orphan.id));

    // A day and five minutes later, on the server's clock: the plain session goes; the clock's
    // customer has not moved, so its session stays.
    clock.set(start + 86_400 + 5 * MINUTE);
    assert.equal(await prune(), 1);
    assert.deepEqual(await remaining(), [dated.id, forever.id, clocked.id].sort());
    // Moving the test clock past the same point lets its session go.
    await stripe.testHelpers.testClocks.advance(testClock.id, { frozen_time: start + 86_400 + 5 * MINUTE });
    assert.equal(await prune(), 1);
    // Past the recovery deadline plus a day, the dated session goes; the one without deadline stays.
    clock.set(start + 4 * 86_400 + 1);
    assert.equal(await prune(), 1);
    assert.deepEqual(await remaining(), [forever.id]);
  });
});
