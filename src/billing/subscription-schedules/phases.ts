import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { requireCoupon } from '../coupons/service.ts';
import { addInterval } from '../math/periods.ts';
import { checkCouponRedeemable } from '../math/redemption.ts';
import { requirePromotionCode } from '../promotion-codes/service.ts';
import { checkPeriodAmount } from '../subscriptions/amount-cap.ts';
import { subscriptionPaymentMethod } from '../subscriptions/payment.ts';
import { checkSameTerms, itemPrice } from '../subscriptions/prices.ts';
import { applicableTaxRates } from '../tax-rates/service.ts';
import type { PhaseDiscountParams, PhaseParams } from './params.ts';

type Phase = Stripe.SubscriptionSchedule.Phase;
type Settings = Stripe.SubscriptionSchedule.DefaultSettings;

const DAY = 86_400;
/** Subscriptions refuse trials longer than two years; a phase's trial is checked against it up front. */
const MAX_TRIAL_SECONDS = 730 * DAY;

/** What checking a schedule's phases needs besides the phases themselves. */
export interface PhaseContext {
  customer: Stripe.Customer;
  now: number;
  defaults: Settings;
  /** The discounts of the schedule's subscription, which `discounts[][discount]` may name. */
  discounts: string[];
  /** The subscription's currency, which no phase may change. */
  currency: string | null;
  /** Tax rates the schedule's phases already carry: they stay usable once archived. */
  taxRates?: (Stripe.TaxRate | string)[];
}

/** A phase's tax rates, checked when the phase is set. */
interface PhaseTaxRates {
  defaults: Stripe.TaxRate[];
  items: Stripe.TaxRate[][];
}

async function checkTaxRates(
  ctx: Ctx,
  params: PhaseParams,
  pc: PhaseContext,
  path: string,
): Promise<PhaseTaxRates> {
  const kept = pc.taxRates ?? [];
  const rates = (ids: string[] | '' | null | undefined, param: string) =>
    ids ? applicableTaxRates(ctx, ids, param, kept) : Promise.resolve([]);
  const items: Stripe.TaxRate[][] = [];
  for (const [j, item] of params.items.entries()) {
    items.push(await rates(item.tax_rates, `${path}[items][${j}][tax_rates]`));
  }
  return { defaults: await rates(params.default_tax_rates, `${path}[default_tax_rates]`), items };
}

interface Resolved {
  params: PhaseParams;
  prices: Stripe.Price[];
  path: string;
}

async function resolvePrices(ctx: Ctx, params: PhaseParams, path: string): Promise<Stripe.Price[]> {
  if (params.items.length === 0) {
    throw fail('schedule_phase_items_missing', {}, `${path}[items]`);
  }
  const prices: Stripe.Price[] = [];
  for (const [j, item] of params.items.entries()) {
    const itemPath = `${path}[items][${j}]`;
    prices.push(await itemPrice(ctx, item, itemPath));
  }
  checkSameTerms(prices, `${path}[items]`);
  // A phase's subscription must fit one invoice a period, as any subscription must: refused
  // here rather than when the engine applies the phase.
  checkPeriodAmount(
    params.items.map((item, j) => ({
      price: prices[j]!,
      quantity: item.quantity ?? 1,
      param: `${path}[items][${j}][quantity]`,
    })),
  );
  const own = prices[0]!.currency;
  if (params.currency !== undefined && params.currency !== own) {
    throw fail(
      'schedule_phase_currency_mismatch',
      { currency: params.currency, priceCurrency: own },
      `${path}[currency]`,
    );
  }
  return prices;
}

/** The end a phase states itself (`end_date` or `duration`), or null when it is left to be worked out. */
function statedEnd(params: PhaseParams, start: number, now: number, path: string): number | null {
  if (params.end_date !== undefined && params.duration !== undefined) {
    throw errors.parametersExclusive(`${path}[end_date]`, `${path}[duration]`);
  }
  if (params.end_date === 'now') return now;
  if (params.end_date !== undefined) return params.end_date;
  if (params.duration) {
    return addInterval(start, params.duration.interval, params.duration.interval_count ?? 1, 1);
  }
  return null;
}

/**
 * Each phase starts where the one before ends. A phase ends at its `end_date`, after its
 * `duration`, where the next phase's `start_date` says, or else after one billing period of its
 * prices (Stripe's default of a single iteration).
 */
function timeline(resolved: Resolved[], firstStart: number, now: number): { start: number; end: number }[] {
  const dates: { start: number; end: number }[] = [];
  let start = firstStart;
  for (const [i, r] of resolved.entries()) {
    const next = resolved[i + 1];
    const nextStart = next?.params.start_date === 'now' ? now : next?.params.start_date;
    const stated = statedEnd(r.params, start, now, r.path);
    let end: number;
    if (stated !== null) {
      end = stated;
      if (nextStart !== undefined && nextStart !== end) {
        throw fail('schedule_phase_gap', { end }, `${next!.path}[start_date]`);
      }
    } else if (nextStart !== undefined) end = nextStart;
    else {
      const recurring = r.prices[0]!.recurring!;
      end = addInterval(start, recurring.interval, recurring.interval_count, 1);
    }
    if (end <= start) {
      const param = stated !== null ? `${r.path}[end_date]` : `${next!.path}[start_date]`;
      throw fail('schedule_phase_ends_before_start', { start }, param);
    }
    dates.push({ start, end });
    start = end;
  }
  return dates;
}

function trialEnd(params: PhaseParams, start: number, end: number, now: number, path: string): number | null {
  if (params.trial && params.trial_end !== undefined) {
    throw errors.parametersExclusive(`${path}[trial]`, `${path}[trial_end]`);
  }
  const until = params.trial ? end : params.trial_end === 'now' ? now : (params.trial_end ?? null);
  if (params.trial_end !== undefined && params.trial_end !== 'now' && (until! <= start || until! > end)) {
    throw fail('schedule_trial_end_outside_phase', { start, end }, `${path}[trial_end]`);
  }
  if (until !== null && until - Math.max(start, now) > MAX_TRIAL_SECONDS) {
    throw fail('trial_too_long', {}, params.trial ? `${path}[trial]` : `${path}[trial_end]`);
  }
  if (until !== null && params.billing_cycle_anchor === 'phase_start') {
    throw fail('schedule_phase_anchor_trial', {}, `${path}[billing_cycle_anchor]`);
  }
  return until;
}

function checkCollection(params: PhaseParams, defaults: Settings, path: string): void {
  const method = params.collection_method ?? defaults.collection_method ?? 'charge_automatically';
  const days = params.invoice_settings?.days_until_due;
  if (method === 'send_invoice' && (days ?? defaults.invoice_settings.days_until_due) === null) {
    throw fail('days_until_due_required', {}, `${path}[invoice_settings][days_until_due]`);
  }
  if (method === 'charge_automatically' && days !== undefined) {
    throw fail('send_invoice_only', { field: 'days_until_due' }, `${path}[invoice_settings][days_until_due]`);
  }
}

/** Discounts are checked when the phase is set and redeemed when it begins. */
async function checkDiscounts(
  ctx: Ctx,
  entries: PhaseDiscountParams[],
  pc: PhaseContext,
  currency: string,
  path: string,
): Promise<Stripe.SubscriptionSchedule.Phase.Discount[]> {
  const out: Stripe.SubscriptionSchedule.Phase.Discount[] = [];
  for (const [k, entry] of entries.entries()) {
    const at = `${path}[discounts][${k}]`;
    const given = [entry.coupon, entry.promotion_code, entry.discount].filter((v) => v !== undefined);
    if (given.length !== 1) {
      throw fail('discount_source_ambiguous', {}, at);
    }
    if (entry.coupon !== undefined) {
      const coupon = await requireCoupon(ctx, entry.coupon, `${at}[coupon]`);
      const check = checkCouponRedeemable(coupon, pc.now, { currency });
      if (!check.ok) throw check.at(`${at}[coupon]`);
    } else if (entry.promotion_code !== undefined) {
      const code = await requirePromotionCode(ctx, entry.promotion_code, `${at}[promotion_code]`);
      if (!code.active) {
        throw fail('promotion_code_inactive', {}, `${at}[promotion_code]`);
      }
    } else if (!pc.discounts.includes(entry.discount!)) {
      throw errors.noSuchParam('discount', entry.discount!, `${at}[discount]`);
    }
    out.push({
      coupon: entry.coupon ?? null,
      discount: entry.discount ?? null,
      promotion_code: entry.promotion_code ?? null,
    });
  }
  return out;
}

/** The phase object of Stripe's shape, for settings already checked. */
function phaseObject(
  r: Resolved,
  dates: { start: number; end: number },
  trial: number | null,
  paymentMethod: string | null,
  discounts: Stripe.SubscriptionSchedule.Phase.Discount[],
  taxRates: PhaseTaxRates,
): Phase {
  const { params, prices } = r;
  return {
    add_invoice_items: [],
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: params.billing_cycle_anchor ?? null,
    billing_thresholds: null,
    collection_method: params.collection_method ?? null,
    currency: prices[0]!.currency,
    default_payment_method: paymentMethod,
    default_tax_rates: taxRates.defaults,
    description: params.description ?? null,
    discounts,
    end_date: dates.end,
    invoice_settings: params.invoice_settings
      ? {
          account_tax_ids: null,
          custom_fields: null,
          days_until_due: params.invoice_settings.days_until_due ?? null,
          description: null,
          footer: null,
          issuer: null,
        }
      : null,
    items: params.items.map((item, j) => ({
      billing_thresholds: null,
      discounts: [],
      metadata: mergeMetadata({}, item.metadata),
      plan: prices[j]!.id,
      price: prices[j]!.id,
      quantity: item.quantity ?? 1,
      tax_rates: taxRates.items[j]!,
    })),
    metadata: mergeMetadata({}, params.metadata),
    on_behalf_of: null,
    proration_behavior: params.proration_behavior ?? 'create_prorations',
    start_date: dates.start,
    transfer_data: null,
    // A whole-phase trial shows as `trial: true`; `trial_end` is for a trial that ends within it.
    trial_end: params.trial ? null : trial,
    ...(params.trial ? { trial: true } : {}),
  };
}

/**
 * Checks the phases as sent (prices, dates, trials, collection, payment method, discounts) and
 * returns them as phase objects, the first starting at `firstStart`. Params are named as sent
 * (`phases[1][items][0][price]`).
 */
export async function buildPhases(
  ctx: Ctx,
  sent: PhaseParams[],
  firstStart: number,
  pc: PhaseContext,
): Promise<Phase[]> {
  const resolved: Resolved[] = [];
  for (const [i, params] of sent.entries()) {
    const path = `phases[${i}]`;
    resolved.push({ params, prices: await resolvePrices(ctx, params, path), path });
  }
  const currency = pc.currency ?? resolved[0]!.prices[0]!.currency;
  for (const r of resolved) {
    if (r.prices[0]!.currency !== currency) {
      throw fail('schedule_currency_mismatch', { currency }, `${r.path}[items]`);
    }
  }
  const dates = timeline(resolved, firstStart, pc.now);
  const phases: Phase[] = [];
  for (const [i, r] of resolved.entries()) {
    const trial = trialEnd(r.params, dates[i]!.start, dates[i]!.end, pc.now, r.path);
    checkCollection(r.params, pc.defaults, r.path);
    const paymentMethod = await subscriptionPaymentMethod(
      ctx,
      r.params.default_payment_method,
      pc.customer,
      `${r.path}[default_payment_method]`,
    );
    const discounts = await checkDiscounts(ctx, r.params.discounts ?? [], pc, currency, r.path);
    const taxRates = await checkTaxRates(ctx, r.params, pc, r.path);
    phases.push(phaseObject(r, dates[i]!, trial, paymentMethod, discounts, taxRates));
  }
  return phases;
}

/** Whether two versions of a phase bill the same items over the same dates. */
export function samePhase(a: Phase, b: Phase): boolean {
  const items = (p: Phase) => p.items.map((i) => `${String(i.price)}×${i.quantity ?? 1}`).join(',');
  return a.start_date === b.start_date && a.end_date === b.end_date && items(a) === items(b);
}
