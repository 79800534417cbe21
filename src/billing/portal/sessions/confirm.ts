import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { fail } from '../../../core/errors.ts';
import { requirePrice } from '../../prices/service.ts';
import { requireValidCoupon, requireValidPromotionCode } from './discounts.ts';
import type { FlowDataParams } from './params.ts';

// What a `subscription_update_confirm` flow may change: checked before the subscription is loaded
// where the request alone tells, then against the subscription as it is.
type Configuration = Stripe.BillingPortal.Configuration;
type Features = Configuration['features'];
type UpdateProduct = Stripe.BillingPortal.Configuration.Features.SubscriptionUpdate.Product;
type ConfirmParams = NonNullable<FlowDataParams['subscription_update_confirm']>;

const idOf = (value: string | { id: string }) => (typeof value === 'string' ? value : value.id);

/** The product entry of the configuration that offers a price. */
const offering = (features: Features, price: string): UpdateProduct | undefined =>
  features.subscription_update.products?.find((p) => p.prices.includes(price));

function checkQuantityRange(entry: UpdateProduct, quantity: number, param: string): void {
  const { enabled, minimum, maximum } = entry.adjustable_quantity;
  if (!enabled) {
    throw fail('portal_quantity_not_adjustable', { product: entry.product }, param);
  }
  if (quantity < minimum || (maximum !== null && quantity > maximum)) {
    throw fail('portal_quantity_out_of_range', { product: entry.product, min: minimum, max: maximum }, param);
  }
}

const CONFIRM = 'flow_data[subscription_update_confirm]';

/** What can be checked of a confirmed update before its subscription is looked at. */
export async function checkConfirmRequest(
  ctx: Ctx,
  sent: ConfirmParams,
  config: Configuration,
  customer: string,
) {
  if (sent.items.length !== 1) {
    throw fail('portal_confirm_items_count', {}, `${CONFIRM}[items]`);
  }
  const item = sent.items[0]!;
  const at = `${CONFIRM}[items][0]`;
  if (item.price === undefined && item.quantity === undefined && !sent.discounts?.length) {
    throw fail('portal_confirm_nothing', {}, `${at}[price]`);
  }
  if (item.price !== undefined) {
    const entry = offering(config.features, item.price);
    if (!entry) {
      throw fail('portal_price_not_offered', { price: item.price, configuration: config.id }, `${at}[price]`);
    }
    if (item.quantity !== undefined && entry.adjustable_quantity.enabled) {
      checkQuantityRange(entry, item.quantity, `${at}[quantity]`);
    }
  }
  const discounts = sent.discounts ?? [];
  if (discounts.length > 1) {
    throw fail('portal_confirm_discounts_too_many', {}, `${CONFIRM}[discounts]`);
  }
  for (const [i, discount] of discounts.entries()) {
    const path = `${CONFIRM}[discounts][${i}]`;
    if ((discount.coupon === undefined) === (discount.promotion_code === undefined)) {
      throw fail(
        'portal_discount_source_ambiguous',
        {},
        discount.coupon === undefined ? `${path}[coupon]` : `${path}[promotion_code]`,
      );
    }
    if (discount.coupon !== undefined) await requireValidCoupon(ctx, discount.coupon, `${path}[coupon]`);
    if (discount.promotion_code !== undefined) {
      await requireValidPromotionCode(ctx, discount.promotion_code, customer, `${path}[promotion_code]`);
    }
  }
}

/** The subscription's product must be one the configuration lets customers switch from. */
export function currentOffering(config: Configuration, subscription: Stripe.Subscription, param: string) {
  const product = idOf(subscription.items.data[0]!.price.product);
  const entry = config.features.subscription_update.products?.find((p) => p.product === product);
  if (!entry) {
    throw fail('portal_product_not_offered', { product, subscription: subscription.id }, param);
  }
  return entry;
}

/** The change to the one item, against the subscription as it is. */
export async function checkConfirmItem(
  ctx: Ctx,
  sent: ConfirmParams,
  config: Configuration,
  subscription: Stripe.Subscription,
): Promise<void> {
  const item = sent.items[0]!;
  const at = `${CONFIRM}[items][0]`;
  const current = subscription.items.data.find((i) => i.id === item.id);
  if (!current) {
    throw fail(
      'portal_item_not_in_subscription',
      { item: item.id, subscription: subscription.id },
      `${at}[id]`,
    );
  }
  if (subscription.items.data.length !== 1) {
    throw fail(
      'portal_subscription_items_count',
      { subscription: subscription.id, count: subscription.items.data.length },
      `${CONFIRM}[subscription]`,
    );
  }
  const allowed = config.features.subscription_update.default_allowed_updates;
  let entry = currentOffering(config, subscription, `${CONFIRM}[subscription]`);
  if (item.price !== undefined && item.price !== current.price.id) {
    if (!allowed.includes('price')) {
      throw fail('portal_price_change_disallowed', { configuration: config.id }, `${at}[price]`);
    }
    const price = await requirePrice(ctx, item.price, `${at}[price]`);
    if (price.currency !== subscription.currency) {
      throw fail(
        'portal_price_currency_mismatch',
        { price: price.id, currency: price.currency, subscriptionCurrency: subscription.currency },
        `${at}[price]`,
      );
    }
    if (price.tax_behavior !== current.price.tax_behavior) {
      throw fail(
        'portal_price_tax_behavior_mismatch',
        { price: price.id, taxBehavior: price.tax_behavior, currentTaxBehavior: current.price.tax_behavior },
        `${at}[price]`,
      );
    }
    entry = offering(config.features, price.id) ?? entry;
  }
  if (item.quantity !== undefined && item.quantity !== (current.quantity ?? 1)) {
    if (!allowed.includes('quantity')) {
      throw fail('portal_quantity_change_disallowed', { configuration: config.id }, `${at}[quantity]`);
    }
    checkQuantityRange(entry, item.quantity, `${at}[quantity]`);
  }
}
