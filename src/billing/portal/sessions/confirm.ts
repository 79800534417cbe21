import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { errors } from '../../../core/errors.ts';
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
    throw errors.invalidRequest(
      `The configuration does not let customers change the quantity of ${entry.product}: enable its \`adjustable_quantity\`.`,
      param,
    );
  }
  if (quantity < minimum || (maximum !== null && quantity > maximum)) {
    const range = maximum === null ? `at least ${minimum}` : `between ${minimum} and ${maximum}`;
    throw errors.invalidRequest(`The quantity of ${entry.product} must be ${range}.`, param);
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
    throw errors.invalidRequest(
      `\`items\` must hold exactly one item: only up to one may be specified, and subscriptions with several items cannot be updated in the portal.`,
      `${CONFIRM}[items]`,
    );
  }
  const item = sent.items[0]!;
  const at = `${CONFIRM}[items][0]`;
  if (item.price === undefined && item.quantity === undefined && !sent.discounts?.length) {
    throw errors.invalidRequest(
      'Nothing to confirm: give the item a new `price` or `quantity`, or add a discount.',
      `${at}[price]`,
    );
  }
  if (item.price !== undefined) {
    const entry = offering(config.features, item.price);
    if (!entry) {
      throw errors.invalidRequest(
        `The price ${item.price} is not offered by the configuration ${config.id}: list it in \`features[subscription_update][products]\`.`,
        `${at}[price]`,
      );
    }
    if (item.quantity !== undefined && entry.adjustable_quantity.enabled) {
      checkQuantityRange(entry, item.quantity, `${at}[quantity]`);
    }
  }
  const discounts = sent.discounts ?? [];
  if (discounts.length > 1) {
    throw errors.invalidRequest('A confirmed update takes at most one discount.', `${CONFIRM}[discounts]`);
  }
  for (const [i, discount] of discounts.entries()) {
    const path = `${CONFIRM}[discounts][${i}]`;
    if ((discount.coupon === undefined) === (discount.promotion_code === undefined)) {
      throw errors.invalidRequest(
        'Each discount takes exactly one of `coupon` and `promotion_code`.',
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
    throw errors.invalidRequest(
      `The product ${product} of the subscription ${subscription.id} is not among the configuration's \`features[subscription_update][products]\`.`,
      param,
    );
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
    throw errors.invalidRequest(
      `The subscription item ${item.id} is not an item of the subscription ${subscription.id}.`,
      `${at}[id]`,
    );
  }
  if (subscription.items.data.length !== 1) {
    throw errors.invalidRequest(
      `The subscription ${subscription.id} has ${subscription.items.data.length} items: the portal updates subscriptions with one item.`,
      `${CONFIRM}[subscription]`,
    );
  }
  const allowed = config.features.subscription_update.default_allowed_updates;
  let entry = currentOffering(config, subscription, `${CONFIRM}[subscription]`);
  if (item.price !== undefined && item.price !== current.price.id) {
    if (!allowed.includes('price')) {
      throw errors.invalidRequest(
        `The configuration ${config.id} does not allow price changes: add \`price\` to \`features[subscription_update][default_allowed_updates]\`.`,
        `${at}[price]`,
      );
    }
    const price = await requirePrice(ctx, item.price, `${at}[price]`);
    if (price.currency !== subscription.currency) {
      throw errors.invalidRequest(
        `The price ${price.id} is in ${price.currency}, the subscription in ${subscription.currency}: switch to a price in the same currency.`,
        `${at}[price]`,
      );
    }
    if (price.tax_behavior !== current.price.tax_behavior) {
      throw errors.invalidRequest(
        `The price ${price.id} has tax_behavior ${price.tax_behavior}, the current price ${current.price.tax_behavior}: prices can only be switched with the same tax behavior.`,
        `${at}[price]`,
      );
    }
    entry = offering(config.features, price.id) ?? entry;
  }
  if (item.quantity !== undefined && item.quantity !== (current.quantity ?? 1)) {
    if (!allowed.includes('quantity')) {
      throw errors.invalidRequest(
        `The configuration ${config.id} does not allow quantity changes: add \`quantity\` to \`features[subscription_update][default_allowed_updates]\`.`,
        `${at}[quantity]`,
      );
    }
    checkQuantityRange(entry, item.quantity, `${at}[quantity]`);
  }
}
