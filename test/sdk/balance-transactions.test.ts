import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import fc from 'fast-check';
import type Stripe from 'stripe';
import { E, stripeError } from '../support/errors.ts';
import { SEED } from '../support/property-seed.ts';
import { startServer, type TestServer } from '../support/server.ts';

describe('customer balance transactions through the official SDK', () => {
  let server: TestServer;
  let stripe: Stripe;
  before(async () => {
    server = await startServer();
    stripe = server.stripe();
  });
  after(() => server.close());

  async function transactions(customer: string): Promise<Stripe.CustomerBalanceTransaction[]> {
    const all: Stripe.CustomerBalanceTransaction[] = [];
    for await (const t of stripe.customers.listBalanceTransactions(customer, { limit: 100 })) all.push(t);
    return all;
  }

  async function balance(customer: string): Promise<number> {
    return ((await stripe.customers.retrieve(customer)) as Stripe.Customer).balance;
  }

  test('create, retrieve, update and list; the balance moves with each', async () => {
    const customer = await stripe.customers.create({ balance: 500 });
    const credit = await stripe.customers.createBalanceTransaction(customer.id, {
      amount: -1500,
      currency: 'usd',
      description: 'Goodwill',
      metadata: { ticket: '7' },
    });
    assert.match(credit.id, /^cbtxn_/);
    assert.deepEqual(
      [credit.object, credit.type, credit.amount, credit.ending_balance, credit.currency, credit.description],
      ['customer_balance_transaction', 'adjustment', -1500, -1000, 'usd', 'Goodwill'],
    );
    assert.equal(await balance(customer.id), -1000);
    const updated = await stripe.customers.updateBalanceTransaction(customer.id, credit.id, {
      description: 'Goodwill for the outage',
      metadata: { agent: 'sam' },
    });
    assert.deepEqual(
      [updated.description, updated.metadata],
      ['Goodwill for the outage', { ticket: '7', agent: 'sam' }],
    );
    const fetched = await stripe.customers.retrieveBalanceTransaction(customer.id, credit.id, {
      expand: ['customer'],
    });
    assert.equal((fetched.customer as Stripe.Customer).balance, -1000);
    assert.deepEqual(
      (await transactions(customer.id)).map((t) => [t.type, t.amount, t.ending_balance]),
      [
        ['adjustment', -1500, -1000],
        ['initial', 500, 500],
      ],
    );
    const events = await stripe.events.list({ type: 'customer.updated', limit: 1 });
    assert.deepEqual(events.data[0]!.data.previous_attributes, { balance: 500, currency: null });
    await stripe.customers.update(customer.id, { balance: 0 });
    const [latest] = await transactions(customer.id);
    assert.deepEqual([latest!.type, latest!.amount, latest!.ending_balance], ['adjustment', 1000, 0]);
  });

  test('refusals: currency, missing objects, unknown params, other customers', async () => {
    const customer = await stripe.customers.create({});
    await stripe.customers.createBalanceTransaction(customer.id, { amount: 100, currency: 'eur' });
    const currency = await stripeError(
      stripe.customers.createBalanceTransaction(customer.id, { amount: 100, currency: 'usd' }),
      E.StripeInvalidRequestError,
      400,
    );
    assert.equal(currency.param, 'currency');
    const missing = await stripeError(
      stripe.customers.createBalanceTransaction(customer.id, {
        currency: 'eur',
      } as Stripe.CustomerCreateBalanceTransactionParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([missing.code, missing.param], ['parameter_missing', 'amount']);
    const noCustomer = await stripeError(
      stripe.customers.listBalanceTransactions('cus_nope'),
      E.StripeInvalidRequestError,
      404,
    );
    assert.equal(noCustomer.code, 'resource_missing');
    const other = await stripe.customers.create({});
    const [mine] = await transactions(customer.id);
    await stripeError(
      stripe.customers.retrieveBalanceTransaction(other.id, mine!.id),
      E.StripeInvalidRequestError,
      404,
    );
    const unknown = await stripeError(
      stripe.customers.updateBalanceTransaction(customer.id, mine!.id, {
        amount: 5,
      } as Stripe.CustomerUpdateBalanceTransactionParams),
      E.StripeInvalidRequestError,
      400,
    );
    assert.deepEqual([unknown.code, unknown.param], ['parameter_unknown', 'amount']);
  });

  test('invoices: credit applied on finalizing, given back when voided; list by invoice', async () => {
    const customer = await stripe.customers.create({});
    await stripe.customers.createBalanceTransaction(customer.id, { amount: -700, currency: 'usd' });
    await stripe.invoiceItems.create({ customer: customer.id, currency: 'usd', amount: 1000 });
    const draft = await stripe.invoices.create({
      customer: customer.id,
      collection_method: 'send_invoice',
      pending_invoice_items_behavior: 'include',
    });
    const open = await stripe.invoices.finalizeInvoice(draft.id);
    assert.deepEqual([open.starting_balance, open.amount_due, open.ending_balance], [-700, 300, 0]);
    const applied = await stripe.customers.listBalanceTransactions(customer.id, { invoice: open.id });
    assert.deepEqual(
      applied.data.map((t) => [t.type, t.amount, t.ending_balance, t.invoice]),
      [['applied_to_invoice', 700, 0, open.id]],
    );
    await stripe.invoices.voidInvoice(open.id);
    assert.equal(await balance(customer.id), -700);
    const all = await stripe.customers.listBalanceTransactions(customer.id, { invoice: open.id });
    assert.deepEqual(
      all.data.map((t) => [t.type, t.amount, t.ending_balance]),
      [
        ['unapplied_from_invoice', -700, -700],
        ['applied_to_invoice', 700, 0],
      ],
    );
  });

  /**
   * Whatever moves a balance (manual transactions, setting it, invoices finalized and voided,
   * credit notes to the balance and their voiding), the transactions add up to it and each
   * `ending_balance` is the running sum.
   */
  test('property: the transactions always add up to the balance', async () => {
    const step = fc.oneof(
      fc.record({ kind: fc.constant('adjust' as const), amount: fc.integer({ min: -5000, max: 5000 }) }),
      fc.record({ kind: fc.constant('set' as const), amount: fc.integer({ min: -5000, max: 5000 }) }),
      fc.record({
        kind: fc.constant('invoice' as const),
        amount: fc.integer({ min: 100, max: 5000 }),
        void: fc.boolean(),
      }),
      fc.record({
        kind: fc.constant('credit' as const),
        share: fc.integer({ min: 1, max: 100 }),
        void: fc.boolean(),
      }),
    );
    await fc.assert(
      fc.asyncProperty(
        fc.integer({ min: -3000, max: 3000 }),
        fc.array(step, { minLength: 1, maxLength: 5 }),
        async (start, steps) => {
          const customer = await stripe.customers.create({ balance: start });
          for (const s of steps) {
            if (s.kind === 'adjust') {
              await stripe.customers.createBalanceTransaction(customer.id, {
                amount: s.amount,
                currency: 'usd',
              });
            } else if (s.kind === 'set') {
              await stripe.customers.update(customer.id, { balance: s.amount });
            } else {
              await stripe.invoiceItems.create({
                customer: customer.id,
                currency: 'usd',
                amount: s.kind === 'invoice' ? s.amount : 4000,
              });
              const draft = await stripe.invoices.create({
                customer: customer.id,
                collection_method: 'send_invoice',
                pending_invoice_items_behavior: 'include',
              });
              const open = await stripe.invoices.finalizeInvoice(draft.id);
              if (s.kind === 'invoice') {
                if (s.void && open.status === 'open') await stripe.invoices.voidInvoice(open.id);
                continue;
              }
              if (open.status !== 'open') continue;
              const paid = await stripe.invoices.pay(open.id, { paid_out_of_band: true });
              const amount = Math.max(1, Math.floor((paid.total * s.share) / 100));
              const note = await stripe.creditNotes.create({
                invoice: paid.id,
                amount,
                credit_amount: amount,
              });
              if (s.void) await stripe.creditNotes.voidCreditNote(note.id);
            }
          }
          const history = (await transactions(customer.id)).reverse();
          let running = 0;
          for (const t of history) {
            running += t.amount;
            assert.equal(t.ending_balance, running, `ending_balance of ${t.type}`);
          }
          assert.equal(running, await balance(customer.id));
        },
      ),
      { seed: SEED, numRuns: 12 },
    );
  });
});
