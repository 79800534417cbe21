import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { errors, fail } from '../../../core/errors.ts';
import { requirePrice } from '../../prices/service.ts';
import { requireProduct } from '../../products/service.ts';
import { requireFeedbackOption } from '../feedback-options/service.ts';
import type { FeaturesParams } from './params.ts';

type Features = Stripe.BillingPortal.Configuration.Features;
type ProductParams = NonNullable<NonNullable<FeaturesParams['subscription_update']>['products']>[number];

const F = 'features';
const MAX_PRODUCTS = 10;
const MAX_PAUSE_OPTIONS = 10;
/** Stripe allows pauses of up to three years, whatever the unit. */
const MAX_PAUSE: Record<string, number> = { day: 1095, week: 156, month: 36, year: 3 };

/** The param to blame for a rule on two fields: the one the request sent, else the first. */
const blame = (first: [unknown, string], second: [unknown, string]) =>
  first[0] !== undefined || second[0] === undefined ? first[1] : second[1];

function checkCancel(features: Features, sent: FeaturesParams | undefined): void {
  const cancel = features.subscription_cancel;
  const path = `${F}[subscription_cancel]`;
  if (cancel.proration_behavior === 'always_invoice') {
    throw fail('portal_cancel_always_invoice', {}, `${path}[proration_behavior]`);
  }
  if (cancel.proration_behavior === 'create_prorations' && cancel.mode !== 'immediately') {
    throw fail(
      'portal_cancel_prorations_at_period_end',
      {},
      blame(
        [sent?.subscription_cancel?.proration_behavior, `${path}[proration_behavior]`],
        [sent?.subscription_cancel?.mode, `${path}[mode]`],
      ),
    );
  }
}

function checkUpdate(features: Features, sent: FeaturesParams | undefined): void {
  const update = features.subscription_update;
  if (!update.enabled) return;
  const path = `${F}[subscription_update]`;
  if (update.default_allowed_updates.length === 0) {
    throw fail('portal_update_nothing_allowed', {}, `${path}[default_allowed_updates]`);
  }
  if (!update.products?.length) {
    throw fail('portal_update_products_missing', {}, `${path}[products]`);
  }
  if (!features.payment_method_update.enabled) {
    throw fail(
      'portal_update_payment_method_disabled',
      {},
      blame(
        [sent?.subscription_update?.enabled, `${path}[enabled]`],
        [sent?.payment_method_update?.enabled, `${F}[payment_method_update][enabled]`],
      ),
    );
  }
}

function checkPause(features: Features, sent: FeaturesParams | undefined): void {
  if (!sent?.subscription_pause?.duration) return;
  const options = features.subscription_pause.duration.interval_options;
  const path = `${F}[subscription_pause][duration][interval_options]`;
  if (options.length > MAX_PAUSE_OPTIONS) {
    throw fail('portal_pause_options_too_many', { max: MAX_PAUSE_OPTIONS }, path);
  }
  const seen = new Set<string>();
  for (const [i, option] of options.entries()) {
    const max = MAX_PAUSE[option.interval]!;
    if (option.interval_count > max) {
      throw fail(
        'portal_pause_too_long',
        { max, interval: option.interval },
        `${path}[${i}][interval_count]`,
      );
    }
    const key = `${option.interval_count} ${option.interval}`;
    if (seen.has(key)) {
      throw fail('portal_pause_option_repeated', { option: key }, `${path}[${i}]`);
    }
    seen.add(key);
  }
}

/** Rules on the configuration as it would be saved, whatever part of it the request changed. */
export function checkFeatures(features: Features, sent: FeaturesParams | undefined): void {
  checkCancel(features, sent);
  checkUpdate(features, sent);
  checkPause(features, sent);
}

/** The products customers may switch between: existing, active, each price recurring and its own. */
async function checkProducts(ctx: Ctx, products: ProductParams[]): Promise<void> {
  const path = `${F}[subscription_update][products]`;
  if (products.length > MAX_PRODUCTS) {
    throw fail('portal_products_too_many', { max: MAX_PRODUCTS }, path);
  }
  const listed = new Set<string>();
  for (const [i, entry] of products.entries()) {
    const at = `${path}[${i}]`;
    if (listed.has(entry.product)) {
      throw fail('portal_product_repeated', { product: entry.product }, `${at}[product]`);
    }
    listed.add(entry.product);
    const product = await requireProduct(ctx, entry.product, `${at}[product]`);
    if (!product.active) {
      throw fail('portal_product_archived', { product: product.id }, `${at}[product]`);
    }
    const intervals = new Map<string, string>();
    for (const [j, id] of entry.prices.entries()) {
      // A price listed twice is kept once.
      if (entry.prices.indexOf(id) !== j) continue;
      const param = `${at}[prices][${j}]`;
      const price = await requirePrice(ctx, id, param);
      const owner = typeof price.product === 'string' ? price.product : price.product.id;
      if (owner !== product.id) {
        throw fail('portal_price_other_product', { price: id, owner, product: product.id }, param);
      }
      if (!price.active) {
        throw fail('portal_price_archived', { price: id }, param);
      }
      if (!price.recurring) {
        throw fail('portal_price_one_time', { price: id }, param);
      }
      const { interval, interval_count: count } = price.recurring;
      const every = count === 1 ? interval : `${count} ${interval}s`;
      const other = intervals.get(every);
      if (other) {
        throw fail(
          'portal_price_interval_repeated',
          { other, price: id, product: product.id, interval, count },
          param,
        );
      }
      intervals.set(every, id);
    }
    const minimum = entry.adjustable_quantity?.minimum ?? 1;
    const maximum = entry.adjustable_quantity?.maximum;
    if (maximum !== undefined && maximum < minimum) {
      throw fail(
        'portal_quantity_maximum_below_minimum',
        { maximum, minimum },
        `${at}[adjustable_quantity][maximum]`,
      );
    }
  }
}

/** Custom cancellation reasons must be active feedback options of this account and mode. */
async function checkFeedbackOptions(ctx: Ctx, ids: string[]): Promise<void> {
  const path = `${F}[subscription_cancel][cancellation_reason][feedback_options]`;
  for (const [i, id] of ids.entries()) {
    const option = await requireFeedbackOption(ctx, id, `${path}[${i}]`);
    if (option.status !== 'active') {
      throw fail('portal_feedback_option_inactive', { option: id }, `${path}[${i}]`);
    }
  }
}

/**
 * Checks what the request names in the catalog. Only what it sends is checked, so a price archived
 * later does not stop unrelated updates of the configuration.
 */
export async function checkReferences(ctx: Ctx, sent: FeaturesParams | undefined): Promise<void> {
  const configuration = sent?.payment_method_update?.payment_method_configuration;
  if (configuration) {
    // Portico has no payment method configurations yet: every id is unknown.
    throw errors.noSuchParam(
      'payment_method_configuration',
      configuration,
      `${F}[payment_method_update][payment_method_configuration]`,
    );
  }
  const products = sent?.subscription_update?.products;
  if (products) await checkProducts(ctx, products);
  const feedback = sent?.subscription_cancel?.cancellation_reason?.feedback_options;
  if (feedback) await checkFeedbackOptions(ctx, feedback);
}
