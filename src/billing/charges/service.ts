import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery, type SearchResult, searchResult } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { parseSearchQuery } from '../../search/query.ts';
import { type Filter, listObjectTexts } from '../../store/objects.ts';
import { type SearchField, searchObjects } from '../../store/search.ts';
import { requireCustomer } from '../customers/service.ts';
import { idOf } from '../payment-methods/resolve.ts';
import type { ListChargeParams, SearchChargeParams, UpdateChargeParams } from './params.ts';
import { requireCharge, saveCharge } from './store.ts';

type Charge = Stripe.Charge;

export function retrieveCharge(ctx: Ctx, id: string): Promise<Charge> {
  return requireCharge(ctx, id);
}

/**
 * `POST /v1/charges/:id`: description, metadata, receipt email, the fraud report, and the
 * customer of a charge that has none; `charge.updated` with what changed.
 */
export async function updateCharge(ctx: Ctx, id: string, params: UpdateChargeParams): Promise<Charge> {
  const before = await requireCharge(ctx, id);
  const charge: Charge = structuredClone(before);
  if (params.customer !== undefined) {
    const current = idOf(charge.customer as string | null);
    if (current !== null && current !== params.customer) {
      throw fail('customer_locked', { object: 'Charge' }, 'customer');
    }
    charge.customer = (await requireCustomer(ctx, params.customer, 'customer')).id;
  }
  if (params.description !== undefined) charge.description = params.description;
  if (params.receipt_email !== undefined) charge.receipt_email = params.receipt_email;
  if (params.fraud_details !== undefined) {
    const report = params.fraud_details.user_report;
    charge.fraud_details = report === null ? {} : { ...charge.fraud_details, user_report: report };
  }
  charge.metadata = mergeMetadata(charge.metadata, params.metadata);
  await saveCharge(ctx, charge);
  await emitEvent(ctx, 'charge.updated', charge, { before });
  return charge;
}

/** `GET /v1/charges`: newest first, by `customer`, `payment_intent` and `created`. */
export async function listCharges(ctx: Ctx, params: ListChargeParams): Promise<JsonText<ListObject<Charge>>> {
  // Portico makes no transfers, so no charge has a transfer group.
  if (params.transfer_group !== undefined) return listJson({ data: [], hasMore: false }, '/v1/charges');
  const where: Record<string, Filter> = {};
  if (params.customer !== undefined) where.customer = params.customer;
  if (params.payment_intent !== undefined) where.payment_intent = params.payment_intent;
  const page = await listObjectTexts(ctx.db, 'charges', ctx.scope, pageQuery(params), where);
  return listJson<Charge>(page, '/v1/charges');
}

const SEARCH_FIELDS: Record<string, SearchField> = {
  amount: { kind: 'number', column: 'amount' },
  created: { kind: 'number', column: 'created' },
  currency: { kind: 'text', json: 'currency' },
  customer: { kind: 'text', column: 'customer' },
  metadata: { kind: 'metadata' },
  payment_intent: { kind: 'text', column: 'payment_intent' },
  refunded: { kind: 'boolean', column: 'refunded' },
  status: { kind: 'text', column: 'status' },
};

/** `GET /v1/charges/search`: amount, created, currency, customer, metadata, payment_intent, refunded, status. */
export async function searchCharges(ctx: Ctx, params: SearchChargeParams): Promise<SearchResult<Charge>> {
  const page = await searchObjects<Charge>(
    ctx.db,
    'charges',
    ctx.scope,
    SEARCH_FIELDS,
    parseSearchQuery(params.query),
    {
      limit: params.limit ?? 10,
      page: params.page,
      totalCount: params.expand?.includes('total_count') ?? false,
    },
  );
  return searchResult(page, '/v1/charges/search');
}
