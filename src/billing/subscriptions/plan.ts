import type Stripe from 'stripe';
import { fail } from '../../core/errors.ts';
import { addInterval, type Period } from '../math/periods.ts';
import { intervalChangeResetsCycle } from '../math/proration.ts';
import { checkResultingItems, type ResolvedItemEntry } from './item-changes.ts';
import type { ProrationBehavior } from './params.ts';
import { type ItemState, type Proration, prorationsOf } from './proration.ts';
import { currentPeriod } from './schedule.ts';

/**
 * The decisions of a subscription change, made once for both the update that makes it
 * (`updateSubscription`) and the invoice preview that shows it (`previewSubscription`): which
 * items result, whether the trial ends or moves, whether the billing cycle restarts, the
 * prorations, and whether an invoice is due now. Pure: no database, no clock, no writes; the
 * callers load what it needs before and carry out what it decides after.
 */

const DAY = 86_400;

/** The change asked for, its params checked (`checkChangeTimes`) and what they name loaded. */
export interface ChangeRequest {
  /** `items[]`, in the order given. */
  items?: ResolvedItemEntry[];
  prorationBehavior?: ProrationBehavior;
  prorationDate?: number;
  trialEnd?: number | 'now';
  billingCycleAnchor?: 'now' | 'unchanged';
}

export interface PlanSettings {
  /** Product names by product id for proration descriptions, of the old items and the new prices. */
  productNames: ReadonlyMap<string, string>;
  /** The behaviour when the request names none: `always_invoice` for a change that waits for its payment. */
  defaultProrationBehavior: ProrationBehavior;
}

/** One item of the subscription as the change leaves it. */
export interface PlannedItem {
  /** The existing item's id, or the id chosen for a new one. */
  id: string;
  price: Stripe.Price;
  quantity: number;
  metadata: Stripe.Metadata;
  discounts: (string | Stripe.Discount)[];
  /** The item's own tax rates (none: the subscription's `default_tax_rates` apply). */
  tax_rates: Stripe.TaxRate[];
  /** `new`: added by the change; `changed`: its price or quantity differs; `kept`: billed as before. */
  status: 'new' | 'changed' | 'kept';
  /** The item as it was (null for a new one). */
  before: Stripe.SubscriptionItem | null;
}

export type TrialDecision =
  /** The trial (if any) runs on as it was. */
  | { action: 'keep' }
  /** `trial_end=now` on a trialing subscription: active from now, the cycle restarting. */
  | { action: 'end_now' }
  /** A new trial end: trialing until then, nothing billed before it. */
  | { action: 'until'; end: number };

export interface CycleDecision {
  /** Whether the cycle restarts now (a new interval, `billing_cycle_anchor=now`, a trial ended now). */
  reset: boolean;
  anchor: number;
  /** The current period once the change is made. */
  period: Period;
}

/** The invoice a change makes at once. */
export interface InvoiceDue {
  period: Period;
  /** Whether it bills the new cycle's first period in full (a cycle reset), besides the prorations. */
  billsNewPeriod: boolean;
}

export interface ChangePlan {
  /** The items the subscription will have, in order: the kept ones first, then the new ones. */
  items: PlannedItem[];
  removed: Stripe.SubscriptionItem[];
  trial: TrialDecision;
  cycle: CycleDecision;
  prorationBehavior: ProrationBehavior;
  /** Credits and charges, each as the pending invoice item (or preview line) it becomes. */
  prorations: Proration[];
  /** An invoice now (`always_invoice`, a cycle reset), or null: the change waits for the next one. */
  invoice: InvoiceDue | null;
}

type ItemChange = { from: ItemState | null; to: ItemState | null };

/**
 * The times a change names must fit the subscription: `proration_date` within the current period,
 * a `trial_end` in the future and at most two years ahead. Checked before anything is loaded.
 */
export function checkChangeTimes(
  request: { proration_date?: number; trial_end?: number | 'now' },
  period: Period,
  now: number,
): void {
  const date = request.proration_date;
  if (date !== undefined && (date < period.start || date > period.end)) {
    throw fail('proration_date_outside_period', {}, 'proration_date');
  }
  if (typeof request.trial_end === 'number') checkTrialEnd(request.trial_end, now);
}

/** A trial may end in the future only, and at most two years ahead (creation and change alike). */
export function checkTrialEnd(trialEnd: number, now: number): void {
  if (trialEnd <= now) throw fail('trial_end_not_future', {}, 'trial_end');
  if (trialEnd > now + 730 * DAY) throw fail('trial_end_too_far', {}, 'trial_end');
}

/**
 * Plans a change of `sub` at `now`. A new trial end moves the period's end to it and bills
 * nothing; otherwise a new interval, `billing_cycle_anchor=now` or `trial_end=now` restart the
 * cycle now and bill its first period at once, crediting the unused time of the old one; otherwise
 * item changes are prorated by the second at `proration_date` (or now), and invoiced now with
 * `always_invoice`. A trialing subscription's item changes are not prorated: nothing was billed.
 */
export function planChange(
  sub: Stripe.Subscription,
  request: ChangeRequest,
  now: number,
  settings: PlanSettings,
): ChangePlan {
  const period = currentPeriod(sub);
  const { items, removed, changes } = applyEntries(sub, request.items ?? []);
  // Only what `items[]` changed can break the subscription's terms.
  if (request.items) {
    const prices = items.map((item) => item.price);
    checkResultingItems(prices, 'items');
  }
  const prorationBehavior = request.prorationBehavior ?? settings.defaultProrationBehavior;
  const trialing = sub.status === 'trialing';
  const plan = { items, removed, prorationBehavior };

  if (typeof request.trialEnd === 'number') {
    const end = request.trialEnd;
    return {
      ...plan,
      trial: { action: 'until', end },
      cycle: { reset: false, anchor: end, period: { start: period.start, end } },
      prorations: [],
      invoice: null,
    };
  }
  const endTrialNow = request.trialEnd === 'now' && trialing;
  const oldRecurring = sub.items.data[0]!.price.recurring!;
  const newRecurring = items[0]!.price.recurring!;
  const reset =
    endTrialNow ||
    request.billingCycleAnchor === 'now' ||
    (changes.length > 0 && !trialing && intervalChangeResetsCycle(oldRecurring, newRecurring));
  if (reset) {
    const fresh = {
      start: now,
      end: addInterval(now, newRecurring.interval, newRecurring.interval_count, 1),
    };
    return {
      ...plan,
      trial: endTrialNow ? { action: 'end_now' } : { action: 'keep' },
      cycle: { reset: true, anchor: now, period: fresh },
      prorations: unusedTimeCredits(sub, prorationBehavior, now, settings.productNames),
      invoice: { period: fresh, billsNewPeriod: true },
    };
  }
  const at = request.prorationDate ?? now;
  const prorate = changes.length > 0 && !trialing && prorationBehavior !== 'none' && at < period.end;
  return {
    ...plan,
    trial: { action: 'keep' },
    cycle: { reset: false, anchor: sub.billing_cycle_anchor, period },
    prorations: prorate ? prorationsOf(settings.productNames, period, at, changes) : [],
    invoice:
      prorate && prorationBehavior === 'always_invoice'
        ? { period: { start: at, end: period.end }, billsNewPeriod: false }
        : null,
  };
}

/**
 * Credits for the unused rest of the current period, item by item, as of `now` (a cycle restart,
 * a cancellation now). None when nothing is prorated, during a trial (nothing was billed), or
 * outside the period.
 */
export function unusedTimeCredits(
  sub: Stripe.Subscription,
  behavior: ProrationBehavior,
  now: number,
  names: ReadonlyMap<string, string>,
): Proration[] {
  const period = currentPeriod(sub);
  const inPeriod = now > period.start && now < period.end;
  if (behavior === 'none' || sub.status === 'trialing' || !inPeriod) return [];
  const credits = sub.items.data.map((item) => ({ from: stateOf(item), to: null }));
  return prorationsOf(names, period, now, credits);
}

function stateOf(item: {
  id: string;
  price: Stripe.Price;
  quantity?: number;
  tax_rates: Stripe.TaxRate[] | null;
}): ItemState {
  return {
    item: { id: item.id, tax_rates: item.tax_rates },
    price: item.price,
    quantity: item.quantity ?? 1,
  };
}

/**
 * Applies `items[]` entry by entry, as Stripe does: an entry naming an item an earlier one changed
 * sees it changed. Answers the resulting items, those removed, and each step's two sides (a
 * change back and forth is prorated both ways, so it nets to nothing).
 */
function applyEntries(
  sub: Stripe.Subscription,
  entries: ResolvedItemEntry[],
): { items: PlannedItem[]; removed: Stripe.SubscriptionItem[]; changes: ItemChange[] } {
  const items: PlannedItem[] = sub.items.data.map((item) => ({
    id: item.id,
    price: item.price,
    quantity: item.quantity ?? 1,
    metadata: item.metadata,
    discounts: item.discounts,
    tax_rates: item.tax_rates ?? [],
    status: 'kept',
    before: item,
  }));
  const removed: Stripe.SubscriptionItem[] = [];
  const changes: ItemChange[] = [];
  for (const entry of entries) {
    if (entry.kind === 'add') {
      const { kind: _, ...added } = entry;
      const item: PlannedItem = { ...added, status: 'new', before: null };
      items.push(item);
      changes.push({ from: null, to: stateOf(item) });
      continue;
    }
    // The entry's item exists: resolving it checked that.
    const index = items.findIndex((item) => item.id === entry.id);
    const current = items[index]!;
    if (entry.kind === 'delete') {
      items.splice(index, 1);
      if (current.before) removed.push(current.before);
      changes.push({ from: stateOf(current), to: null });
      continue;
    }
    const next: PlannedItem = {
      ...current,
      price: entry.price ?? current.price,
      quantity: entry.quantity ?? current.quantity,
      metadata: entry.metadata,
      discounts: entry.discounts,
      tax_rates: entry.tax_rates,
    };
    next.status = statusOf(next);
    items[index] = next;
    if (next.price.id !== current.price.id || next.quantity !== current.quantity) {
      changes.push({ from: stateOf(current), to: stateOf(next) });
    }
  }
  return { items, removed, changes };
}

function statusOf(item: PlannedItem): PlannedItem['status'] {
  if (!item.before) return 'new';
  const same = item.price.id === item.before.price.id && item.quantity === (item.before.quantity ?? 1);
  return same ? 'kept' : 'changed';
}
