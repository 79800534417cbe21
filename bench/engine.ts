// The billing engine: a test clock advanced by 12 months over 1,000 monthly subscriptions (each
// month: a renewal draft, its finalization an hour later, a charge, about 30 statements), and the
// time to create 10,000 subscriptions through the API. Prints wall time, throughput and peak RSS.
import Stripe from 'stripe';
import { cpuMicros, KEY, machine, startPortico } from './support.ts';

async function inParallel<T>(count: number, width: number, make: (i: number) => Promise<T>): Promise<T[]> {
  const out: T[] = new Array(count);
  let next = 0;
  await Promise.all(
    Array.from({ length: width }, async () => {
      while (next < count) {
        const i = next++;
        out[i] = await make(i);
      }
    }),
  );
  return out;
}

export async function engineBench(options: { store?: string; subscriptions: number; created: number }) {
  const portico = await startPortico(4298, options.store);
  const stripe = new Stripe(KEY, {
    host: '127.0.0.1',
    port: 4298,
    protocol: 'http',
    timeout: 600_000,
    maxNetworkRetries: 0,
  });
  try {
    const start = Date.UTC(2027, 0, 1) / 1000;
    const price = await stripe.prices.create({
      product_data: { name: 'Bench' },
      currency: 'usd',
      unit_amount: 1500,
      recurring: { interval: 'month' },
    });
    const clock = await stripe.testHelpers.testClocks.create({ frozen_time: start });
    const customers = await inParallel(3, 3, async () => {
      const customer = await stripe.customers.create({ test_clock: clock.id });
      const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
      await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
      return customer;
    });
    await inParallel(options.subscriptions, 8, (i) =>
      stripe.subscriptions.create({ customer: customers[i % 3]!.id, items: [{ price: price.id }] }),
    );
    const cpuBefore = cpuMicros(portico.pid);
    const t0 = performance.now();
    // A clock goes at most two billing intervals per advance, as on Stripe: a year, month by month.
    for (let month = 1; month <= 12; month++) {
      const at = Date.UTC(2027, month, 1) / 1000 + (month === 12 ? 2 * 3600 : 0);
      await stripe.testHelpers.testClocks.advance(clock.id, { frozen_time: at });
    }
    const advanceMs = performance.now() - t0;
    const cpuMs = (cpuMicros(portico.pid) - cpuBefore) / 1000;
    const paid = await stripe.invoices.list({ customer: customers[0]!.id, status: 'paid', limit: 1 });
    let invoices = 0;
    for (const customer of customers) {
      for await (const _ of stripe.invoices.list({ customer: customer.id, limit: 100 })) invoices++;
    }

    // Creating subscriptions on the real clock: customers with a card, then subscriptions, 8 at a time.
    const owners = await inParallel(50, 8, async () => {
      const customer = await stripe.customers.create({});
      const pm = await stripe.paymentMethods.attach('pm_card_visa', { customer: customer.id });
      await stripe.customers.update(customer.id, { invoice_settings: { default_payment_method: pm.id } });
      return customer.id;
    });
    const t1 = performance.now();
    await inParallel(options.created, 8, (i) =>
      stripe.subscriptions.create({ customer: owners[i % owners.length]!, items: [{ price: price.id }] }),
    );
    const createMs = performance.now() - t1;

    console.log(`\nbilling engine — ${machine()} — ${portico.store}`);
    console.log(
      `advance 12 months over ${options.subscriptions} monthly subscriptions: ${(advanceMs / 1000).toFixed(2)} s wall, ${(cpuMs / 1000).toFixed(2)} s server CPU, ${invoices} invoices in all (${invoices - options.subscriptions} made by the advance), ${Math.round(((invoices - options.subscriptions) / advanceMs) * 1000)} renewals/s`,
    );
    console.log(`  latest paid invoice: ${paid.data[0]?.number ?? 'none'}`);
    console.log(
      `create ${options.created} subscriptions (8 in flight, each invoiced and charged): ${(createMs / 1000).toFixed(2)} s, ${Math.round((options.created / createMs) * 1000)}/s`,
    );
    console.log(`peak RSS ${portico.peakRss().toFixed(0)} MB`);
  } finally {
    await portico.stop();
  }
}
