import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import type { JsonText } from '../../core/json.ts';
import {
  type ListObject,
  listJson,
  listObject,
  pageQuery,
  type SearchResult,
  searchResult,
} from '../../core/list.ts';
import { parseSearchQuery } from '../../search/query.ts';
import { type Filter, findObject, listObjects, listObjectTexts } from '../../store/objects.ts';
import { type SearchField, searchObjects } from '../../store/search.ts';
import type { ListItemParams, ListSubscriptionParams, SearchSubscriptionParams } from './params.ts';
import { requireSubscription } from './store.ts';

const ENDED = ['canceled', 'incomplete_expired'];
const CURRENT = ['active', 'incomplete', 'past_due', 'paused', 'trialing', 'unpaid'];

/**
 * A customer's `subscriptions` when `expand[]` names them: its current (not ended) ones, newest
 * first, the first 10 as Stripe embeds lists, with the URL that pages through the rest.
 */
export async function embeddedSubscriptions(
  ctx: Ctx,
  customerId: string,
): Promise<ListObject<Stripe.Subscription>> {
  const page = await listObjects<Stripe.Subscription>(
    ctx.db,
    'subscriptions',
    ctx.scope,
    { limit: 10 },
    { customer: customerId, status: { in: CURRENT } },
  );
  return listObject(page, `/v1/customers/${customerId}/subscriptions`);
}

function bounds(
  column: string,
  value: ListSubscriptionParams['current_period_end'],
  where: Record<string, Filter>,
) {
  if (value === undefined) return;
  where[column] = typeof value === 'number' ? value : { range: value };
}

/**
 * `GET /v1/subscriptions`: by customer, price, status (`all`; `ended` for canceled and expired;
 * the default leaves canceled ones out, as Stripe does), test clock, collection method and dates.
 */
export async function listSubscriptions(
  ctx: Ctx,
  params: ListSubscriptionParams,
): Promise<JsonText<ListObject<Stripe.Subscription>>> {
  if (params.customer_account !== undefined) {
    throw fail('customer_account_unsupported', {}, 'customer_account');
  }
  const where: Record<string, Filter> = {};
  if (params.customer !== undefined) where.customer = params.customer;
  if (params.test_clock !== undefined) where.test_clock = params.test_clock;
  const status = params.status;
  if (status === 'ended') where.status = { in: ENDED };
  else if (status !== undefined && status !== 'all') where.status = status;
  else if (status === undefined) {
    where.status = { in: CURRENT };
  }
  bounds('current_period_end', params.current_period_end, where);
  bounds('current_period_start', params.current_period_start, where);
  if (params.collection_method !== undefined) where.collection_method = params.collection_method;
  if (params.price !== undefined && params.plan !== undefined) {
    throw errors.parametersExclusive('plan', 'price');
  }
  const price = params.price ?? params.plan;
  if (price !== undefined) {
    const rows = await ctx.db
      .selectFrom('subscription_items')
      .select('subscription')
      .where('account_id', '=', ctx.scope.accountId)
      .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
      .where('price', '=', price)
      .where('deleted', '=', 0)
      .execute();
    where.id = { in: rows.map((r) => r.subscription) };
  }
  const page = await listObjectTexts(ctx.db, 'subscriptions', ctx.scope, pageQuery(params), where);
  return listJson<Stripe.Subscription>(page, '/v1/subscriptions');
}

export async function listItems(
  ctx: Ctx,
  params: ListItemParams,
): Promise<JsonText<ListObject<Stripe.SubscriptionItem>>> {
  await requireSubscription(ctx, params.subscription, 'subscription');
  const page = await listObjectTexts(ctx.db, 'subscription_items', ctx.scope, pageQuery(params), {
    subscription: params.subscription,
    deleted: 0,
  });
  return listJson<Stripe.SubscriptionItem>(page, '/v1/subscription_items');
}

export async function requireItem(ctx: Ctx, id: string): Promise<Stripe.SubscriptionItem> {
  const item = await findObject<Stripe.SubscriptionItem & { deleted?: true }>(
    ctx.db,
    'subscription_items',
    ctx.scope,
    id,
  );
  if (!item || item.deleted) throw errors.noSuchPath('subscription_item', id);
  return item;
}

const SEARCH_FIELDS: Record<string, SearchField> = {
  created: { kind: 'number', column: 'created' },
  metadata: { kind: 'metadata' },
  status: { kind: 'text', column: 'status' },
};

/** `/v1/subscriptions/search`: status, metadata and created. */
export async function searchSubscriptions(
  ctx: Ctx,
  params: SearchSubscriptionParams,
): Promise<SearchResult<Stripe.Subscription>> {
  const page = await searchObjects<Stripe.Subscription>(
    ctx.db,
    'subscriptions',
    ctx.scope,
    SEARCH_FIELDS,
    parseSearchQuery(params.query),
    {
      limit: params.limit ?? 10,
      page: params.page,
      totalCount: params.expand?.includes('total_count') ?? false,
    },
  );
  return searchResult(page, '/v1/subscriptions/search');
}
