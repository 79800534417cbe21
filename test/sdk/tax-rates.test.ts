import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey } from '../../src/accounts/keys.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('tax rates through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  test('create with every field, retrieve, and the defaults of a bare rate', async () => {
    const vat = await stripe.taxRates.create({
      display_name: 'VAT',
      percentage: 20,
      inclusive: true,
      country: 'fr',
      state: 'idf',
      jurisdiction: 'FR',
      description: 'French VAT',
      tax_type: 'vat',
      metadata: { book: 'eu' },
    });
    assert.match(vat.id, /^txr_[A-Za-z0-9]{29}$/);
    assert.equal(vat.object, 'tax_rate');
    assert.equal(vat.active, true);
    assert.equal(vat.country, 'FR');
    assert.equal(vat.state, 'IDF');
    assert.equal(vat.jurisdiction, 'FR');
    assert.equal(vat.description, 'French VAT');
    assert.equal(vat.tax_type, 'vat');
    assert.equal(vat.percentage, 20);
    assert.equal(vat.effective_percentage, 20);
    assert.equal(vat.inclusive, true);
    assert.equal(vat.rate_type, 'percentage');
    assert.equal(vat.flat_amount, null);
    assert.equal(vat.jurisdiction_level, null);
    assert.equal(vat.livemode, false);
    assert.deepEqual(vat.metadata, { book: 'eu' });
    assert.deepEqual(await stripe.taxRates.retrieve(vat.id), vat);

    const bare = await stripe.taxRates.create({
      display_name: 'Sales tax',
      percentage: 8.875,
      inclusive: false,
    });
    assert.equal(bare.percentage, 8.875);
    assert.equal(bare.country, null);
    assert.equal(bare.state, null);
    assert.equal(bare.tax_type, null);
    assert.equal(bare.description, null);
    assert.deepEqual(bare.metadata, {});
  });

  test('update changes what is shown and archives, with events', async () => {
    const rate = await stripe.taxRates.create({ display_name: 'GST', percentage: 5, inclusive: false });
    const renamed = await stripe.taxRates.update(rate.id, {
      display_name: 'GST (CA)',
      country: 'CA',
      metadata: { region: 'west' },
    });
    assert.equal(renamed.display_name, 'GST (CA)');
    assert.equal(renamed.country, 'CA');
    assert.equal(renamed.percentage, 5, 'the percentage never changes');
    const archived = await stripe.taxRates.update(rate.id, { active: false });
    assert.equal(archived.active, false);
    assert.equal((await stripe.taxRates.retrieve(rate.id)).active, false);

    const events = (await stripe.events.list({ type: 'tax_rate.*', limit: 100 })).data.filter(
      (e) => (e.data.object as Stripe.TaxRate).id === rate.id,
    );
    assert.deepEqual(
      events.map((e) => e.type),
      ['tax_rate.updated', 'tax_rate.updated', 'tax_rate.created'],
    );
    assert.deepEqual(events[0]!.data.previous_attributes, { active: true });
    assert.deepEqual(events[1]!.data.previous_attributes, {
      country: null,
      display_name: 'GST',
      metadata: { region: null },
    });

    // Percentage and inclusiveness are not among an update's params.
    const error = await stripeError(
      stripe.taxRates.update(rate.id, { percentage: 6 } as Stripe.TaxRateUpdateParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(error.code, 'parameter_unknown');
    assert.equal(error.param, 'percentage');
  });

  test('lists filter on active, inclusive and created, newest first', async () => {
    const own = await startServer();
    try {
      const s = own.stripe();
      const a = await s.taxRates.create({ display_name: 'A', percentage: 10, inclusive: false });
      const b = await s.taxRates.create({ display_name: 'B', percentage: 20, inclusive: true });
      const c = await s.taxRates.create({ display_name: 'C', percentage: 7, inclusive: false });
      await s.taxRates.update(c.id, { active: false });
      const ids = async (params: Stripe.TaxRateListParams) =>
        (await s.taxRates.list(params)).data.map((r) => r.id);
      assert.deepEqual(await ids({}), [c.id, b.id, a.id]);
      assert.deepEqual(await ids({ active: true }), [b.id, a.id]);
      assert.deepEqual(await ids({ active: false }), [c.id]);
      assert.deepEqual(await ids({ inclusive: true }), [b.id]);
      assert.deepEqual(await ids({ inclusive: false, active: true }), [a.id]);
      assert.deepEqual(await ids({ created: { gte: a.created } }), [c.id, b.id, a.id]);
      assert.deepEqual(await ids({ created: { lt: a.created } }), []);
      const page = await s.taxRates.list({ limit: 2 });
      assert.equal(page.has_more, true);
      assert.equal(page.url, '/v1/tax_rates');
    } finally {
      await own.close();
    }
  });

  test('bad input is refused with the param at fault, and nothing is made', async () => {
    const before = (await stripe.taxRates.list({ limit: 100 })).data.length;
    const cases: [Stripe.TaxRateCreateParams, string, string?][] = [
      [
        { display_name: 'X', inclusive: false } as Stripe.TaxRateCreateParams,
        'percentage',
        'parameter_missing',
      ],
      [
        { percentage: 5, inclusive: false } as Stripe.TaxRateCreateParams,
        'display_name',
        'parameter_missing',
      ],
      [{ display_name: 'X', percentage: 5 } as Stripe.TaxRateCreateParams, 'inclusive', 'parameter_missing'],
      [{ display_name: 'X', percentage: 100.5, inclusive: false }, 'percentage'],
      [{ display_name: 'X', percentage: -1, inclusive: false }, 'percentage'],
      [{ display_name: 'X', percentage: 1.23456, inclusive: false }, 'percentage'],
      [{ display_name: 'X', percentage: 5, inclusive: false, country: 'FRA' }, 'country'],
      [{ display_name: 'X', percentage: 5, inclusive: false, tax_type: 'poll_tax' }, 'tax_type'],
      [{ display_name: 'X'.repeat(51), percentage: 5, inclusive: false }, 'display_name'],
    ];
    for (const [params, param, code] of cases) {
      const error = await stripeError(stripe.taxRates.create(params), E.StripeInvalidRequestError, 400);
      assert.equal(error.param, param, JSON.stringify(params));
      if (code) assert.equal(error.code, code, JSON.stringify(params));
    }
    assert.equal((await stripe.taxRates.list({ limit: 100 })).data.length, before);
    const missing = await stripeError(
      stripe.taxRates.retrieve('txr_missing'),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(missing.code, 'resource_missing');
    assert.match(missing.message, /No such tax_rate: 'txr_missing'/);
  });

  test('an archived rate cannot be newly applied; one already applied stays', async () => {
    const customer = await stripe.customers.create({ email: 'tax@example.com' });
    const rate = await stripe.taxRates.create({ display_name: 'VAT', percentage: 20, inclusive: false });
    const invoice = await stripe.invoices.create({ customer: customer.id, default_tax_rates: [rate.id] });
    await stripe.taxRates.update(rate.id, { active: false });
    const refused = await stripeError(
      stripe.invoiceItems.create({
        customer: customer.id,
        amount: 1000,
        currency: 'usd',
        tax_rates: [rate.id],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(refused.param, 'tax_rates[0]');
    assert.match(refused.message, /inactive/);
    const kept = await stripe.invoices.update(invoice.id, { default_tax_rates: [rate.id] });
    assert.deepEqual(
      kept.default_tax_rates.map((r) => r.id),
      [rate.id],
    );
    const unknown = await stripeError(
      stripe.invoices.update(invoice.id, { default_tax_rates: ['txr_missing'] }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(unknown.param, 'default_tax_rates[0]');
    assert.equal(unknown.code, 'resource_missing');
  });

  test('restricted keys need the tax rate permission', async () => {
    const key = await createRestrictedKey(
      server.app.store.db,
      { accountId: server.app.boot.accountId, livemode: false },
      Math.floor(Date.now() / 1000),
      { tax_rates: 'read' },
    );
    const reader = server.stripe(key);
    await reader.taxRates.list();
    const error = await stripeError(
      reader.taxRates.create({ display_name: 'X', percentage: 1, inclusive: false }),
      E.StripePermissionError,
      403,
    );
    assert.match(error.message, /'rak_tax_rate_write'/);
  });
});
