import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { AppError, errors, fail, mapParam } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { type ListObject, listObject, pageQuery } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { type Filter, findObject, listObjects } from '../../store/objects.ts';
import { planOf } from '../prices/plan-view.ts';
import { buildAmounts } from '../prices/rules.ts';
import { emitPriceEvent, insertPrice, refuseArchivingDefault, savePrice } from '../prices/service.ts';
import { insertProduct, requireProduct } from '../products/product.ts';
import type { CreatePlanParams, ListPlanParams, UpdatePlanParams } from './params.ts';

/**
 * Plans: the legacy name of recurring prices. A plan is stored as the recurring price it is, so
 * `/v1/plans/:id` and `/v1/prices/:id` answer the same object under their two names; a plan's
 * id may be chosen (`gold`), otherwise it is `plan_…`.
 */

type Price = Stripe.Price;

/** The price params' names for the plan's, so a refusal names what the caller sent. */
const PLAN_PARAM: Record<string, string> = {
  unit_amount: 'amount',
  unit_amount_decimal: 'amount_decimal',
  transform_quantity: 'transform_usage',
  recurring: '',
};

function asPlanParam(param: string): string {
  const [head, ...rest] = param.split('[');
  const renamed = PLAN_PARAM[head!];
  if (renamed === undefined) return param;
  if (renamed !== '') return [renamed, ...rest].join('[');
  // `recurring[interval_count]` is the plan's own `interval_count`.
  const inner = rest.join('[');
  return inner.replace(/^([^\]]*)\]/, '$1');
}

function underPlanNames<T>(work: () => T): T {
  try {
    return work();
  } catch (error) {
    mapParam(error, asPlanParam);
    throw error;
  }
}

async function underPlanNamesAsync<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    mapParam(error, asPlanParam);
    throw error;
  }
}

function priceTerms(params: CreatePlanParams) {
  return {
    currency: params.currency,
    active: params.active,
    billing_scheme: params.billing_scheme,
    metadata: params.metadata,
    nickname: params.nickname,
    recurring: {
      interval: params.interval,
      interval_count: params.interval_count,
      meter: params.meter,
      trial_period_days: params.trial_period_days,
      usage_type: params.usage_type,
    },
    tiers: params.tiers,
    tiers_mode: params.tiers_mode,
    transform_quantity: params.transform_usage,
    unit_amount: params.amount,
    unit_amount_decimal: params.amount_decimal,
  };
}

/** A plan for a path (404) or a param (400): a recurring price, by either name. */
export async function requirePlan(ctx: Ctx, id: string, param?: string): Promise<Price> {
  const price = await findObject<Price>(ctx.db, 'prices', ctx.scope, id);
  if (price?.type !== 'recurring') {
    throw param ? errors.noSuchParam('plan', id, param) : errors.noSuchPath('plan', id);
  }
  return price;
}

export async function createPlan(ctx: Ctx, params: CreatePlanParams): Promise<Stripe.Plan> {
  if (params.product === undefined) throw errors.parameterMissing('product');
  const terms = priceTerms(params);
  // The plan's terms are checked before a product is made for it.
  underPlanNames(() => buildAmounts(terms));
  const productId =
    typeof params.product === 'string'
      ? (await requireProduct(ctx, params.product, 'product')).id
      : (
          await underPlanNamesAsync(() =>
            insertProduct(ctx, params.product as Exclude<CreatePlanParams['product'], string | undefined>),
          )
        ).id;
  try {
    const price = await underPlanNamesAsync(() =>
      insertPrice(ctx, productId, terms, params.id ?? newId('plan')),
    );
    return planOf(price);
  } catch (error) {
    if (error instanceof AppError && error.code === 'resource_already_exists')
      throw errors.alreadyExists('plan');
    throw error;
  }
}

export async function retrievePlan(ctx: Ctx, id: string): Promise<Stripe.Plan> {
  return planOf(await requirePlan(ctx, id));
}

/** Stripe changes a plan's product, nickname, trial, metadata and `active`, never its amounts or cycle. */
export async function updatePlan(ctx: Ctx, id: string, params: UpdatePlanParams): Promise<Stripe.Plan> {
  const before = await requirePlan(ctx, id);
  const price = structuredClone(before);
  if (params.active !== undefined) {
    if (!params.active && price.active) await refuseArchivingDefault(ctx, price);
    price.active = params.active;
  }
  if (params.nickname !== undefined) price.nickname = params.nickname;
  if (params.product !== undefined) price.product = (await requireProduct(ctx, params.product, 'product')).id;
  if (params.trial_period_days !== undefined && price.recurring) {
    price.recurring = { ...price.recurring, trial_period_days: params.trial_period_days };
  }
  price.metadata = mergeMetadata(price.metadata, params.metadata);
  await savePrice(ctx, price, before);
  return planOf(price);
}

/**
 * Deleting a plan deletes the recurring price it is (`plan.deleted`, `price.deleted`): no new
 * subscription can use it; subscriptions that hold it keep their copy and bill as before.
 */
export async function deletePlan(ctx: Ctx, id: string): Promise<Stripe.DeletedPlan> {
  const price = await requirePlan(ctx, id);
  const product = await findObject<Stripe.Product>(ctx.db, 'products', ctx.scope, String(price.product));
  if (product?.default_price === price.id) {
    throw fail('price_default_archive', { product: product.id }, 'id');
  }
  await ctx.db
    .deleteFrom('prices')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('id', '=', price.id)
    .execute();
  await emitPriceEvent(ctx, 'deleted', price);
  return { id: price.id, object: 'plan', deleted: true };
}

/** `GET /v1/plans`: the recurring prices, by `active`, `product` and `created`. */
export async function listPlans(ctx: Ctx, params: ListPlanParams): Promise<ListObject<Stripe.Plan>> {
  const where: Record<string, Filter> = { type: 'recurring' };
  if (params.active !== undefined) where.active = params.active ? 1 : 0;
  if (params.product !== undefined) where.product = params.product;
  const page = await listObjects<Price>(ctx.db, 'prices', ctx.scope, pageQuery(params), where);
  return listObject({ data: page.data.map(planOf), hasMore: page.hasMore }, '/v1/plans');
}
