import type Stripe from 'stripe';
import { requireOnBehalfOf } from '../../accounts/service.ts';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCustomer } from '../customers/service.ts';
import { pricingOf } from '../invoices/lines.ts';
import { addInterval, anchorFromConfig, periodContaining } from '../math/periods.ts';
import { priceAmount } from '../math/price-amount.ts';
import { prorationLines } from '../math/proration.ts';
import { resolveDiscounts, resolveItemDiscounts } from './discounts.ts';
import { issueInvoice, periodLines, productNames } from './invoicing.ts';
import { newItem, setPeriod } from './items.ts';
import type { CreateSubscriptionParams } from './params.ts';
import { noPaymentMethod, paymentError, subscriptionPaymentMethod } from './payment.ts';
import { checkSameTerms, itemPrice, type PriceOptions } from './prices.ts';
import { insertSubscription, saveSubscription } from './store.ts';
import { ctxForCustomer } from './time.ts';

const DAY = 86_400;

function trialEnd(params: CreateSubscriptionParams, prices: Stripe.Price[], now: number): number | null {
  if (params.trial_end !== undefined && params.trial_period_days !== undefined) {
    throw errors.parametersExclusive('trial_end', 'trial_period_days');
  }
  if (params.trial_end === 'now') return null;
  if (params.trial_end !== undefined) {
    if (params.trial_end <= now) {
      throw errors.invalidRequest(
        'Invalid timestamp: must be an integer Unix timestamp in the future.',
        'trial_end',
      );
    }
    if (params.trial_end > now + 730 * DAY) {
      throw errors.invalidRequest(
        'Invalid timestamp: can be no more than two years in the future.',
        'trial_end',
      );
    }
    return params.trial_end;
  }
  if (params.trial_period_days) return now + params.trial_period_days * DAY;
  const fromPlan = prices[0]?.recurring?.trial_period_days;
  if (params.trial_from_plan && fromPlan) return now + fromPlan * DAY;
  return null;
}

function checkCollection(params: CreateSubscriptionParams): void {
  const method = params.collection_method ?? 'charge_automatically';
  if (method === 'send_invoice' && params.days_until_due === undefined) {
    throw errors.invalidRequest(
      '`days_until_due` is required when `collection_method` is `send_invoice`.',
      'days_until_due',
    );
  }
  if (method === 'charge_automatically' && params.days_until_due !== undefined) {
    throw errors.invalidRequest(
      '`days_until_due` can only be set when `collection_method` is `send_invoice`.',
      'days_until_due',
    );
  }
  if (params.payment_behavior === 'pending_if_incomplete') {
    throw errors.invalidRequest(
      '`payment_behavior=pending_if_incomplete` can only be used when updating a subscription.',
      'payment_behavior',
    );
  }
}

/**
 * `POST /v1/subscriptions`. The first invoice is made, finalized and (unless
 * `payment_behavior=default_incomplete`) charged at once; its outcome gives the status: trialing,
 * active, or incomplete (with `error_if_incomplete`, a failed charge refuses the whole request and
 * nothing is written).
 */
export async function createSubscription(
  base: Ctx,
  params: CreateSubscriptionParams,
  // A subscription started by a subscription schedule is created under it.
  options: { schedule?: string } & PriceOptions = {},
): Promise<Stripe.Subscription> {
  if (params.customer_account !== undefined) {
    throw errors.invalidRequest(
      'Portico does not support Accounts v2 customers yet: use `customer` instead of `customer_account`.',
      'customer_account',
    );
  }
  if (params.customer === undefined) throw errors.parameterMissing('customer');
  const customer = await requireCustomer(base, params.customer, 'customer');
  const ctx = await ctxForCustomer(base, customer);
  const now = ctx.clock.now();
  if (!params.items || params.items.length === 0) throw errors.parameterMissing('items');
  checkCollection(params);
  const prices: Stripe.Price[] = [];
  for (const [i, entry] of params.items.entries()) {
    prices.push(await itemPrice(ctx, entry, `items[${i}]`, options));
  }
  checkSameTerms(prices, 'items');
  const recurring = prices[0]!.recurring!;
  const paymentMethod = await subscriptionPaymentMethod(ctx, params.default_payment_method, customer);
  if (params.on_behalf_of !== undefined) await requireOnBehalfOf(ctx, params.on_behalf_of);

  if (params.backdate_start_date !== undefined && params.backdate_start_date >= now) {
    throw errors.invalidRequest('`backdate_start_date` must be in the past.', 'backdate_start_date');
  }
  if (params.cancel_at !== undefined && params.cancel_at <= now) {
    throw errors.invalidRequest('`cancel_at` must be in the future.', 'cancel_at');
  }
  if (params.cancel_at !== undefined && params.cancel_at_period_end) {
    throw errors.parametersExclusive('cancel_at', 'cancel_at_period_end');
  }
  const start = params.backdate_start_date ?? now;
  const trial = trialEnd(params, prices, now);
  const natural = addInterval(start, recurring.interval, recurring.interval_count, 1);
  let anchor = trial ?? start;
  if (params.billing_cycle_anchor !== undefined && params.billing_cycle_anchor_config !== undefined) {
    throw errors.parametersExclusive('billing_cycle_anchor', 'billing_cycle_anchor_config');
  }
  if (params.billing_cycle_anchor !== undefined) {
    if (params.billing_cycle_anchor < now || params.billing_cycle_anchor > (trial ?? natural)) {
      throw errors.invalidRequest(
        '`billing_cycle_anchor` must be between now and the end of the first full period (or of the trial).',
        'billing_cycle_anchor',
      );
    }
    anchor = params.billing_cycle_anchor;
  } else if (params.billing_cycle_anchor_config !== undefined && trial === null) {
    anchor = anchorFromConfig(start, params.billing_cycle_anchor_config);
  }

  const id = newId('sub');
  // The first period: the trial, a stub up to a later anchor, or a whole period from the start.
  const firstEnd =
    trial ??
    (anchor > start
      ? anchor
      : periodContaining(anchor, recurring.interval, recurring.interval_count, now).end);
  const period = { start, end: firstEnd };
  const items = params.items.map((entry, i) =>
    newItem({
      subscription: id,
      price: prices[i]!,
      quantity: entry.quantity ?? 1,
      metadata: mergeMetadata({}, entry.metadata),
      created: now,
      period,
      discounts: [],
    }),
  );
  const sub: Stripe.Subscription = {
    id,
    object: 'subscription',
    application: null,
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: trial ?? anchor,
    billing_cycle_anchor_config: params.billing_cycle_anchor_config
      ? {
          day_of_month: params.billing_cycle_anchor_config.day_of_month,
          hour: params.billing_cycle_anchor_config.hour ?? null,
          minute: params.billing_cycle_anchor_config.minute ?? null,
          month: params.billing_cycle_anchor_config.month ?? null,
          second: params.billing_cycle_anchor_config.second ?? null,
        }
      : null,
    billing_mode: { flexible: null, type: 'classic' },
    billing_schedules: [],
    billing_thresholds: null,
    cancel_at: params.cancel_at ?? null,
    cancel_at_period_end: params.cancel_at_period_end ?? false,
    canceled_at: params.cancel_at_period_end || params.cancel_at ? now : null,
    cancellation_details: { comment: null, feedback: null, feedback_option: null, reason: null },
    collection_method: params.collection_method ?? 'charge_automatically',
    created: now,
    currency: prices[0]!.currency,
    customer: customer.id,
    customer_account: null,
    days_until_due: params.days_until_due ?? null,
    default_payment_method: paymentMethod,
    default_source: null,
    description: params.description ?? null,
    discounts: [],
    ended_at: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    items: { object: 'list', data: items, has_more: false, url: `/v1/subscription_items?subscription=${id}` },
    latest_invoice: null,
    livemode: ctx.scope.livemode,
    managed_payments: null,
    metadata: mergeMetadata({}, params.metadata),
    next_pending_invoice_item_invoice: null,
    on_behalf_of: params.on_behalf_of ?? null,
    pause_collection: null,
    payment_settings: {
      payment_method_options: null,
      payment_method_types: null,
      save_default_payment_method: 'off',
    },
    pending_invoice_item_interval: null,
    pending_setup_intent: null,
    pending_update: null,
    schedule: options.schedule ?? null,
    start_date: start,
    status: trial !== null ? 'trialing' : 'incomplete',
    test_clock: customer.test_clock
      ? typeof customer.test_clock === 'string'
        ? customer.test_clock
        : customer.test_clock.id
      : null,
    transfer_data: null,
    trial_end: trial,
    trial_settings: {
      end_behavior: {
        billing_cycle_anchor: null,
        missing_payment_method:
          params.trial_settings?.end_behavior.missing_payment_method ?? 'create_invoice',
      },
    },
    trial_start: trial !== null ? now : null,
  };
  setPeriod(sub, period);

  for (const [i, entry] of params.items.entries()) {
    if (!entry.discounts) continue;
    const item = items[i]!;
    item.discounts = await resolveItemDiscounts(
      ctx,
      entry.discounts,
      item,
      {
        customer: customer.id,
        subscription: id,
        currency: sub.currency,
        amount: priceAmount(item.price, item.quantity ?? 1),
      },
      `items[${i}][discounts]`,
    );
  }
  const names = await productNames(ctx, sub);
  const lines = firstLines(sub, params, period, anchor, start, trial !== null, names);
  if (params.discounts) {
    sub.discounts = await resolveDiscounts(
      ctx,
      params.discounts,
      {
        customer: customer.id,
        subscription: id,
        currency: sub.currency,
        amount: lines.reduce((s, l) => s + l.amount, 0),
        existing: [],
      },
      'discounts',
    );
  }
  await insertSubscription(ctx, sub);
  const before = structuredClone(sub);
  const behavior = params.payment_behavior ?? 'allow_incomplete';
  const collect = behavior !== 'default_incomplete';
  const total = lines.reduce((s, l) => s + l.amount, 0);
  if (
    collect &&
    sub.collection_method === 'charge_automatically' &&
    total > 0 &&
    !paymentMethod &&
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

/** The first invoice's lines: a free trial, a prorated stub up to a later anchor, or whole periods. */
function firstLines(
  sub: Stripe.Subscription,
  params: CreateSubscriptionParams,
  period: { start: number; end: number },
  anchor: number,
  start: number,
  trial: boolean,
  names: Map<string, string>,
) {
  if (trial) return periodLines(sub, period, names, { trial: true });
  const recurring = sub.items.data[0]!.price.recurring!;
  if (anchor > start && params.backdate_start_date === undefined) {
    if (params.proration_behavior === 'none')
      return periodLines(sub, period, names, { trial: true }).map((l) => ({
        ...l,
        description: l.description.replace('Trial period for', 'Free period for'),
      }));
    // A stub period up to the anchor is billed as the remaining share of the full period ending at the anchor.
    const full = {
      start: addInterval(anchor, recurring.interval, recurring.interval_count, -1),
      end: anchor,
    };
    return sub.items.data.flatMap((item) => {
      const quantity = item.quantity ?? 1;
      const name = names.get(String(item.price.product)) ?? String(item.price.product);
      return prorationLines({
        period: full,
        prorationDate: start,
        to: { amount: priceAmount(item.price, quantity), quantity, name },
      }).map((l) => ({
        amount: l.amount,
        description: l.description,
        period: l.period,
        quantity,
        pricing: pricingOf(item.price),
        discountable: true,
        proration: false,
        subscription: sub.id,
        subscriptionItem: item.id,
        discounts: item.discounts.map((d) => (typeof d === 'string' ? d : d.id)),
      }));
    });
  }
  // Backdated: every whole period from the start up to now, at once.
  const periods = params.backdate_start_date === undefined ? 1 : countPeriods(start, period.end, recurring);
  return periodLines(sub, period, names).map((l) => ({ ...l, amount: l.amount * periods }));
}

function countPeriods(start: number, end: number, recurring: Stripe.Price.Recurring): number {
  let n = 1;
  while (addInterval(start, recurring.interval, recurring.interval_count, n) < end) n += 1;
  return n;
}
