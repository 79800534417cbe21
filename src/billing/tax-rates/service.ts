import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { type ListObject, listObject, pageQuery } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { type Filter, findObject, insertObject, listObjects, updateObject } from '../../store/objects.ts';
import { checkPercentage } from '../math/tax.ts';
import type { CreateTaxRateParams, ListTaxRateParams, UpdateTaxRateParams } from './params.ts';

type TaxRate = Stripe.TaxRate;

const columns = (rate: TaxRate) => ({ active: rate.active ? 1 : 0, inclusive: rate.inclusive ? 1 : 0 });

export async function createTaxRate(ctx: Ctx, params: CreateTaxRateParams): Promise<TaxRate> {
  if (!checkPercentage(params.percentage)) throw fail('tax_rate_percentage_invalid', {}, 'percentage');
  const rate: TaxRate = {
    id: newId('txr'),
    object: 'tax_rate',
    active: params.active ?? true,
    country: params.country?.toUpperCase() ?? null,
    created: ctx.clock.now(),
    description: params.description ?? null,
    display_name: params.display_name,
    // A manual rate is applied as given: its effective percentage is its percentage.
    effective_percentage: params.percentage,
    flat_amount: null,
    inclusive: params.inclusive,
    jurisdiction: params.jurisdiction ?? null,
    jurisdiction_level: null,
    livemode: ctx.scope.livemode,
    metadata: mergeMetadata({}, params.metadata),
    percentage: params.percentage,
    rate_type: 'percentage',
    state: params.state?.toUpperCase() ?? null,
    tax_type: params.tax_type ?? null,
  };
  await insertObject(ctx.db, 'tax_rates', ctx.scope, rate, columns(rate));
  await emitEvent(ctx, 'tax_rate.created', rate);
  return rate;
}

/** A tax rate for a path (404) or a param (400). */
export async function requireTaxRate(ctx: Ctx, id: string, param?: string): Promise<TaxRate> {
  const found = await findObject<TaxRate>(ctx.db, 'tax_rates', ctx.scope, id);
  if (!found) throw param ? errors.noSuchParam('tax_rate', id, param) : errors.noSuchPath('tax_rate', id);
  return found;
}

/**
 * Percentage and inclusiveness never change once a rate exists (invoices already taxed by it
 * keep their meaning); everything shown about it may, and `active=false` archives it.
 */
export async function updateTaxRate(ctx: Ctx, id: string, params: UpdateTaxRateParams): Promise<TaxRate> {
  const before = await requireTaxRate(ctx, id);
  const rate = structuredClone(before);
  if (params.active !== undefined) rate.active = params.active;
  if (params.country !== undefined) rate.country = params.country.toUpperCase();
  if (params.description !== undefined) rate.description = params.description;
  if (params.display_name !== undefined) rate.display_name = params.display_name;
  if (params.jurisdiction !== undefined) rate.jurisdiction = params.jurisdiction;
  if (params.state !== undefined) rate.state = params.state.toUpperCase();
  if (params.tax_type !== undefined) rate.tax_type = params.tax_type;
  rate.metadata = mergeMetadata(rate.metadata ?? {}, params.metadata);
  await updateObject(ctx.db, 'tax_rates', ctx.scope, rate, columns(rate));
  await emitEvent(ctx, 'tax_rate.updated', rate, { before });
  return rate;
}

export async function listTaxRates(ctx: Ctx, params: ListTaxRateParams): Promise<ListObject<TaxRate>> {
  const where: Record<string, Filter> = {};
  if (params.active !== undefined) where.active = params.active ? 1 : 0;
  if (params.inclusive !== undefined) where.inclusive = params.inclusive ? 1 : 0;
  const page = await listObjects<TaxRate>(ctx.db, 'tax_rates', ctx.scope, pageQuery(params), where);
  return listObject(page, '/v1/tax_rates');
}

/**
 * The rates a `tax_rates`/`default_tax_rates` param names, in its order, each once. An archived
 * rate cannot be newly applied, but one the object already carries (`kept`) stays usable, so a
 * subscription goes on renewing with a rate archived since.
 */
export async function applicableTaxRates(
  ctx: Ctx,
  ids: string[],
  param: string,
  kept: readonly (TaxRate | string)[] = [],
): Promise<TaxRate[]> {
  const keptIds = new Set(kept.map((r) => (typeof r === 'string' ? r : r.id)));
  const out: TaxRate[] = [];
  for (const [i, id] of ids.entries()) {
    if (out.some((r) => r.id === id)) throw fail('tax_rate_duplicate', { taxRate: id }, `${param}[${i}]`);
    const rate = await requireTaxRate(ctx, id, `${param}[${i}]`);
    if (!rate.active && !keptIds.has(id)) throw fail('tax_rate_inactive', { taxRate: id }, `${param}[${i}]`);
    out.push(rate);
  }
  return out;
}
