import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { errors } from '../../../core/errors.ts';
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
    throw errors.invalidRequest(
      'Cancellations cannot use `always_invoice`: use `none`, or `create_prorations` with `mode=immediately`.',
      `${path}[proration_behavior]`,
    );
  }
  if (cancel.proration_behavior === 'create_prorations' && cancel.mode !== 'immediately') {
    throw errors.invalidRequest(
      '`create_prorations` needs `mode=immediately`: canceling at the end of the period never prorates.',
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
    throw errors.invalidRequest(
      'To enable subscription updates, allow at least one of `price`, `quantity` or `promotion_code` in `default_allowed_updates`.',
      `${path}[default_allowed_updates]`,
    );
  }
  if (!update.products?.length) {
    throw errors.invalidRequest(
      'To enable subscription updates, list the products customers can switch between in `products`.',
      `${path}[products]`,
    );
  }
  if (!features.payment_method_update.enabled) {
    throw errors.invalidRequest(
      'Cannot enable subscription updates while payment method update is disabled.',
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
    throw errors.invalidRequest(`Offer at most ${MAX_PAUSE_OPTIONS} pause durations.`, path);
  }
  const seen = new Set<string>();
  for (const [i, option] of options.entries()) {
    if (option.interval_count > MAX_PAUSE[option.interval]!) {
      throw errors.invalidRequest(
        `A pause can last at most three years (${MAX_PAUSE[option.interval]} ${option.interval}s).`,
        `${path}[${i}][interval_count]`,
      );
    }
    const key = `${option.interval_count} ${option.interval}`;
    if (seen.has(key)) {
      throw errors.invalidRequest(`The pause duration of ${key}(s) is listed twice.`, `${path}[${i}]`);
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
    throw errors.invalidRequest(
      `At most ${MAX_PRODUCTS} products can be offered for subscription updates.`,
      path,
    );
  }
  const listed = new Set<string>();
  for (const [i, entry] of products.entries()) {
    const at = `${path}[${i}]`;
    if (listed.has(entry.product)) {
      throw errors.invalidRequest(
        `The product ${entry.product} is listed twice: list each product once, with all of its prices.`,
        `${at}[product]`,
      );
    }
    listed.add(entry.product);
    const product = await requireProduct(ctx, entry.product, `${at}[product]`);
    if (!product.active) {
      throw errors.invalidRequest(
        `The product ${product.id} is archived (active=false): only active products can be offered.`,
        `${at}[product]`,
      );
    }
    const intervals = new Map<string, string>();
    for (const [j, id] of entry.prices.entries()) {
      // A price listed twice is kept once.
      if (entry.prices.indexOf(id) !== j) continue;
      const param = `${at}[prices][${j}]`;
      const price = await requirePrice(ctx, id, param);
      const owner = typeof price.product === 'string' ? price.product : price.product.id;
      if (owner !== product.id) {
        throw errors.invalidRequest(
          `The price ${id} belongs to the product ${owner}, not to ${product.id}.`,
          param,
        );
      }
      if (!price.active) {
        throw errors.invalidRequest(
          `The price ${id} is archived (active=false): only active prices can be offered.`,
          param,
        );
      }
      if (!price.recurring) {
        throw errors.invalidRequest(
          `The price ${id} is a one-time price: customers can only switch between recurring prices.`,
          param,
        );
      }
      const { interval, interval_count: count } = price.recurring;
      const every = count === 1 ? interval : `${count} ${interval}s`;
      const other = intervals.get(every);
      if (other) {
        throw errors.invalidRequest(
          `The prices ${other} and ${id} of ${product.id} both bill every ${every}: list at most one price per recurring interval.`,
          param,
        );
      }
      intervals.set(every, id);
    }
    const minimum = entry.adjustable_quantity?.minimum ?? 1;
    const maximum = entry.adjustable_quantity?.maximum;
    if (maximum !== undefined && maximum < minimum) {
      throw errors.invalidRequest(
        `The maximum quantity (${maximum}) must be at least the minimum (${minimum}).`,
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
      throw errors.invalidRequest(
        `The feedback option ${id} is inactive: deactivated feedback options cannot be used in portal configurations.`,
        `${path}[${i}]`,
      );
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
