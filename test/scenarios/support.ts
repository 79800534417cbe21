import type Stripe from 'stripe';

export const DAY = 86_400;
/** 2027-01-15 00:00:00 UTC: a start date far from month ends. */
export const JAN_15_2027 = Date.UTC(2027, 0, 15) / 1000;

/** A customer on a fresh test clock, with a card attached as its default payment method. */
export async function clockCustomer(
  stripe: Stripe,
  frozenTime: number,
  card = 'pm_card_visa',
): Promise<{
  clock: Stripe.TestHelpers.TestClock;
  customer: Stripe.Customer;
  paymentMethod: Stripe.PaymentMethod;
}> {
  const clock = await stripe.testHelpers.testClocks.create({ frozen_time: frozenTime });
  const customer = await stripe.customers.create({ test_clock: clock.id, email: 'ada@example.com' });
  const paymentMethod = await stripe.paymentMethods.attach(card, { customer: customer.id });
  const updated = await stripe.customers.update(customer.id, {
    invoice_settings: { default_payment_method: paymentMethod.id },
  });
  return { clock, customer: updated, paymentMethod };
}

/** Advances a clock and waits until it is ready, as code written for Stripe does. */
export async function advance(stripe: Stripe, clock: string, to: number): Promise<void> {
  let state = await stripe.testHelpers.testClocks.advance(clock, { frozen_time: to });
  while (state.status !== 'ready') {
    await new Promise((r) => setTimeout(r, 20));
    state = await stripe.testHelpers.testClocks.retrieve(clock);
  }
}

/** A customer's invoices, oldest first. */
export async function invoicesOf(stripe: Stripe, customer: string): Promise<Stripe.Invoice[]> {
  const all: Stripe.Invoice[] = [];
  for await (const invoice of stripe.invoices.list({ customer, limit: 100 })) all.push(invoice);
  return all.reverse();
}

/** UTC midnight of a calendar date. */
export function utc(year: number, month: number, day: number): number {
  return Date.UTC(year, month - 1, day) / 1000;
}

/** A monthly USD price for a new product of that name. */
export function monthlyPrice(stripe: Stripe, name: string, amount: number): Promise<Stripe.Price> {
  return stripe.prices.create({
    product_data: { name },
    currency: 'usd',
    unit_amount: amount,
    recurring: { interval: 'month' },
  });
}
