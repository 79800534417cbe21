import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { ApiError, errors, underParam } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { InvoiceDiscount } from '../math/discounts.ts';
import { addInterval } from '../math/periods.ts';
import { intervalChangeResetsCycle } from '../math/proration.ts';
import { buildPrice, requirePrice } from '../prices/service.ts';
import { requireProduct } from '../products/service.ts';
import { activeDiscounts } from '../subscriptions/discounts.ts';
import { periodLines, productNames } from '../subscriptions/invoicing.ts';
import { applyItemChanges } from '../subscriptions/item-changes.ts';
import { setPeriod } from '../subscriptions/items.ts';
import { checkItemPrice } from '../subscriptions/prices.ts';
import { type ItemState, prorationsOf } from '../subscriptions/proration.ts';
import { currentPeriod, nextPeriod } from '../subscriptions/schedule.ts';
import type { LineInput } from './lines.ts';
import type { PreviewInvoiceParams, PreviewItemParams } from './params.ts';

type Details = NonNullable<PreviewInvoiceParams['subscription_details']>;
type Change = { from: ItemState | null; to: ItemState | null };
const DAY = 86_400;
const P = 'subscription_details';

/** What a subscription's previewed invoice holds, and when it would be made. */
export interface SubscriptionPreview {
  /** The subscription as the previewed change leaves it (never written). */
  sub: Stripe.Subscription;
  /** Lines billing a period of the subscription's items. */
  periodLines: LineInput[];
  /** Prorations the change would make (they join the pending items). */
  prorations: LineInput[];
  period: { start: number; end: number };
  /** When the invoice would be made. */
  at: number;
  /** A draft the engine finalizes an hour later (a renewal), or one made and finalized now. */
  renewal: boolean;
  discounts: InvoiceDiscount[];
}

/** Stripe's answer when there is nothing to preview: a 404 with code `invoice_upcoming_none`. */
export function noUpcomingInvoice(customer: string): ApiError {
  return new ApiError(404, {
    type: 'invalid_request_error',
    code: 'invoice_upcoming_none',
    message: `No upcoming invoices for customer: ${customer}`,
  });
}

/** An item's price from `price` (active, recurring) or `price_data` (made in memory only). */
async function previewPrice(ctx: Ctx, entry: PreviewItemParams, path: string): Promise<Stripe.Price> {
  if (entry.price !== undefined && entry.price_data !== undefined) {
    throw errors.parametersExclusive(`${path}[price]`, `${path}[price_data]`);
  }
  if (entry.price_data !== undefined) {
    const data = entry.price_data;
    await requireProduct(ctx, data.product, `${path}[price_data][product]`);
    // Checked as `price_data` would be when the update runs; the preview's price is never stored.
    const terms = {
      active: false,
      currency: data.currency,
      recurring: data.recurring,
      tax_behavior: data.tax_behavior,
      unit_amount: data.unit_amount,
      unit_amount_decimal: data.unit_amount_decimal,
    };
    const id = `price_tmp_${newId('price').slice(6)}`;
    return underParam(`${path}[price_data]`, async () => buildPrice(ctx, data.product, terms, id));
  }
  if (entry.price === undefined) throw errors.parameterMissing(`${path}[price]`);
  const price = await requirePrice(ctx, entry.price, `${path}[price]`);
  checkItemPrice(price, `${path}[price]`);
  return price;
}

function checkTimes(
  details: Details,
  sub: Stripe.Subscription,
  period: { start: number; end: number },
  now: number,
) {
  const date = details.proration_date;
  if (date !== undefined && (date < period.start || date > period.end)) {
    throw errors.invalidRequest(
      '`proration_date` must be within the current billing period.',
      `${P}[proration_date]`,
    );
  }
  if (typeof details.trial_end === 'number') {
    if (details.trial_end <= now || details.trial_end > now + 730 * DAY) {
      throw errors.invalidRequest(
        'Invalid timestamp: must be an integer Unix timestamp in the future, at most two years ahead.',
        `${P}[trial_end]`,
      );
    }
  }
  if (details.resume_at !== undefined && sub.status !== 'paused') {
    throw errors.invalidRequest('Only a paused subscription can be resumed.', `${P}[resume_at]`);
  }
  if (details.cancel_now && details.cancel_at_period_end) {
    throw errors.parametersExclusive(`${P}[cancel_now]`, `${P}[cancel_at_period_end]`);
  }
}

function prorationLines(
  sub: Stripe.Subscription,
  names: Map<string, string>,
  period: { start: number; end: number },
  at: number,
  changes: Change[],
): LineInput[] {
  return prorationsOf(names, period, at, changes).map((p) => ({
    amount: p.amount,
    description: p.description,
    period: p.period,
    quantity: p.quantity,
    pricing: p.pricing,
    discountable: true,
    proration: true,
    subscription: sub.id,
    subscriptionItem: p.subscriptionItem,
  }));
}

/** The whole-item credits of the current period's unused time (a cycle reset, a cancellation). */
function creditsOf(items: Stripe.SubscriptionItem[]): Change[] {
  return items.map((item) => ({ from: { item, price: item.price, quantity: item.quantity ?? 1 }, to: null }));
}

/** Whether the subscription ends at the end of its period rather than renewing. */
function endsWithPeriod(sub: Stripe.Subscription, period: { start: number; end: number }): boolean {
  return sub.cancel_at_period_end || (sub.cancel_at !== null && sub.cancel_at <= period.end);
}

/**
 * The invoice a subscription would make next, with `subscription_details` applied to a copy of
 * it, following the update's rules (`updateSubscription`) step for step: prorations by the
 * second (`proration_date`, `proration_behavior`), a new interval or `billing_cycle_anchor=now`
 * billing a new period now, `always_invoice` invoicing the prorations now, `cancel_now` the final
 * invoice, `resume_at=now` the period a resumption starts. Otherwise the next renewal: the next
 * period's lines, with the prorations pending for it.
 */
export async function previewSubscription(
  ctx: Ctx,
  original: Stripe.Subscription,
  details: Details,
): Promise<SubscriptionPreview> {
  const now = ctx.clock.now();
  const sub = structuredClone(original);
  if (sub.status === 'canceled' || sub.status === 'incomplete_expired') {
    throw noUpcomingInvoice(String(sub.customer));
  }
  const period = currentPeriod(sub);
  checkTimes(details, sub, period, now);
  const oldRecurring = sub.items.data[0]!.price.recurring!;
  const changes = details.items
    ? await applyItemChanges(ctx, sub, details.items, period, {
        param: `${P}[items]`,
        price: (entry, path) => previewPrice(ctx, entry, path),
      })
    : [];
  const newRecurring = sub.items.data[0]!.price.recurring!;
  // Credits name the products the subscription had, charges those it gets.
  const names = new Map([...(await productNames(ctx, original)), ...(await productNames(ctx, sub))]);
  if (details.cancel_at_period_end !== undefined) sub.cancel_at_period_end = details.cancel_at_period_end;
  const behavior = details.proration_behavior ?? 'create_prorations';
  const at = details.proration_date ?? now;
  const trialing = sub.status === 'trialing';
  const inPeriod = now > period.start && now < period.end;
  const immediate = async (
    lines: LineInput[],
    prorations: LineInput[],
    invoicePeriod: { start: number; end: number },
  ) => ({
    sub,
    periodLines: lines,
    prorations,
    period: invoicePeriod,
    at: now,
    renewal: false,
    discounts: await activeDiscounts(ctx, sub, invoicePeriod.start),
  });

  if (details.cancel_now) {
    const credits =
      behavior !== 'none' && !trialing && inPeriod
        ? prorationLines(sub, names, period, now, creditsOf(original.items.data))
        : [];
    return immediate([], credits, { start: period.start, end: now });
  }
  if (details.resume_at === 'now') {
    const resumed = {
      start: now,
      end: addInterval(now, newRecurring.interval, newRecurring.interval_count, 1),
    };
    setPeriod(sub, resumed);
    sub.status = 'active';
    return immediate(periodLines(sub, resumed, names), [], resumed);
  }
  const endTrialNow = details.trial_end === 'now' && trialing;
  const resetCycle =
    endTrialNow ||
    details.billing_cycle_anchor === 'now' ||
    (changes.length > 0 && !trialing && intervalChangeResetsCycle(oldRecurring, newRecurring));

  if (typeof details.trial_end === 'number') {
    // A new trial end: nothing is billed until then; the first paid period starts there.
    sub.status = 'trialing';
    sub.trial_end = details.trial_end;
    sub.billing_cycle_anchor = details.trial_end;
    setPeriod(sub, { start: period.start, end: details.trial_end });
  } else if (resetCycle) {
    const credits =
      behavior !== 'none' && !trialing && inPeriod
        ? prorationLines(sub, names, period, now, creditsOf(original.items.data))
        : [];
    if (endTrialNow) {
      sub.status = 'active';
      sub.trial_end = now;
    }
    sub.billing_cycle_anchor = now;
    const fresh = {
      start: now,
      end: addInterval(now, newRecurring.interval, newRecurring.interval_count, 1),
    };
    setPeriod(sub, fresh);
    return immediate(periodLines(sub, fresh, names), credits, fresh);
  }
  let prorations: LineInput[] = [];
  if (
    typeof details.trial_end !== 'number' &&
    changes.length > 0 &&
    !trialing &&
    behavior !== 'none' &&
    at < period.end
  ) {
    prorations = prorationLines(sub, names, period, at, changes);
    if (behavior === 'always_invoice') return immediate([], prorations, { start: at, end: period.end });
  }
  const current = currentPeriod(sub);
  const next = nextPeriod(sub);
  const renews = sub.status !== 'paused' && !endsWithPeriod(sub, current);
  return {
    sub,
    periodLines: renews ? periodLines(sub, next, names) : [],
    prorations,
    period: renews ? next : current,
    at: current.end,
    renewal: true,
    discounts: await activeDiscounts(ctx, sub, next.start),
  };
}
