import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type Stripe from 'stripe';
import { createRestrictedKey, createSecretKey } from '../../src/accounts/keys.ts';
import { E, stripeError } from '../support/errors.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('tax IDs through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  const now = () => Math.floor(Date.now() / 1000);
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  /** The newest events of the given types, newest first. */
  const events = async (types: string[], limit = 10) =>
    (await stripe.events.list({ types, limit })).data.map((e) => ({
      type: e.type,
      object: e.data.object as Stripe.TaxId,
      previous: e.data.previous_attributes as Partial<Stripe.TaxId> | undefined,
    }));

  test('a customer tax ID: create, retrieve, list, delete, with its events', async () => {
    const customer = await stripe.customers.create({ name: 'Acme GmbH' });
    const taxId = await stripe.customers.createTaxId(customer.id, { type: 'eu_vat', value: 'DE123456789' });
    assert.match(taxId.id, /^txi_/);
    assert.equal(taxId.object, 'tax_id');
    assert.equal(taxId.country, 'DE');
    assert.equal(taxId.customer, customer.id);
    assert.equal(taxId.customer_account, null);
    assert.deepEqual(taxId.owner, { type: 'customer', customer: customer.id, customer_account: null });
    assert.equal(taxId.type, 'eu_vat');
    assert.equal(taxId.value, 'DE123456789');
    assert.equal(taxId.livemode, false);
    assert.ok(Math.abs(taxId.created - now()) < 5);
    assert.deepEqual(taxId.verification, { status: 'pending', verified_address: null, verified_name: null });
    assert.deepEqual(await stripe.customers.retrieveTaxId(customer.id, taxId.id), taxId);
    assert.deepEqual(await stripe.taxIds.retrieve(taxId.id), taxId);

    const ein = await stripe.customers.createTaxId(customer.id, { type: 'us_ein', value: '12-3456789' });
    assert.equal(ein.country, 'US');
    assert.equal(ein.verification, null, 'Stripe does not verify EINs');
    const list = await stripe.customers.listTaxIds(customer.id);
    assert.equal(list.url, `/v1/customers/${customer.id}/tax_ids`);
    assert.deepEqual(
      list.data.map((t) => t.id),
      [ein.id, taxId.id],
    );

    const deleted = await stripe.customers.deleteTaxId(customer.id, taxId.id);
    assert.deepEqual(deleted, { id: taxId.id, object: 'tax_id', deleted: true });
    const gone = await stripeError(
      stripe.customers.retrieveTaxId(customer.id, taxId.id),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(gone.code, 'resource_missing');
    assert.deepEqual(
      (await stripe.customers.listTaxIds(customer.id)).data.map((t) => t.id),
      [ein.id],
    );
    const log = await events(['customer.tax_id.created', 'customer.tax_id.deleted'], 3);
    assert.deepEqual(
      log.map((e) => [e.type, e.object.id]),
      [
        ['customer.tax_id.deleted', taxId.id],
        ['customer.tax_id.created', ein.id],
        ['customer.tax_id.created', taxId.id],
      ],
    );
  });

  test("verification follows Stripe's test numbers, each outcome an update event", async () => {
    const customer = await stripe.customers.create();
    const cases: [Stripe.CustomerCreateTaxIdParams.Type, string, string][] = [
      ['eu_vat', 'DE000000000', 'verified'],
      ['eu_vat', 'FR11111111111', 'unverified'],
      ['gb_vat', 'GB222222222', 'unavailable'],
      ['au_abn', '12000000000', 'verified'],
    ];
    for (const [type, value, status] of cases) {
      const taxId = await stripe.customers.createTaxId(customer.id, { type, value });
      assert.equal(taxId.verification?.status, status, `${type} ${value}`);
      assert.equal((await stripe.taxIds.retrieve(taxId.id)).verification?.status, status);
      const [updated, created] = await events(['customer.tax_id.created', 'customer.tax_id.updated'], 2);
      assert.equal(created!.type, 'customer.tax_id.created');
      assert.equal(created!.object.verification?.status, 'pending');
      assert.equal(updated!.type, 'customer.tax_id.updated');
      assert.equal(updated!.object.id, taxId.id);
      assert.equal(updated!.object.verification?.status, status);
      assert.deepEqual(updated!.previous, { verification: { status: 'pending' } });
    }
    const pending = await stripe.customers.createTaxId(customer.id, {
      type: 'eu_vat',
      value: 'NL123456789B01',
    });
    assert.equal(pending.verification?.status, 'pending');
    const [last] = await events(['customer.tax_id.created', 'customer.tax_id.updated'], 1);
    assert.equal(last!.type, 'customer.tax_id.created', 'a pending tax ID has no update yet');

    const live = server.stripe(
      await createSecretKey(
        server.app.store.db,
        { accountId: server.app.boot.accountId, livemode: true },
        now(),
      ),
    );
    const liveCustomer = await live.customers.create();
    const liveId = await live.customers.createTaxId(liveCustomer.id, {
      type: 'eu_vat',
      value: 'DE000000000',
    });
    assert.equal(liveId.livemode, true);
    assert.equal(liveId.verification?.status, 'unavailable', 'Portico asks no registry in live mode');
  });

  test('malformed values, unknown types and missing customers are refused', async () => {
    const customer = await stripe.customers.create();
    const invalid = await stripeError(
      stripe.customers.createTaxId(customer.id, { type: 'eu_vat', value: 'DE12345' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(invalid.code, 'tax_id_invalid');
    assert.equal(invalid.param, 'value');
    assert.equal(invalid.message, 'Invalid value for eu_vat.');
    const wrongCountry = await stripeError(
      stripe.customers.createTaxId(customer.id, { type: 'gb_vat', value: 'DE123456789' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(wrongCountry.code, 'tax_id_invalid');
    const unknown = await stripeError(
      stripe.customers.createTaxId(customer.id, { type: 'xx_vat', value: '123' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(unknown.param, 'type');
    assert.match(unknown.message, /^Invalid type: must be one of ad_nrt, /);
    const missing = await stripeError(
      stripe.customers.createTaxId('cus_missing', { type: 'us_ein', value: '12-3456789' }),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(missing.code, 'resource_missing');
    assert.equal((await stripe.customers.listTaxIds(customer.id)).data.length, 0, 'nothing was written');
  });

  test("one customer's tax ID is not found under another customer", async () => {
    const a = await stripe.customers.create();
    const b = await stripe.customers.create();
    const taxId = await stripe.customers.createTaxId(a.id, { type: 'us_ein', value: '12-3456789' });
    await stripeError(stripe.customers.retrieveTaxId(b.id, taxId.id), E.StripeInvalidRequestError, 404);
    await stripeError(stripe.customers.deleteTaxId(b.id, taxId.id), E.StripeInvalidRequestError, 404);
    assert.equal((await stripe.customers.retrieveTaxId(a.id, taxId.id)).id, taxId.id);
  });

  test('tax_id_data on customer create makes the tax IDs, after customer.created', async () => {
    const customer = await stripe.customers.create({
      email: 'billing@example.com',
      tax_id_data: [
        { type: 'eu_vat', value: 'DE000000000' },
        { type: 'ch_vat', value: 'CHE-123.456.789 MWST' },
      ],
      expand: ['tax_ids'],
    });
    const embedded = customer.tax_ids!;
    assert.equal(embedded.object, 'list');
    assert.equal(embedded.url, `/v1/customers/${customer.id}/tax_ids`);
    assert.deepEqual(
      embedded.data.map((t) => [t.type, t.value, t.verification?.status ?? null]),
      [
        ['ch_vat', 'CHE-123.456.789 MWST', null],
        ['eu_vat', 'DE000000000', 'verified'],
      ],
    );
    const log = (await stripe.events.list({ limit: 4 })).data.map((e) => e.type);
    assert.deepEqual(log, [
      'customer.tax_id.created',
      'customer.tax_id.updated',
      'customer.tax_id.created',
      'customer.created',
    ]);

    const before = (await stripe.customers.list({ limit: 100 })).data.length;
    const refused = await stripeError(
      stripe.customers.create({
        tax_id_data: [
          { type: 'us_ein', value: '12-3456789' },
          { type: 'eu_vat', value: 'XX123' },
        ],
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(refused.code, 'tax_id_invalid');
    assert.equal(refused.param, 'tax_id_data[1][value]');
    assert.equal((await stripe.customers.list({ limit: 100 })).data.length, before, 'no customer was made');
  });

  test('expand[]=tax_ids on retrieve and list; a plain retrieve leaves them out', async () => {
    const customer = await stripe.customers.create({ email: 'expand@example.com' });
    const taxId = await stripe.customers.createTaxId(customer.id, { type: 'za_vat', value: '4123456789' });
    const plain = (await stripe.customers.retrieve(customer.id)) as Stripe.Customer;
    assert.equal(plain.tax_ids, undefined);
    const expanded = (await stripe.customers.retrieve(customer.id, {
      expand: ['tax_ids'],
    })) as Stripe.Customer;
    assert.deepEqual(expanded.tax_ids, {
      object: 'list',
      data: [taxId],
      has_more: false,
      url: `/v1/customers/${customer.id}/tax_ids`,
    });
    const listed = await stripe.customers.list({ email: 'expand@example.com', expand: ['data.tax_ids'] });
    assert.deepEqual(listed.data[0]!.tax_ids?.data, [taxId]);
    const withCustomer = await stripe.taxIds.retrieve(taxId.id, { expand: ['customer'] });
    assert.equal((withCustomer.customer as Stripe.Customer).email, 'expand@example.com');
  });

  test('at most 25 tax IDs per customer', async () => {
    const customer = await stripe.customers.create();
    for (let i = 0; i < 25; i++) {
      await stripe.customers.createTaxId(customer.id, { type: 'jp_rn', value: String(10000 + i) });
    }
    const full = await stripeError(
      stripe.customers.createTaxId(customer.id, { type: 'jp_rn', value: '12345' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.match(full.message, /at most 25 tax IDs/);
    const page = await stripe.customers.listTaxIds(customer.id, { limit: 100 });
    assert.equal(page.data.length, 25);
    const embedded = (await stripe.customers.retrieve(customer.id, {
      expand: ['tax_ids'],
    })) as Stripe.Customer;
    assert.equal(embedded.tax_ids!.data.length, 10);
    assert.equal(embedded.tax_ids!.has_more, true);
  });

  test('deleting a customer deletes its tax IDs, each with customer.tax_id.deleted', async () => {
    const customer = await stripe.customers.create({
      tax_id_data: [
        { type: 'us_ein', value: '12-3456789' },
        { type: 'kr_brn', value: '123-45-67890' },
      ],
    });
    const ids = (await stripe.customers.listTaxIds(customer.id)).data.map((t) => t.id);
    await stripe.customers.del(customer.id);
    for (const id of ids) await stripeError(stripe.taxIds.retrieve(id), E.StripeInvalidRequestError, 404);
    const log = (await stripe.events.list({ limit: 3 })).data;
    assert.deepEqual(
      log.map((e) => e.type),
      ['customer.deleted', 'customer.tax_id.deleted', 'customer.tax_id.deleted'],
    );
    assert.deepEqual(
      log
        .slice(1)
        .map((e) => (e.data.object as Stripe.TaxId).id)
        .sort(),
      [...ids].sort(),
    );
  });

  test('/v1/tax_ids: the account itself by default, a connected account, or a customer', async () => {
    const eventsBefore = (await stripe.events.list({ limit: 1 })).data[0]?.id;
    const own = await stripe.taxIds.create({ type: 'gb_vat', value: 'GB123456789' });
    assert.deepEqual(own.owner, { type: 'self', customer_account: null });
    assert.equal(own.customer, null);
    assert.equal(own.country, 'GB');
    const connected = await stripe.accounts.create({ type: 'custom', country: 'DE' });
    const theirs = await stripe.taxIds.create({
      type: 'eu_vat',
      value: 'DE123456789',
      owner: { type: 'account', account: connected.id },
    });
    assert.deepEqual(theirs.owner, { type: 'account', account: connected.id, customer_account: null });
    assert.equal(
      (await stripe.events.list({ limit: 1 })).data[0]?.id,
      eventsBefore,
      'account tax IDs have no events',
    );
    const customer = await stripe.customers.create();
    const customers = await stripe.taxIds.create({
      type: 'in_gst',
      value: '22AAAAA0000A1Z5',
      owner: { type: 'customer', customer: customer.id },
    });
    assert.equal(customers.customer, customer.id);
    assert.deepEqual(
      (await stripe.customers.listTaxIds(customer.id)).data.map((t) => t.id),
      [customers.id],
    );

    assert.deepEqual(
      (await stripe.taxIds.list()).data.map((t) => t.id),
      [own.id],
    );
    assert.deepEqual(
      (await stripe.taxIds.list({ owner: { type: 'account', account: connected.id } })).data.map((t) => t.id),
      [theirs.id],
    );
    assert.deepEqual(
      (await stripe.taxIds.list({ owner: { type: 'customer', customer: customer.id } })).data.map(
        (t) => t.id,
      ),
      [customers.id],
    );
    assert.deepEqual(await stripe.taxIds.del(own.id), { id: own.id, object: 'tax_id', deleted: true });
    assert.deepEqual((await stripe.taxIds.list()).data, []);

    const noCustomer = await stripeError(
      stripe.taxIds.create({ type: 'us_ein', value: '12-3456789', owner: { type: 'customer' } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(noCustomer.code, 'parameter_missing');
    assert.equal(noCustomer.param, 'owner[customer]');
    const strangerAccount = await stripeError(
      stripe.taxIds.create({
        type: 'us_ein',
        value: '12-3456789',
        owner: { type: 'account', account: 'acct_missing' },
      }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(strangerAccount.code, 'resource_missing');
    assert.equal(strangerAccount.param, 'owner[account]');
    const application = await stripeError(
      stripe.taxIds.create({ type: 'us_ein', value: '12-3456789', owner: { type: 'application' } }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(application.param, 'owner[type]');
  });

  test('restricted keys: /v1/tax_ids needs tax_ids, a customer’s tax IDs need customers', async () => {
    const key = (permissions: Record<string, 'read' | 'write'>) =>
      createRestrictedKey(
        server.app.store.db,
        { accountId: server.app.boot.accountId, livemode: false },
        now(),
        permissions,
      );
    const customer = await stripe.customers.create();
    const customersOnly = server.stripe(await key({ customers: 'write' }));
    await customersOnly.customers.createTaxId(customer.id, { type: 'us_ein', value: '12-3456789' });
    const denied = await stripeError(
      customersOnly.taxIds.create({ type: 'us_ein', value: '12-3456789' }),
      E.StripePermissionError,
      403,
    );
    assert.match(denied.message, /'rak_tax_id_write'/);
    const reader = server.stripe(await key({ tax_ids: 'read' }));
    await reader.taxIds.list();
    const readOnly = await stripeError(
      reader.taxIds.create({ type: 'us_ein', value: '12-3456789' }),
      E.StripePermissionError,
      403,
    );
    assert.match(readOnly.message, /'rak_tax_id_write'/);
  });
});
