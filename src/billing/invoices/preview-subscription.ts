import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { type AppError, errors, fail, underParam } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { InvoiceDiscount } from '../math/discounts.ts';
import { addInterval } from '../math/periods.ts';
import { buildPrice, requirePrice } from '../prices/service.ts';
import { requireProduct } from '../products/service.ts';
import { subscriptionAfter } from '../subscriptions/apply-plan.ts';
import { hasEnded } from '../subscriptions/cancel.ts';
import { activeDiscounts } from '../subscriptions/discounts.ts';
import { periodLines, productNames } from '../subscriptions/invoicing.ts';
import { pricesNamed, resolveItemEntries } from '../subscriptions/item-changes.ts';
import { setPeriod } from '../subscriptions/items.ts';
import { type ChangePlan, checkChangeTimes, planChange, unusedTimeCredits } from '../subscriptions/plan.ts';
import { checkItemPrice, itemPlan } from '../subscriptions/prices.ts';
import type { Proration } from '../subscriptions/proration.ts';
import { currentPeriod, nextPeriod } from '../subscriptions/schedule.ts';
import { applicableTaxRates } from '../tax-rates/service.ts';
import type { LineInput } from './lines.ts';
import type { PreviewInvoiceParams, PreviewItemParams } from './params.ts';

type Details = NonNullable<PreviewInvoiceParams['subscription_details']>;
type Period = { start: number; end: number };
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
export function noUpcomingInvoice(customer: string): AppError<'invoice_upcoming_none'> {
  return fail('invoice_upcoming_none', { customer });
}

/**
 * An item's price from `price` or `plan` (active, recurring) or `price_data` (made in memory
 * only).
 */
async function previewPrice(ctx: Ctx, entry: PreviewItemParams, path: string): Promise<Stripe.Price> {
  const plan = await itemPlan(ctx, entry, path);
  if (plan) return plan;
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

/** What only a preview asks: a resumption (of a paused subscription), a cancellation now. */
function checkPreviewOnly(details: Details, sub: Stripe.Subscription): void {
  if (details.resume_at !== undefined && sub.status !== 'paused') {
    throw fail('resume_not_paused', {}, `${P}[resume_at]`);
  }
  if (details.cancel_now && details.cancel_at_period_end) {
    throw errors.parametersExclusive(`${P}[cancel_now]`, `${P}[cancel_at_period_end]`);
  }
}

/**
 * The invoice a subscription would make next, with `subscription_details` applied to a copy of
 * it. The change is planned as the update plans it (`planChange`), so the preview shows what the
 * update would do: a new cycle billed now, `always_invoice` prorations invoiced now, or else the
 * next renewal with the prorations pending for it. Only a preview has `cancel_now` (the final
 * invoice) and `resume_at=now` (the period a resumption starts).
 */
export async function previewSubscription(
  ctx: Ctx,
  original: Stripe.Subscription,
  details: Details,
): Promise<SubscriptionPreview> {
  const now = ctx.clock.now();
  if (hasEnded(original)) throw noUpcomingInvoice(String(original.customer));
  // The update's own checks and plan name the update's params; here they sit under `subscription_details`.
  await underParam(P, async () => checkChangeTimes(details, currentPeriod(original), now));
  checkPreviewOnly(details, original);
  const items = details.items
    ? await resolveItemEntries(original, details.items, {
        param: `${P}[items]`,
        price: (entry, path) => previewPrice(ctx, entry, path),
        taxRates: async (item, entry, path) =>
          entry.tax_rates === undefined
            ? undefined
            : entry.tax_rates
              ? applicableTaxRates(ctx, entry.tax_rates, `${path}[tax_rates]`, item.tax_rates)
              : [],
      })
    : undefined;
  const names = await productNames(ctx, original, pricesNamed(items));
  const plan = await underParam(P, async () =>
    planChange(
      original,
      {
        items,
        prorationBehavior: details.proration_behavior,
        prorationDate: details.proration_date,
        trialEnd: details.trial_end,
        billingCycleAnchor: details.billing_cycle_anchor,
      },
      now,
      { productNames: names, defaultProrationBehavior: 'create_prorations' },
    ),
  );
  const sub = subscriptionAfter(original, plan, now);
  if (details.cancel_at_period_end !== undefined) sub.cancel_at_period_end = details.cancel_at_period_end;
  if (details.default_tax_rates !== undefined) {
    sub.default_tax_rates = details.default_tax_rates
      ? await applicableTaxRates(
          ctx,
          details.default_tax_rates,
          `${P}[default_tax_rates]`,
          original.default_tax_rates ?? [],
        )
      : [];
  }
  const preview: Previewed = { ctx, original, sub, plan, names, now };
  if (details.cancel_now) return cancelNow(preview);
  if (details.resume_at === 'now') return resumeNow(preview);
  return plan.invoice ? invoiceNow(preview, plan.invoice.period) : renewal(preview);
}

/** A previewed change: the subscription before and after, and its plan. */
interface Previewed {
  ctx: Ctx;
  original: Stripe.Subscription;
  sub: Stripe.Subscription;
  plan: ChangePlan;
  names: Map<string, string>;
  now: number;
}

/** Prorations as the preview's lines. */
function prorationLines(sub: Stripe.Subscription, prorations: Proration[]): LineInput[] {
  return prorations.map((p) => ({
    amount: p.amount,
    description: p.description,
    period: p.period,
    quantity: p.quantity,
    pricing: p.pricing,
    discountable: true,
    proration: true,
    subscription: sub.id,
    subscriptionItem: p.subscriptionItem,
    taxRates: p.taxRates,
  }));
}

/** An invoice made and finalized now, rather than a renewal's draft. */
async function immediate(
  { ctx, sub, now }: Previewed,
  lines: LineInput[],
  prorations: Proration[],
  period: Period,
): Promise<SubscriptionPreview> {
  return {
    sub,
    periodLines: lines,
    prorations: prorationLines(sub, prorations),
    period,
    at: now,
    renewal: false,
    discounts: await activeDiscounts(ctx, sub, period.start),
  };
}

/** The plan's invoice now: the new cycle's first period (a reset) or `always_invoice` prorations. */
function invoiceNow(preview: Previewed, period: Period): Promise<SubscriptionPreview> {
  const { sub, plan, names } = preview;
  const lines = plan.invoice?.billsNewPeriod ? periodLines(sub, period, names) : [];
  return immediate(preview, lines, plan.prorations, period);
}

/** `cancel_now`: the final invoice, crediting the unused time of what the subscription had. */
function cancelNow(preview: Previewed): Promise<SubscriptionPreview> {
  const { original, plan, names, now } = preview;
  const credits = unusedTimeCredits(original, plan.prorationBehavior, now, names);
  return immediate(preview, [], credits, { start: currentPeriod(original).start, end: now });
}

/** `resume_at=now`: a paused subscription starts a new period of its (changed) items now. */
function resumeNow(preview: Previewed): Promise<SubscriptionPreview> {
  const { sub, names, now } = preview;
  const recurring = sub.items.data[0]!.price.recurring!;
  const resumed = { start: now, end: addInterval(now, recurring.interval, recurring.interval_count, 1) };
  setPeriod(sub, resumed);
  sub.status = 'active';
  return immediate(preview, periodLines(sub, resumed, names), [], resumed);
}

/** Whether the subscription ends at the end of its period rather than renewing. */
function endsWithPeriod(sub: Stripe.Subscription, period: Period): boolean {
  return sub.cancel_at_period_end || (sub.cancel_at !== null && sub.cancel_at <= period.end);
}

/** The next renewal's draft: the next period's lines (unless it ends), the prorations pending for it. */
async function renewal({ ctx, sub, plan, names }: Previewed): Promise<SubscriptionPreview> {
  const current = currentPeriod(sub);
  const next = nextPeriod(sub);
  const renews = sub.status !== 'paused' && !endsWithPeriod(sub, current);
  return {
    sub,
    periodLines: renews ? periodLines(sub, next, names) : [],
    prorations: prorationLines(sub, plan.prorations),
    period: renews ? next : current,
    at: current.end,
    renewal: true,
    discounts: await activeDiscounts(ctx, sub, next.start),
  };
}
