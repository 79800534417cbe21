import type Stripe from 'stripe';
import { priceAmountExact } from '../../math/price-amount.ts';

/**
 * What the hosted portal may change of a subscription (portal contract §9.5, §9.12), decided
 * without I/O: whether it can be updated at all and why not, which prices it may switch to, and
 * whether a change waits for the period end (`schedule_at_period_end`). Pure, so the rules sit
 * under table tests; the hosted update loads what they need and carries out what they decide.
 */

type UpdateFeature = Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate;
type OfferedProduct = Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.Product;

/** Why the portal offers no update of a subscription (each said to the customer in their language). */
export type UpdateBlock =
  /** Neither `active` nor `trialing`. */
  | 'status'
  /** Set to cancel: the portal offers Renew instead (Portico rule), then updates again. */
  | 'cancel_pending'
  /** Cancel-only (documented): items of several products, usage-based prices, invoices sent. */
  | 'several_products'
  | 'usage_based'
  | 'send_invoice'
  /** A schedule the portal did not make drives the subscription (documented limitation). */
  | 'foreign_schedule'
  /** `tax_behavior=unspecified`: no price may replace it (documented). */
  | 'tax_unspecified'
  /** The current product is not among the configuration's products. */
  | 'product_not_offered'
  /** Nothing to choose: one price, no adjustable quantity, no promotion codes. */
  | 'nothing_to_change';

/** Who drives the subscription's schedule, if anything does. */
export type ScheduleOwner = 'none' | 'portal' | 'foreign';

export interface EligibilityInput {
  subscription: Stripe.Subscription;
  feature: UpdateFeature;
  schedule: ScheduleOwner;
  /**
   * Portico's operator switch (`PORTICO_PORTAL_MULTI_ITEM_UPDATES`): subscriptions whose items
   * are of several products are updatable item by item instead of cancel-only.
   */
  multiItem: boolean;
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** At most this many products are offered for switching (documented limitation 7). */
export const MAX_OFFERED_PRODUCTS = 10;

/** Why the subscription cannot be updated in the portal, or null when it can. */
export function updateBlock(input: EligibilityInput): UpdateBlock | null {
  const { subscription: sub, feature } = input;
  if (sub.status !== 'active' && sub.status !== 'trialing') return 'status';
  if (sub.cancel_at_period_end || (sub.cancel_at ?? null) !== null) return 'cancel_pending';
  const items = sub.items.data;
  const products = new Set(items.map((item) => idOf(item.price.product)));
  if (items.some((item) => item.price.recurring?.usage_type === 'metered')) return 'usage_based';
  if (products.size > 1 && !input.multiItem) return 'several_products';
  if (sub.collection_method === 'send_invoice') return 'send_invoice';
  if (input.schedule === 'foreign') return 'foreign_schedule';
  const offered = (feature.products ?? []).slice(0, MAX_OFFERED_PRODUCTS);
  const updatable = items.filter((item) => offered.some((p) => p.product === idOf(item.price.product)));
  if (updatable.length === 0) return 'product_not_offered';
  if (items.every((item) => (item.price.tax_behavior ?? 'unspecified') === 'unspecified')) {
    return 'tax_unspecified';
  }
  return null;
}

/** One price the customer may choose for an item, with the product that offers it. */
export interface PriceChoice {
  price: Stripe.Price;
  product: OfferedProduct;
  current: boolean;
}

/**
 * The prices an item may switch to: those the configuration lists for its products (the first
 * ten), active, licensed, recurring, in the subscription's currency and with the item's
 * `tax_behavior`; one per product and interval (the first listed). The current price always
 * leads its product's choices, even when the configuration no longer lists it.
 */
export function priceChoices(
  sub: Stripe.Subscription,
  item: Stripe.SubscriptionItem,
  feature: UpdateFeature,
  prices: ReadonlyMap<string, Stripe.Price>,
): PriceChoice[] {
  const allowPrice = feature.default_allowed_updates.includes('price');
  const offered = (feature.products ?? []).slice(0, MAX_OFFERED_PRODUCTS);
  const own = offered.find((p) => p.product === idOf(item.price.product));
  if (!own) return [];
  const choices: PriceChoice[] = [];
  const seen = new Set<string>();
  const add = (price: Stripe.Price, product: OfferedProduct) => {
    const key = `${product.product}/${price.recurring?.interval}/${price.recurring?.interval_count}`;
    if (price.id !== item.price.id && seen.has(key)) return;
    seen.add(key);
    choices.push({ price, product, current: price.id === item.price.id });
  };
  add(item.price, own);
  if (!allowPrice) return choices;
  for (const product of offered) {
    for (const id of product.prices) {
      const price = prices.get(id);
      if (!price || price.id === item.price.id || !switchable(sub, item, price, product)) continue;
      add(price, product);
    }
  }
  return choices;
}

function switchable(
  sub: Stripe.Subscription,
  item: Stripe.SubscriptionItem,
  price: Stripe.Price,
  product: OfferedProduct,
): boolean {
  // Beside other items, a price keeps their billing interval (a subscription bills on one cycle).
  const others = sub.items.data.length > 1;
  const sameCycle =
    price.recurring?.interval === item.price.recurring?.interval &&
    price.recurring?.interval_count === item.price.recurring?.interval_count;
  return (
    (!others || sameCycle) &&
    price.active &&
    idOf(price.product) === product.product &&
    price.recurring !== null &&
    price.recurring.usage_type !== 'metered' &&
    price.currency === sub.currency &&
    price.tax_behavior === item.price.tax_behavior &&
    price.tax_behavior !== 'unspecified'
  );
}

/** The quantity range a product allows, or null when its quantity is fixed. */
export function quantityRange(
  feature: UpdateFeature,
  productId: string,
): { minimum: number; maximum: number | null } | null {
  if (!feature.default_allowed_updates.includes('quantity')) return null;
  const entry = (feature.products ?? []).find((p) => p.product === productId);
  if (!entry?.adjustable_quantity.enabled) return null;
  return { minimum: entry.adjustable_quantity.minimum, maximum: entry.adjustable_quantity.maximum };
}

/** An item's price and quantity, before or after a change. */
export interface ItemTerms {
  price: Pick<
    Stripe.Price,
    'billing_scheme' | 'tiers' | 'tiers_mode' | 'transform_quantity' | 'unit_amount' | 'unit_amount_decimal'
  > & { recurring: Pick<Stripe.Price.Recurring, 'interval' | 'interval_count'> | null };
  quantity: number;
}

/** Periods per year of an interval, as a fraction `per / count` (a common period for amounts). */
const PER_YEAR: Record<string, number> = { day: 365, week: 52, month: 12, year: 1 };
/** Rough length in days of an interval, to tell a shorter one. */
const DAYS: Record<string, number> = { day: 1, week: 7, month: 30, year: 365 };

function yearly(terms: ItemTerms): { amount: bigint; per: bigint } {
  const recurring = terms.price.recurring ?? { interval: 'month', interval_count: 1 };
  const amount = priceAmountExact(terms.price as never, terms.quantity);
  return {
    amount: amount * BigInt(PER_YEAR[recurring.interval] ?? 12),
    per: BigInt(recurring.interval_count),
  };
}

/** Whether the change lowers what the item costs, both amounts normalised to a year (Portico rule). */
export function decreasesAmount(from: ItemTerms, to: ItemTerms): boolean {
  const a = yearly(from);
  const b = yearly(to);
  // b.amount / b.per < a.amount / a.per, without fractions.
  return b.amount * a.per < a.amount * b.per;
}

export function shortensInterval(from: ItemTerms, to: ItemTerms): boolean {
  const length = (t: ItemTerms) =>
    (DAYS[t.price.recurring?.interval ?? 'month'] ?? 30) * (t.price.recurring?.interval_count ?? 1);
  return length(to) < length(from);
}

export type ScheduleCondition = 'decreasing_item_amount' | 'shortening_interval';

/** The first configured `schedule_at_period_end` condition the change meets, or null: it applies now. */
export function scheduleCondition(
  feature: UpdateFeature,
  from: ItemTerms,
  to: ItemTerms,
): ScheduleCondition | null {
  for (const { type } of feature.schedule_at_period_end?.conditions ?? []) {
    if (type === 'decreasing_item_amount' && decreasesAmount(from, to)) return 'decreasing_item_amount';
    if (type === 'shortening_interval' && shortensInterval(from, to)) return 'shortening_interval';
  }
  return null;
}
