import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { mailConfig } from '../../src/config.ts';
import { advance, clockCustomer, DAY, invoicesOf, monthlyPrice, utc } from '../scenarios/support.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';
import { type ReceivedMail, startSmtp, type TestSmtp } from '../support/smtp.ts';

interface EmailSettings {
  object: string;
  account: string;
  finalized_invoices: boolean;
  successful_payments: boolean;
  failed_payments: boolean;
  trial_ending: boolean;
}

const jan1 = utc(2027, 1, 1);
const feb1 = utc(2027, 2, 1);

describe('customer emails', () => {
  let server: TestServer;
  let smtp: TestSmtp;
  let stripe: Stripe;

  before(async () => {
    smtp = await startSmtp();
    // A long poll: each test runs the mail worker itself, so a mail is either delivered or not.
    server = await startServer({
      config: { mail: { ...mailConfig({}), smtpUrl: smtp.url, pollMs: 3_600_000 } },
    });
    stripe = server.stripe();
    const config = await stripe.billingPortal.configurations.create({
      features: { payment_method_update: { enabled: true }, invoice_history: { enabled: true } },
    });
    assert.equal(config.is_default, true, "the account's first configuration is its default");
  });
  after(async () => {
    await server.close();
    await smtp.close();
  });

  const setEmails = async (params: Partial<Omit<EmailSettings, 'object' | 'account'>>) =>
    (await stripe.rawRequest('POST', '/v1/portico/customer_emails', params)) as unknown as EmailSettings;

  /** Delivers the outbox, then answers what reached the address. */
  async function delivered(to: string): Promise<ReceivedMail[]> {
    await server.app.mail.tick();
    return smtp.mails.filter((m) => m.to.includes(to));
  }

  /** A URL handed out on the server's public URL, on the test server. */
  const local = (url: string) => {
    const u = new URL(url);
    return `${server.baseUrl}${u.pathname}${u.search}`;
  };

  const linkIn = (mail: ReceivedMail, path: string) => {
    const found = mail.text.match(new RegExp(`https?://\\S+${path}\\S*`))?.[0];
    assert.ok(found, `a ${path} link in:\n${mail.text}`);
    assert.ok(mail.html.includes(`href="${found}"`), 'the HTML part carries the same link');
    return found;
  };

  async function sendInvoiceFor(email: string | undefined, options: { autoAdvance: boolean }) {
    const customer = await stripe.customers.create({ ...(email ? { email } : {}), name: 'Grace' });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 12_345, currency: 'usd' });
    const invoice = await stripe.invoices.create({
      customer: customer.id,
      collection_method: 'send_invoice',
      days_until_due: 14,
      auto_advance: options.autoAdvance,
      pending_invoice_items_behavior: 'include',
    });
    return { customer, invoice };
  }

  test('the switches: Stripe defaults, changed one at a time, bad values refused', async () => {
    const defaults = (await stripe.rawRequest(
      'GET',
      '/v1/portico/customer_emails',
      {},
    )) as unknown as EmailSettings;
    assert.deepEqual(defaults, {
      object: 'portico.customer_email_settings',
      account: server.app.boot.accountId,
      finalized_invoices: true,
      successful_payments: false,
      failed_payments: false,
      trial_ending: false,
    });
    const changed = await setEmails({ successful_payments: true });
    assert.equal(changed.successful_payments, true);
    assert.equal(changed.finalized_invoices, true, 'the others keep their value');
    await setEmails({ successful_payments: false });
    const error = await stripeError(
      stripe.rawRequest('POST', '/v1/portico/customer_emails', { trial_ending: 'sometimes' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.param, 'trial_ending');
  });

  test('a send_invoice invoice is mailed when finalized, with its amount, due date, page and PDF', async () => {
    await setEmails({ finalized_invoices: true });
    const { invoice } = await sendInvoiceFor('grace@example.com', { autoAdvance: true });
    const open = await stripe.invoices.finalizeInvoice(invoice.id);
    const [mail, ...more] = await delivered('grace@example.com');
    assert.ok(mail, 'the invoice was mailed');
    assert.equal(more.length, 0);
    assert.equal(mail.subject, `Invoice ${open.number} from Portico`);
    assert.match(mail.text, new RegExp(`invoice ${open.number} for \\$123\\.45\\.`));
    const due = new Date(open.due_date! * 1000).toLocaleDateString('en', {
      dateStyle: 'long',
      timeZone: 'UTC',
    });
    assert.match(mail.text, new RegExp(`Payment is due by ${due}\\.`));
    for (const url of [open.hosted_invoice_url!, open.invoice_pdf!]) {
      assert.ok(mail.text.includes(url), `${url} in the text part`);
      assert.ok(mail.html.includes(`href="${url}"`), `${url} in the HTML part`);
    }
    const page = await fetch(local(open.hosted_invoice_url!));
    assert.equal(page.status, 200);
    assert.match(await page.text(), new RegExp(open.number!));
    const pdf = await fetch(local(open.invoice_pdf!));
    assert.equal(pdf.status, 200);
    assert.equal(pdf.headers.get('content-type'), 'application/pdf');
  });

  test('with the switch off, finalizing mails nothing; sending explicitly still mails it', async () => {
    await setEmails({ finalized_invoices: false });
    const { invoice } = await sendInvoiceFor('hopper@example.com', { autoAdvance: true });
    await stripe.invoices.finalizeInvoice(invoice.id);
    assert.deepEqual(await delivered('hopper@example.com'), [], 'no mail on finalizing');
    const sent = await stripe.invoices.sendInvoice(invoice.id);
    const mails = await delivered('hopper@example.com');
    assert.equal(mails.length, 1);
    assert.equal(mails[0]!.subject, `Invoice ${sent.number} from Portico`);
    await setEmails({ finalized_invoices: true });
  });

  test('sending a draft finalizes and mails it once; without an address nothing is mailed and nothing refused', async () => {
    await setEmails({ finalized_invoices: true });
    const { invoice } = await sendInvoiceFor('lovelace@example.com', { autoAdvance: false });
    const sent = await stripe.invoices.sendInvoice(invoice.id);
    assert.equal(sent.status, 'open');
    const mails = await delivered('lovelace@example.com');
    assert.equal(mails.length, 1);
    assert.ok(mails[0]!.text.includes(sent.hosted_invoice_url!));

    const before = await server.app.store.read
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    const { invoice: anonymous } = await sendInvoiceFor(undefined, { autoAdvance: true });
    const done = await stripe.invoices.sendInvoice(anonymous.id);
    assert.equal(done.status, 'open');
    assert.equal(done.customer_email, null);
    const afterwards = await server.app.store.read
      .selectFrom('mail_outbox')
      .select((eb) => eb.fn.countAll<number>().as('n'))
      .executeTakeFirstOrThrow();
    assert.equal(Number(afterwards.n), Number(before.n), 'nothing queued');
  });

  test("a receipt when a payment pays an invoice, in the customer's language, with the card's last four digits", async () => {
    await setEmails({ successful_payments: true });
    const customer = await stripe.customers.create({
      email: 'marie@example.com',
      preferred_locales: ['fr-FR'],
    });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 4_200, currency: 'eur' });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    const paid = await stripe.invoices.pay(draft.id, { payment_method: card.id });
    assert.equal(paid.status, 'paid');
    assert.match(paid.receipt_number!, /^\d{4}-\d{4}$/, 'numbered when the receipt is sent');
    const [mail, ...more] = await delivered('marie@example.com');
    assert.ok(mail, 'the receipt was mailed');
    assert.equal(more.length, 0);
    assert.equal(mail.subject, `Votre reçu de Portico (${paid.receipt_number})`);
    assert.match(mail.text, /Nous avons reçu votre paiement de 42,00\s€/);
    assert.match(mail.text, new RegExp(`La facture ${paid.number} est payée\\.`));
    assert.match(mail.text, /la carte se terminant par 4242\./);
    assert.match(mail.html, /<html lang="fr">/);
    assert.equal((await fetch(local(linkIn(mail, '/i/')))).status, 200);
    const intent = await stripe.paymentIntents.retrieve(
      String(
        (await stripe.invoices.retrieve(paid.id, { expand: ['payments'] })).payments!.data[0]!.payment
          .payment_intent,
      ),
    );
    const charge = await stripe.charges.retrieve(String(intent.latest_charge));
    assert.equal(charge.receipt_number, paid.receipt_number);
  });

  test('receipts switched off: no mail and no receipt number', async () => {
    await setEmails({ successful_payments: false });
    const customer = await stripe.customers.create({ email: 'curie@example.com' });
    const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
    await stripe.invoiceItems.create({ customer: customer.id, amount: 900, currency: 'usd' });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      pending_invoice_items_behavior: 'include',
    });
    const paid = await stripe.invoices.pay(draft.id, { payment_method: card.id });
    assert.equal(paid.status, 'paid');
    assert.equal(paid.receipt_number, null);
    assert.deepEqual(await delivered('curie@example.com'), []);
  });

  /** A renewal on a test clock whose automatic payment fails (the dunning scenario's card). */
  async function failingRenewal(email: string) {
    const { clock, customer } = await clockCustomer(stripe, jan1);
    await stripe.customers.update(customer.id, { email });
    const price = await monthlyPrice(stripe, 'Pro', 3000);
    await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
    const failing = await stripe.paymentMethods.attach('pm_card_chargeCustomerFail', {
      customer: customer.id,
    });
    await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: failing.id } });
    await advance(stripe, clock.id, feb1 + 3600 + 60);
    const renewal = (await invoicesOf(stripe, customer.id))[1]!;
    assert.equal(renewal.attempt_count, 1);
    assert.equal(renewal.status, 'open');
    return { clock, customer, renewal };
  }

  test('a failed automatic payment mails a link that opens a new portal session on the payment-method flow', async () => {
    await setEmails({ failed_payments: true });
    const { customer, renewal } = await failingRenewal('turing@example.com');
    const [mail, ...more] = await delivered('turing@example.com');
    assert.ok(mail, 'the failure was mailed');
    assert.equal(more.length, 0);
    assert.equal(mail.subject, "Your payment to Portico didn't go through");
    assert.match(mail.text, new RegExp(`your payment of \\$30\\.00 for invoice ${renewal.number}\\.`));
    assert.match(mail.text, /The card ending in 0341 was not charged\./);
    // 30 days on the customer's clock from the failed attempt.
    assert.match(mail.text, /This link works until March 3, 2027\./);
    const link = linkIn(mail, '/p/link/');
    assert.match(link, /\/p\/link\/test_[A-Za-z0-9]{32}$/, 'about 190 random bits');

    // Each visit opens a new session: the link outlives the minutes a session lasts.
    const sessions: string[] = [];
    for (let visit = 0; visit < 2; visit++) {
      const opened = await fetch(local(link), { redirect: 'manual' });
      assert.equal(opened.status, 303);
      const sessionUrl = opened.headers.get('location')!;
      assert.match(sessionUrl, /^\/p\/session\/test_/);
      const entered = await fetch(`${server.baseUrl}${sessionUrl}`, { redirect: 'manual' });
      assert.equal(entered.status, 303);
      const landing = entered.headers.get('location')!;
      const sid = /^\/p\/(bps_[A-Za-z0-9]+)\//.exec(landing)![1]!;
      sessions.push(sid);
      const cookie = entered.headers.get('set-cookie')!.split(';')[0]!;
      const page = await fetch(`${server.baseUrl}${landing}`, { headers: { cookie } });
      assert.equal(page.status, 200);
      const html = await page.text();
      assert.match(html, /name="cardNumber"|autocomplete="cc-number"/, 'the add-a-card form');
    }
    assert.notEqual(sessions[0], sessions[1]);
    const created = await stripe.events.list({ type: 'billing_portal.session.created', limit: 2 });
    for (const event of created.data) {
      const session = event.data.object as Stripe.BillingPortal.Session;
      assert.equal(session.customer, customer.id, 'the customer of the mail');
      assert.equal(session.flow?.type, 'payment_method_update');
      assert.ok(sessions.includes(session.id));
    }
  });

  test('failed-payment mails switched off: nothing; an unknown or expired link is not found', async () => {
    await setEmails({ failed_payments: false });
    await failingRenewal('hamilton@example.com');
    assert.deepEqual(await delivered('hamilton@example.com'), []);

    await setEmails({ failed_payments: true });
    const { clock } = await failingRenewal('noether@example.com');
    const [mail] = await delivered('noether@example.com');
    const link = linkIn(mail!, '/p/link/');
    const forged = `${link.slice(0, -4)}abcd`;
    assert.equal((await fetch(local(forged), { redirect: 'manual' })).status, 404);
    // Past 30 days on the customer's clock the link no longer opens anything.
    await advance(stripe, clock.id, feb1 + 3600 + 31 * DAY);
    assert.equal((await fetch(local(link), { redirect: 'manual' })).status, 404);
    await setEmails({ failed_payments: false });
  });

  test("a trial-ending reminder 7 days before the trial ends, on the customer's test clock", async () => {
    await setEmails({ trial_ending: true });
    const { clock, customer } = await clockCustomer(stripe, jan1);
    await stripe.customers.update(customer.id, { email: 'hypatia@example.com', preferred_locales: ['de'] });
    const price = await monthlyPrice(stripe, 'Team', 5000);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 30,
    });
    const trialEnd = sub.trial_end!;
    await advance(stripe, clock.id, trialEnd - 7 * DAY - 60);
    assert.deepEqual(await delivered('hypatia@example.com'), [], 'not before the seventh day');
    await advance(stripe, clock.id, trialEnd - 7 * DAY + 60);
    const [mail, ...more] = await delivered('hypatia@example.com');
    assert.ok(mail, 'the reminder was mailed');
    assert.equal(more.length, 0);
    assert.equal(mail.subject, 'Ihr kostenloser Testzeitraum bei Portico endet am 31. Januar 2027');
    const notices = await stripe.events.list({ type: 'customer.subscription.trial_will_end' });
    assert.ok(
      !notices.data.some((e) => (e.data.object as Stripe.Subscription).id === sub.id),
      'the trial_will_end event comes 3 days before, not with the mail',
    );
    await advance(stripe, clock.id, trialEnd - 3 * DAY + 60);
    const later = await stripe.events.list({ type: 'customer.subscription.trial_will_end' });
    assert.ok(later.data.some((e) => (e.data.object as Stripe.Subscription).id === sub.id));
    assert.deepEqual(await delivered('hypatia@example.com'), [mail], 'one reminder only');

    const opened = await fetch(local(linkIn(mail, '/p/link/')), { redirect: 'manual' });
    assert.equal(opened.status, 303);
    const entered = await fetch(`${server.baseUrl}${opened.headers.get('location')}`, { redirect: 'manual' });
    assert.match(entered.headers.get('location')!, /^\/p\/bps_[A-Za-z0-9]+\/$/, "the portal's homepage");
  });

  test('trial reminders switched off: no mail', async () => {
    await setEmails({ trial_ending: false });
    const { clock, customer } = await clockCustomer(stripe, jan1);
    await stripe.customers.update(customer.id, { email: 'euler@example.com' });
    const price = await monthlyPrice(stripe, 'Solo', 1000);
    const sub = await stripe.subscriptions.create({
      customer: customer.id,
      items: [{ price: price.id }],
      trial_period_days: 14,
    });
    await advance(stripe, clock.id, sub.trial_end! - 2 * DAY);
    assert.deepEqual(await delivered('euler@example.com'), []);
  });
});
