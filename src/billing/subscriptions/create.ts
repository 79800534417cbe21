import type Stripe from 'stripe';
import { requireOnBehalfOf } from '../../accounts/service.ts';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCustomer } from '../customers/service.ts';
import { refuseAccountsV2 } from '../invoices/create.ts';
import type { LineInput } from '../invoices/lines.ts';
import { priceAmount } from '../math/price-amount.ts';
import { applicableTaxRates } from '../tax-rates/service.ts';
import { checkPeriodAmount } from './amount-cap.ts';
import { buildSubscription } from './create-build.ts';
import { firstLines, planStart } from './create-plan.ts';
import { resolveDiscounts, resolveItemDiscounts } from './discounts.ts';
import { issueInvoice, productNames } from './invoicing.ts';
import type { CreateSubscriptionParams } from './params.ts';
import { noPaymentMethod, paymentError, subscriptionPaymentMethod } from './payment.ts';
import { checkSameTerms, itemPrice, type PriceOptions } from './prices.ts';
import { insertSubscription, saveSubscription } from './store.ts';
import { ctxForCustomer } from './time.ts';

type CreateItem = NonNullable<CreateSubscriptionParams['items']>[number];
const sum = (lines: LineInput[]) => lines.reduce((s, l) => s + l.amount, 0);

/**
 * `POST /v1/subscriptions`. The first invoice is made, finalized and (unless
 * `payment_behavior=default_incomplete`) charged at once; its outcome gives the status: trialing,
 * active, or incomplete (with `error_if_incomplete`, a failed charge refuses the whole request and
 * nothing is written). Checks and loads what the params name, plans the start (`planStart`),
 * builds the subscription, then redeems its discounts and bills it.
 */
export async function createSubscription(
  base: Ctx,
  params: CreateSubscriptionParams,
  // A subscription started by a subscription schedule is created under it.
  options: { schedule?: string } & PriceOptions = {},
): Promise<Stripe.Subscription> {
  refuseAccountsV2(params.customer_account);
  if (params.customer === undefined) throw errors.parameterMissing('customer');
  const customer = await requireCustomer(base, params.customer, 'customer');
  const ctx = await ctxForCustomer(base, customer);
  const now = ctx.clock.now();
  if (!params.items || params.items.length === 0) throw errors.parameterMissing('items');
  checkCollection(params);
  const prices = await itemPrices(ctx, params.items, options);
  const paymentMethod = await subscriptionPaymentMethod(ctx, params.default_payment_method, customer);
  if (params.on_behalf_of !== undefined) await requireOnBehalfOf(ctx, params.on_behalf_of);
  const plan = planStart(params, prices, now);
  const sub = buildSubscription({
    id: newId('sub'),
    params,
    customer,
    prices,
    paymentMethod,
    plan,
    now,
    livemode: ctx.scope.livemode,
    schedule: options.schedule ?? null,
  });
  checkPeriodAmount(
    sub.items.data.map((item, i) => ({
      price: item.price,
      quantity: item.quantity ?? 1,
      param: `items[${i}][quantity]`,
    })),
  );
  await applyTaxRates(ctx, sub, params);
  await redeemItemDiscounts(ctx, sub, params.items);
  const lines = firstLines(sub, params, plan, await productNames(ctx, sub));
  if (params.discounts) {
    sub.discounts = await resolveDiscounts(
      ctx,
      params.discounts,
      {
        customer: customer.id,
        subscription: sub.id,
        currency: sub.currency,
        amount: sum(lines),
        existing: [],
      },
      'discounts',
    );
  }
  return startBilling(ctx, sub, customer, { params, lines, period: plan.period });
}

function checkCollection(params: CreateSubscriptionParams): void {
  const method = params.collection_method ?? 'charge_automatically';
  if (method === 'send_invoice' && params.days_until_due === undefined) {
    throw fail('days_until_due_required', {}, 'days_until_due');
  }
  if (method === 'charge_automatically' && params.days_until_due !== undefined) {
    throw fail('days_until_due_not_allowed', {}, 'days_until_due');
  }
  if (params.payment_behavior === 'pending_if_incomplete') {
    throw fail('pending_if_incomplete_on_create', {}, 'payment_behavior');
  }
}

/** `default_tax_rates` and `items[][tax_rates]`: only active rates can be applied. */
async function applyTaxRates(ctx: Ctx, sub: Stripe.Subscription, params: CreateSubscriptionParams) {
  sub.default_tax_rates = params.default_tax_rates
    ? await applicableTaxRates(ctx, params.default_tax_rates, 'default_tax_rates')
    : [];
  for (const [i, entry] of (params.items ?? []).entries()) {
    if (!entry.tax_rates) continue;
    sub.items.data[i]!.tax_rates = await applicableTaxRates(ctx, entry.tax_rates, `items[${i}][tax_rates]`);
  }
}

/** The price of each `items[]` entry (loaded, or made from `price_data`), all on one cycle. */
async function itemPrices(ctx: Ctx, entries: CreateItem[], options: PriceOptions): Promise<Stripe.Price[]> {
  const prices: Stripe.Price[] = [];
  for (const [i, entry] of entries.entries()) {
    prices.push(await itemPrice(ctx, entry, `items[${i}]`, options));
  }
  checkSameTerms(prices, 'items');
  return prices;
}

/** `items[][discounts]`: redeemed once the items exist, since each discount names its item. */
async function redeemItemDiscounts(ctx: Ctx, sub: Stripe.Subscription, entries: CreateItem[]): Promise<void> {
  for (const [i, entry] of entries.entries()) {
    if (!entry.discounts) continue;
    const item = sub.items.data[i]!;
    item.discounts = await resolveItemDiscounts(
      ctx,
      entry.discounts,
      item,
      {
        customer: String(sub.customer),
        subscription: sub.id,
        currency: sub.currency,
        amount: priceAmount(item.price, item.quantity ?? 1),
      },
      `items[${i}][discounts]`,
    );
  }
}

/**
 * Stores the new subscription and bills its first period: the invoice is finalized and charged
 * now, and its outcome settles the status (a subscription that cannot be charged at all is refused
 * before any invoice is made).
 */
async function startBilling(
  ctx: Ctx,
  sub: Stripe.Subscription,
  customer: Stripe.Customer,
  first: { params: CreateSubscriptionParams; lines: LineInput[]; period: { start: number; end: number } },
): Promise<Stripe.Subscription> {
  const { params, lines, period } = first;
  await insertSubscription(ctx, sub);
  const before = structuredClone(sub);
  const behavior = params.payment_behavior ?? 'allow_incomplete';
  const collect = behavior !== 'default_incomplete';
  if (
    collect &&
    sub.collection_method === 'charge_automatically' &&
    sum(lines) > 0 &&
    !sub.default_payment_method &&
    !customer.invoice_settings?.default_payment_method
  ) {
    throw noPaymentMethod();
  }
  const { outcome } = await issueInvoice(ctx, sub, {
    billingReason: 'subscription_create',
    lines,
    period,
    immediate: true,
    collect,
    offSession: params.off_session ?? false,
  });
  if (sub.status === 'incomplete') {
    const settled = outcome?.outcome === 'paid' || sub.collection_method === 'send_invoice';
    if (settled) sub.status = 'active';
    else if (behavior === 'error_if_incomplete' && outcome) throw paymentError(outcome);
  }
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.created', sub);
  return sub;
}
