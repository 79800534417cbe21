import { crc32, deflateSync } from 'node:zlib';
import type Stripe from 'stripe';
import { csrfToken } from '../../../src/portal/http/security.ts';
import { pathParams, type ServedRoute } from './routes.ts';

/**
 * Real objects for the sweep to aim at: a bad param on a real id reaches deeper code than one on
 * an id that is not found. Ids are gathered from the server's own list endpoints, keyed by the
 * list's path (`/v1/customers`), so every resource with a list gets its ids.
 */
export interface Fixtures {
  ids: Map<string, string[]>;
  /** Every real id, for "a real id of the wrong kind". */
  all: string[];
  /** An open portal session: its id, the browser cookie and the forms' CSRF token. */
  portal: { sid: string; cookie: string; csrf: string };
  /** A finalized invoice's hosted page: `/i/<invoice>/<secret>`. */
  hostedInvoice: { invoice: string; secret: string };
}

/** A valid 2×2 PNG, built here so no binary fixture is needed. */
function png(): Buffer {
  const chunk = (type: string, data: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(data.length);
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(body));
    return Buffer.concat([length, body, crc]);
  };
  const row = Buffer.from([0, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42]);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', Buffer.from([0, 0, 0, 2, 0, 0, 0, 2, 8, 2, 0, 0, 0])),
    chunk('IDAT', deflateSync(Buffer.concat([row, row]))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** One of everything the API makes, through the official SDK. */
async function seedObjects(stripe: Stripe): Promise<{ sessionUrl: string; hostedUrl: string }> {
  await stripe.billingPortal.configurations.create({
    features: {
      invoice_history: { enabled: true },
      payment_method_update: { enabled: true },
      customer_update: { enabled: true, allowed_updates: ['name', 'email', 'address', 'tax_id'] },
    },
  });
  const customer = await stripe.customers.create({ email: 'sweep@example.com', name: 'Sweep' });
  const card = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
  await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: card.id } });
  const price = await stripe.prices.create({
    product_data: { name: 'Sweep plan' },
    currency: 'usd',
    unit_amount: 1200,
    recurring: { interval: 'month' },
  });
  const coupon = await stripe.coupons.create({ percent_off: 10, duration: 'once' });
  await stripe.promotionCodes.create({ promotion: { type: 'coupon', coupon: coupon.id }, code: 'SWEEP10' });
  await stripe.subscriptions.create({ customer: customer.id, items: [{ price: price.id }] });
  await stripe.subscriptionSchedules.create({
    customer: customer.id,
    start_date: 'now',
    phases: [{ items: [{ price: price.id }], duration: { interval: 'month', interval_count: 1 } }],
  });
  await stripe.invoiceItems.create({ customer: customer.id, amount: 500, currency: 'usd' });
  const invoice = await stripe.invoices.create({ customer: customer.id, auto_advance: false });
  const finalized = await stripe.invoices.finalizeInvoice(invoice.id);
  await stripe.invoices.create({ customer: customer.id, auto_advance: false });
  await stripe.setupIntents.create({ customer: customer.id });
  await stripe.testHelpers.testClocks.create({ frozen_time: Math.floor(Date.UTC(2027, 0, 15) / 1000) });
  await stripe.customers.createTaxId(customer.id, { type: 'eu_vat', value: 'DE123456789' });
  await stripe.webhookEndpoints.create({
    url: 'http://127.0.0.1:9/hooks',
    enabled_events: ['customer.created'],
  });
  const file = await stripe.files.create({
    purpose: 'business_logo',
    file: { data: png(), name: 'logo.png', type: 'image/png' },
  });
  await stripe.fileLinks.create({ file: file.id });
  await stripe.billing.feedbackOptions.create({ description: 'Too expensive' });
  await stripe.accounts.create({ type: 'standard', email: 'connected@example.com' } as never);
  const session = await stripe.billingPortal.sessions.create({
    customer: customer.id,
    return_url: 'https://example.com/account',
  });
  return { sessionUrl: session.url, hostedUrl: finalized.hosted_invoice_url! };
}

/** Opens the portal session as a browser would: the session URL sets a cookie and redirects. */
async function openPortal(baseUrl: string, sessionUrl: string): Promise<Fixtures['portal']> {
  const response = await fetch(`${baseUrl}${new URL(sessionUrl).pathname}`, { redirect: 'manual' });
  const location = response.headers.get('location') ?? '';
  const sid = /^\/p\/([^/?]+)/.exec(location)?.[1];
  const cookie = response.headers.get('set-cookie')?.split(';')[0];
  if (!sid || !cookie) throw new Error(`the portal session did not open: ${response.status} ${location}`);
  return { sid, cookie, csrf: csrfToken(cookie.slice(cookie.indexOf('=') + 1)) };
}

/** Seeds the objects, then reads every list endpoint for the ids it holds. */
export async function seedFixtures(
  stripe: Stripe,
  baseUrl: string,
  key: string,
  routes: ServedRoute[],
): Promise<Fixtures> {
  const { sessionUrl, hostedUrl } = await seedObjects(stripe);
  const ids = new Map<string, string[]>();
  const lists = routes.filter(
    (r) => r.method === 'GET' && r.path.startsWith('/v1/') && pathParams(r.path).length === 0,
  );
  for (const list of lists) {
    const response = await fetch(`${baseUrl}${list.path}?limit=5`, {
      headers: { authorization: `Bearer ${key}` },
    });
    // Not every list answers JSON: the event stream stays open.
    if (response.status !== 200 || !response.headers.get('content-type')?.startsWith('application/json')) {
      await response.body?.cancel();
      continue;
    }
    const body = (await response.json()) as { data?: { id?: string }[] };
    const found = (body.data ?? []).map((o) => o.id).filter((id): id is string => typeof id === 'string');
    if (found.length > 0) ids.set(list.path, found);
  }
  const [invoice, secret] = new URL(hostedUrl).pathname.split('/').slice(2);
  return {
    ids,
    all: [...new Set([...ids.values()].flat())],
    portal: await openPortal(baseUrl, sessionUrl),
    hostedInvoice: { invoice: invoice!, secret: secret! },
  };
}
