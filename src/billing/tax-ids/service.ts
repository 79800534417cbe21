import type Stripe from 'stripe';
import { findConnected } from '../../accounts/service.ts';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, listObject, pageQuery } from '../../core/list.ts';
import { emitEvent } from '../../events/emit.ts';
import { findObject, insertObject, listObjects, listObjectTexts, updateObject } from '../../store/objects.ts';
import { customerNow } from '../test-clocks/lookup.ts';
import { checkTaxIdValue } from './formats.ts';
import type {
  CreateCustomerTaxIdParams,
  CreateTaxIdParams,
  ListCustomerTaxIdParams,
  ListTaxIdParams,
  TaxIdDatum,
  TaxIdOwnerParam,
} from './params.ts';
import { pendingVerification, verificationOutcome } from './verification.ts';

type TaxId = Stripe.TaxId;

/** Stripe allows 25 tax IDs per customer; Portico applies the same limit to every owner. */
export const MAX_TAX_IDS_PER_OWNER = 25;
/** How many tax IDs `expand[]=tax_ids` embeds in a customer, as Stripe's embedded lists do. */
const EMBEDDED = 10;

/**
 * Who a tax ID belongs to, as stored in the `owner` column: `self` (the caller's own account),
 * a connected account's id, or a customer's id. Ids carry their prefix, so one column tells them
 * apart.
 */
interface Owner {
  key: string;
  object: Stripe.TaxId.Owner;
  customer: Stripe.Customer | null;
}

async function liveCustomer(ctx: Ctx, id: string): Promise<Stripe.Customer | undefined> {
  const found = await findObject<Stripe.Customer | Stripe.DeletedCustomer>(
    ctx.db,
    'customers',
    ctx.scope,
    id,
  );
  return found && !found.deleted ? found : undefined;
}

async function customerOwner(ctx: Ctx, id: string, param?: string): Promise<Owner> {
  const customer = await liveCustomer(ctx, id);
  if (!customer) throw param ? errors.noSuchParam('customer', id, param) : errors.noSuchPath('customer', id);
  return {
    key: customer.id,
    object: { type: 'customer', customer: customer.id, customer_account: null },
    customer,
  };
}

const SELF: Owner = { key: 'self', object: { type: 'self', customer_account: null }, customer: null };

/** The owner named by `owner[…]`; `self` when it is left out, as on Stripe. */
async function resolveOwner(ctx: Ctx, owner: TaxIdOwnerParam | undefined): Promise<Owner> {
  if (!owner || owner.type === 'self') return SELF;
  if (owner.customer_account !== undefined) {
    throw fail('tax_id_owner_customer_account_unsupported', {}, 'owner[customer_account]');
  }
  if (owner.type === 'customer') {
    if (owner.customer === undefined) throw errors.parameterMissing('owner[customer]');
    return customerOwner(ctx, owner.customer, 'owner[customer]');
  }
  if (owner.type === 'account') {
    if (owner.account === undefined) throw errors.parameterMissing('owner[account]');
    const account = await findConnected(ctx.db, ctx.scope, owner.account);
    if (!account) throw errors.noSuchParam('account', owner.account, 'owner[account]');
    return {
      key: account.id,
      object: { type: 'account', account: account.id, customer_account: null },
      customer: null,
    };
  }
  throw fail('tax_id_owner_application_unsupported', {}, 'owner[type]');
}

async function countOwned(ctx: Ctx, owner: string): Promise<number> {
  const row = await ctx.db
    .selectFrom('tax_ids')
    .select((eb) => eb.fn.countAll<number>().as('n'))
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('owner', '=', owner)
    .executeTakeFirst();
  return Number(row?.n ?? 0);
}

/**
 * Creates one tax ID. A customer's emits `customer.tax_id.created`; when the (simulated) registry
 * check has an outcome, the tax ID is updated at once and `customer.tax_id.updated` follows, so
 * the answer carries the outcome (Stripe answers `pending` and updates shortly after).
 */
async function addTaxId(ctx: Ctx, owner: Owner, datum: TaxIdDatum, param: string): Promise<TaxId> {
  const { country } = checkTaxIdValue(datum.type, datum.value, param);
  if ((await countOwned(ctx, owner.key)) >= MAX_TAX_IDS_PER_OWNER) {
    throw fail('tax_ids_too_many', {
      owner: owner.object.type === 'customer' ? 'customer' : 'account',
      max: MAX_TAX_IDS_PER_OWNER,
    });
  }
  const created: TaxId = {
    id: newId('txi'),
    object: 'tax_id',
    country,
    created: owner.customer ? await customerNow(ctx, owner.customer) : ctx.clock.now(),
    customer: owner.customer?.id ?? null,
    customer_account: null,
    livemode: ctx.scope.livemode,
    owner: owner.object,
    type: datum.type,
    value: datum.value.trim(),
    verification: pendingVerification(datum.type),
  };
  await insertObject(ctx.db, 'tax_ids', ctx.scope, created, { owner: owner.key });
  // Only customers' tax IDs have events (Stripe has none for account tax IDs).
  const events = owner.customer !== null;
  if (events) await emitEvent(ctx, 'customer.tax_id.created', created);
  const status = verificationOutcome(created.type, created.value, ctx.scope.livemode);
  if (!status || status === 'pending') return created;
  const verified: TaxId = { ...created, verification: { ...created.verification!, status } };
  await updateObject(ctx.db, 'tax_ids', ctx.scope, verified);
  if (events) await emitEvent(ctx, 'customer.tax_id.updated', verified, { before: created });
  return verified;
}

/** `POST /v1/tax_ids`. */
export async function createTaxId(ctx: Ctx, params: CreateTaxIdParams): Promise<TaxId> {
  const owner = await resolveOwner(ctx, params.owner);
  return addTaxId(ctx, owner, params, 'value');
}

/** `POST /v1/customers/:id/tax_ids`. */
export async function createCustomerTaxId(
  ctx: Ctx,
  customerId: string,
  params: CreateCustomerTaxIdParams,
): Promise<TaxId> {
  return addTaxId(ctx, await customerOwner(ctx, customerId), params, 'value');
}

/** `tax_id_data[]` on customer create: each becomes a tax ID of the new customer, with its events. */
export async function addCustomerTaxIds(
  ctx: Ctx,
  customer: Stripe.Customer,
  data: TaxIdDatum[],
): Promise<void> {
  const owner: Owner = {
    key: customer.id,
    object: { type: 'customer', customer: customer.id, customer_account: null },
    customer,
  };
  for (const [i, datum] of data.entries()) await addTaxId(ctx, owner, datum, `tax_id_data[${i}][value]`);
}

async function findTaxId(ctx: Ctx, id: string): Promise<TaxId | undefined> {
  return findObject<TaxId>(ctx.db, 'tax_ids', ctx.scope, id);
}

/** `GET /v1/tax_ids/:id`: a tax ID of any owner in the caller's account. */
export async function retrieveTaxId(ctx: Ctx, id: string): Promise<TaxId> {
  const found = await findTaxId(ctx, id);
  if (!found) throw errors.noSuchPath('tax_id', id);
  return found;
}

/** `GET /v1/customers/:id/tax_ids/:tax_id`: only that customer's. */
export async function retrieveCustomerTaxId(ctx: Ctx, customerId: string, id: string): Promise<TaxId> {
  await customerOwner(ctx, customerId);
  const found = await findTaxId(ctx, id);
  if (!found || found.customer !== customerId) throw errors.noSuchPath('tax_id', id);
  return found;
}

async function removeTaxId(ctx: Ctx, taxId: TaxId): Promise<Stripe.DeletedTaxId> {
  await ctx.db
    .deleteFrom('tax_ids')
    .where('id', '=', taxId.id)
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .execute();
  if (taxId.customer) await emitEvent(ctx, 'customer.tax_id.deleted', taxId);
  return { id: taxId.id, object: 'tax_id', deleted: true };
}

export async function deleteTaxId(ctx: Ctx, id: string): Promise<Stripe.DeletedTaxId> {
  return removeTaxId(ctx, await retrieveTaxId(ctx, id));
}

export async function deleteCustomerTaxId(
  ctx: Ctx,
  customerId: string,
  id: string,
): Promise<Stripe.DeletedTaxId> {
  return removeTaxId(ctx, await retrieveCustomerTaxId(ctx, customerId, id));
}

/** Deleting a customer deletes its tax IDs, each with `customer.tax_id.deleted`. */
export async function deleteCustomerTaxIds(ctx: Ctx, customerId: string): Promise<void> {
  const rows = await ctx.db
    .selectFrom('tax_ids')
    .select('data')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('owner', '=', customerId)
    .orderBy('seq')
    .execute();
  for (const row of rows) await removeTaxId(ctx, JSON.parse(row.data) as TaxId);
}

/** `GET /v1/tax_ids`: the tax IDs of one owner, `self` unless `owner[…]` says otherwise. */
export async function listTaxIds(ctx: Ctx, params: ListTaxIdParams): Promise<JsonText<ListObject<TaxId>>> {
  const owner = await resolveOwner(ctx, params.owner);
  const page = await listObjectTexts(ctx.db, 'tax_ids', ctx.scope, pageQuery(params), { owner: owner.key });
  return listJson<TaxId>(page, '/v1/tax_ids');
}

export async function listCustomerTaxIds(
  ctx: Ctx,
  customerId: string,
  params: ListCustomerTaxIdParams,
): Promise<JsonText<ListObject<TaxId>>> {
  await customerOwner(ctx, customerId);
  const page = await listObjectTexts(ctx.db, 'tax_ids', ctx.scope, pageQuery(params), { owner: customerId });
  return listJson<TaxId>(page, `/v1/customers/${customerId}/tax_ids`);
}

/** A customer's `tax_ids` list, for `expand[]=tax_ids`: the newest ten, as Stripe embeds lists. */
export async function embeddedTaxIds(ctx: Ctx, customerId: string): Promise<ListObject<TaxId>> {
  const page = await listObjects<TaxId>(
    ctx.db,
    'tax_ids',
    ctx.scope,
    { limit: EMBEDDED },
    { owner: customerId },
  );
  return listObject(page, `/v1/customers/${customerId}/tax_ids`);
}
