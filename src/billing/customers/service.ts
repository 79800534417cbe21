import { isIP } from 'node:net';
import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId, randomBase62 } from '../../core/ids.ts';
import { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery, type SearchResult, searchResult } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { parseSearchQuery } from '../../search/query.ts';
import {
  findObject,
  findObjectText,
  insertObject,
  listObjectTexts,
  updateObject,
} from '../../store/objects.ts';
import { type SearchField, searchObjects } from '../../store/search.ts';
import { recordBalanceMove } from '../balance-transactions/record.ts';
import { missingObject } from '../missing.ts';
import {
  attachToCustomer,
  checkDefaultPaymentMethod,
  detachAllPaymentMethods,
  prepareNewCustomerPaymentMethods,
} from '../payment-methods/attach.ts';
import { endCustomerBilling } from '../subscriptions/customer-deleted.ts';
import { addCustomerTaxIds, deleteCustomerTaxIds } from '../tax-ids/service.ts';
import { checkClockRoom, customerNow, requireClock } from '../test-clocks/lookup.ts';
import type {
  CreateCustomerParams,
  ListCustomerParams,
  SearchCustomerParams,
  UpdateCustomerParams,
} from './params.ts';

type Address = Stripe.Address;

// No white space or control characters, one @, a dot in the domain.
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

function checkEmail(email: string | null | undefined): void {
  if (email && !EMAIL.test(email)) {
    throw fail('email_invalid', { email }, 'email');
  }
}

export function toAddress(input: Partial<Record<keyof Address, string | null>>): Address {
  return {
    city: input.city ?? null,
    country: input.country ? input.country.toUpperCase() : null,
    line1: input.line1 ?? null,
    line2: input.line2 ?? null,
    postal_code: input.postal_code ?? null,
    state: input.state ?? null,
  };
}

function toShipping(input: NonNullable<CreateCustomerParams['shipping']>): Stripe.Customer.Shipping {
  return { address: toAddress(input.address), name: input.name, phone: input.phone ?? null };
}

function scalarUpdates(customer: Stripe.Customer, params: CreateCustomerParams | UpdateCustomerParams): void {
  if (params.balance !== undefined) customer.balance = params.balance;
  if (params.description !== undefined) customer.description = params.description;
  if (params.email !== undefined) customer.email = params.email;
  if (params.name !== undefined) customer.name = params.name;
  if (params.phone !== undefined) customer.phone = params.phone;
  if (params.invoice_prefix !== undefined) customer.invoice_prefix = params.invoice_prefix;
  if (params.next_invoice_sequence !== undefined)
    customer.next_invoice_sequence = params.next_invoice_sequence;
  if (params.preferred_locales !== undefined) customer.preferred_locales = params.preferred_locales ?? [];
  if (params.tax_exempt !== undefined) customer.tax_exempt = params.tax_exempt ?? 'none';
  if (params.address !== undefined)
    customer.address = params.address === null ? null : toAddress(params.address);
  if (params.shipping !== undefined)
    customer.shipping = params.shipping === null ? null : toShipping(params.shipping);
  if (params.business_name !== undefined) {
    if (params.business_name === null) delete customer.business_name;
    else customer.business_name = params.business_name;
  }
  if (params.individual_name !== undefined) {
    if (params.individual_name === null) delete customer.individual_name;
    else customer.individual_name = params.individual_name;
  }
  customer.metadata = mergeMetadata(customer.metadata, params.metadata);
  const settings = params.invoice_settings;
  if (settings) {
    const s = customer.invoice_settings;
    if (settings.custom_fields !== undefined) s.custom_fields = settings.custom_fields;
    if (settings.footer !== undefined) s.footer = settings.footer;
    // Checked before this point (it must be one of the customer's payment methods).
    if (settings.default_payment_method !== undefined)
      s.default_payment_method = settings.default_payment_method;
    if (settings.rendering_options !== undefined) {
      const r = settings.rendering_options;
      s.rendering_options =
        r === null
          ? null
          : {
              amount_tax_display:
                r.amount_tax_display !== undefined
                  ? r.amount_tax_display
                  : (s.rendering_options?.amount_tax_display ?? null),
              template: r.template !== undefined ? r.template : (s.rendering_options?.template ?? null),
            };
    }
  }
}

/** Checks the references a customer param names; the domain objects they point at come later. */
async function checkReferences(ctx: Ctx, params: CreateCustomerParams | UpdateCustomerParams): Promise<void> {
  checkEmail(params.email);
  const ip = params.tax?.ip_address;
  if (ip && isIP(ip) === 0) throw fail('parameter_invalid_format', { value: ip }, 'tax[ip_address]');
  if (params.source) throw errors.noSuchParam('source', params.source, 'source');
  if ('default_source' in params && params.default_source) {
    throw errors.noSuchParam('source', params.default_source, 'default_source');
  }
  if ('test_clock' in params && params.test_clock !== undefined) {
    await requireClock(ctx, params.test_clock, 'test_clock');
    await checkClockRoom(ctx, params.test_clock);
  }
}

function indexed(customer: Stripe.Customer) {
  const clock = customer.test_clock;
  return {
    email: customer.email,
    test_clock: typeof clock === 'string' ? clock : (clock?.id ?? ''),
  };
}

export async function createCustomer(ctx: Ctx, params: CreateCustomerParams): Promise<Stripe.Customer> {
  await checkReferences(ctx, params);
  const methods = await prepareNewCustomerPaymentMethods(ctx, params, params.test_clock ?? null);
  const customer: Stripe.Customer = {
    id: newId('cus'),
    object: 'customer',
    address: null,
    balance: 0,
    created: ctx.clock.now(),
    currency: null,
    customer_account: null,
    default_source: null,
    delinquent: false,
    description: null,
    discount: null,
    email: null,
    invoice_prefix: randomBase62(8).toUpperCase(),
    invoice_settings: {
      custom_fields: null,
      default_payment_method: null,
      footer: null,
      rendering_options: null,
    },
    livemode: ctx.scope.livemode,
    metadata: {},
    name: null,
    next_invoice_sequence: 1,
    phone: null,
    preferred_locales: [],
    shipping: null,
    tax_exempt: 'none',
    test_clock: params.test_clock ?? null,
  };
  scalarUpdates(customer, params);
  if (methods.defaultId !== undefined) customer.invoice_settings.default_payment_method = methods.defaultId;
  await insertObject(ctx.db, 'customers', ctx.scope, customer, {
    ...indexed(customer),
    tax_ip_address: params.tax?.ip_address ?? null,
  });
  // A customer made with a balance starts with an `initial` transaction for it.
  if (customer.balance !== 0) {
    await recordBalanceMove(ctx, {
      customer,
      amount: customer.balance,
      type: 'initial',
      created: customer.created,
    });
  }
  await emitEvent(ctx, 'customer.created', customer);
  if (methods.paymentMethod) await attachToCustomer(ctx, methods.paymentMethod, customer);
  if (params.tax_id_data) await addCustomerTaxIds(ctx, customer, params.tax_id_data);
  return customer;
}

type Stored = Stripe.Customer | Stripe.DeletedCustomer;

/** Retrieving a deleted customer answers its deleted shape, as Stripe does. */
export async function retrieveCustomer(ctx: Ctx, id: string): Promise<JsonText<Stored>> {
  const found = await findObjectText(ctx.db, 'customers', ctx.scope, id);
  if (found === undefined) throw await missingObject(ctx, 'customers', 'customer', id);
  return new JsonText(found);
}

/** A live customer for a param or a path; deleted customers count as missing. */
export async function requireCustomer(ctx: Ctx, id: string, param?: string): Promise<Stripe.Customer> {
  const found = await findObject<Stored>(ctx.db, 'customers', ctx.scope, id);
  if (!found || found.deleted) {
    throw param
      ? errors.noSuchParam('customer', id, param)
      : found
        ? errors.noSuchPath('customer', id)
        : await missingObject(ctx, 'customers', 'customer', id);
  }
  return found;
}

export async function updateCustomer(
  ctx: Ctx,
  id: string,
  params: UpdateCustomerParams,
): Promise<Stripe.Customer> {
  const before = await requireCustomer(ctx, id);
  await checkReferences(ctx, params);
  const wantedDefault = params.invoice_settings?.default_payment_method;
  if (wantedDefault) await checkDefaultPaymentMethod(ctx, id, wantedDefault);
  const customer: Stripe.Customer = structuredClone(before);
  scalarUpdates(customer, params);
  const ip = params.tax?.ip_address;
  await updateObject(ctx.db, 'customers', ctx.scope, customer, {
    ...indexed(customer),
    ...(ip === undefined ? {} : { tax_ip_address: ip }),
  });
  // Setting `balance` directly is an `adjustment` by the difference.
  if (customer.balance !== before.balance) {
    await recordBalanceMove(ctx, {
      customer,
      amount: customer.balance - before.balance,
      type: 'adjustment',
      created: await customerNow(ctx, customer),
    });
  }
  await emitEvent(ctx, 'customer.updated', customer, { before });
  return customer;
}

export async function deleteCustomer(ctx: Ctx, id: string): Promise<Stripe.DeletedCustomer> {
  const customer = await requireCustomer(ctx, id);
  const deleted: Stripe.DeletedCustomer = { id, object: 'customer', deleted: true };
  await updateObject(ctx.db, 'customers', ctx.scope, deleted, { deleted: 1 });
  await endCustomerBilling(ctx, customer);
  await deleteCustomerTaxIds(ctx, id);
  await detachAllPaymentMethods(ctx, id);
  await emitEvent(ctx, 'customer.deleted', customer);
  return deleted;
}

/** Customers on a test clock are listed only when that clock is asked for, as on Stripe. */
export async function listCustomers(
  ctx: Ctx,
  params: ListCustomerParams,
): Promise<JsonText<ListObject<Stripe.Customer>>> {
  const where: Record<string, string | number> = { deleted: 0, test_clock: params.test_clock ?? '' };
  if (params.email !== undefined) where.email = params.email;
  const page = await listObjectTexts(ctx.db, 'customers', ctx.scope, pageQuery(params), where);
  return listJson<Stripe.Customer>(page, '/v1/customers');
}

const SEARCH_FIELDS: Record<string, SearchField> = {
  created: { kind: 'number', column: 'created' },
  email: { kind: 'text', column: 'email' },
  metadata: { kind: 'metadata' },
  name: { kind: 'text', json: 'name' },
  phone: { kind: 'text', json: 'phone' },
};

/** `/v1/customers/search`: Stripe's query language over email, name, phone, metadata and created. */
export async function searchCustomers(
  ctx: Ctx,
  params: SearchCustomerParams,
): Promise<SearchResult<Stripe.Customer>> {
  const query = parseSearchQuery(params.query);
  const totalCount = params.expand?.includes('total_count') ?? false;
  const page = await searchObjects<Stripe.Customer>(ctx.db, 'customers', ctx.scope, SEARCH_FIELDS, query, {
    limit: params.limit ?? 10,
    page: params.page,
    totalCount,
    where: { deleted: 0 },
  });
  return searchResult(page, '/v1/customers/search');
}
