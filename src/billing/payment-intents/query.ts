import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery, type SearchResult, searchResult } from '../../core/list.ts';
import { parseSearchQuery } from '../../search/query.ts';
import { type Filter, listObjectTexts } from '../../store/objects.ts';
import { type SearchField, searchObjects } from '../../store/search.ts';
import { refuseAccountsV2 } from '../invoices/create.ts';
import type {
  ListPaymentIntentParams,
  RetrievePaymentIntentParams,
  SearchPaymentIntentParams,
} from './params.ts';
import { requirePaymentIntent } from './store.ts';

type PaymentIntent = Stripe.PaymentIntent;

/** `client_secret`, when given, must be the PaymentIntent's. */
export async function retrievePaymentIntent(
  ctx: Ctx,
  id: string,
  params: RetrievePaymentIntentParams,
): Promise<PaymentIntent> {
  const intent = await requirePaymentIntent(ctx, id);
  if (params.client_secret !== undefined && params.client_secret !== intent.client_secret) {
    throw fail('payment_intent_client_secret_mismatch', {}, 'client_secret');
  }
  return intent;
}

/** `GET /v1/payment_intents`: newest first, by `customer` and `created`; invoices' ones included. */
export async function listPaymentIntents(
  ctx: Ctx,
  params: ListPaymentIntentParams,
): Promise<JsonText<ListObject<PaymentIntent>>> {
  refuseAccountsV2(params.customer_account);
  const where: Record<string, Filter> = {};
  if (params.customer !== undefined) where.customer = params.customer;
  const page = await listObjectTexts(ctx.db, 'payment_intents', ctx.scope, pageQuery(params), where);
  return listJson<PaymentIntent>(page, '/v1/payment_intents');
}

const SEARCH_FIELDS: Record<string, SearchField> = {
  amount: { kind: 'number', column: 'amount' },
  created: { kind: 'number', column: 'created' },
  currency: { kind: 'text', json: 'currency' },
  customer: { kind: 'text', column: 'customer' },
  metadata: { kind: 'metadata' },
  status: { kind: 'text', column: 'status' },
};

/** `GET /v1/payment_intents/search`: amount, created, currency, customer, metadata, status. */
export async function searchPaymentIntents(
  ctx: Ctx,
  params: SearchPaymentIntentParams,
): Promise<SearchResult<PaymentIntent>> {
  const page = await searchObjects<PaymentIntent>(
    ctx.db,
    'payment_intents',
    ctx.scope,
    SEARCH_FIELDS,
    parseSearchQuery(params.query),
    {
      limit: params.limit ?? 10,
      page: params.page,
      totalCount: params.expand?.includes('total_count') ?? false,
    },
  );
  return searchResult(page, '/v1/payment_intents/search');
}
