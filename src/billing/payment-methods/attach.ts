import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { emitEvent } from '../../events/emit.ts';
import { processor } from '../../payments/index.ts';
import { findObject, updateObject } from '../../store/objects.ts';
import { customerNow } from '../test-clocks/lookup.ts';
import { declineError } from './declines.ts';
import { idOf, isShortcut, resolvePaymentMethod } from './resolve.ts';
import {
  customerPaymentMethodIds,
  processorCard,
  requirePaymentMethod,
  type StoredPaymentMethod,
  savePaymentMethod,
} from './store.ts';

/**
 * What ties payment methods to customers: attaching (the issuer checks the card first), detaching
 * (for good), and the customer's default. The customer service calls these; they take the customer
 * object rather than importing that service, so the two modules do not depend on each other.
 */

/** A payment method that was detached, or belongs to someone else, cannot be used. */
export function checkUsable(stored: StoredPaymentMethod, customerId: string | null, param?: string): void {
  if (stored.detached) {
    throw fail('payment_method_used_unattached', {}, param);
  }
  const owner = idOf(stored.object.customer);
  if (owner !== null && owner !== customerId) {
    throw customerId === null
      ? fail('payment_method_other_customer', { paymentMethod: stored.object.id, customer: owner }, param)
      : fail('payment_method_already_attached', {}, param);
  }
}

export interface AttachOptions {
  /** The issuer already approved the card (a SetupIntent just did). */
  verified?: boolean;
}

/**
 * Attaches a payment method to a customer: a card its issuer refuses is a 402 `card_error` and
 * nothing changes. Attaching it again to the same customer changes nothing.
 */
export async function attachToCustomer(
  ctx: Ctx,
  stored: StoredPaymentMethod,
  customer: Stripe.Customer,
  options: AttachOptions = {},
): Promise<StoredPaymentMethod> {
  if (idOf(stored.object.customer) === customer.id) return stored;
  checkUsable(stored, customer.id);
  if (!options.verified) {
    const decision = processor.verify(processorCard(stored));
    if (decision.outcome === 'declined') throw declineError(decision.decline);
  }
  const attached: StoredPaymentMethod = { ...stored, object: { ...stored.object, customer: customer.id } };
  await savePaymentMethod(ctx, attached);
  await emitEvent(ctx, 'payment_method.attached', attached.object);
  return attached;
}

/**
 * Detaches a payment method for good. When it was its customer's default, the default is cleared
 * (with `customer.updated`) unless the customer is going away anyway.
 */
export async function detachFromCustomer(
  ctx: Ctx,
  stored: StoredPaymentMethod,
  options: { clearDefault: boolean },
): Promise<StoredPaymentMethod> {
  const customerId = idOf(stored.object.customer);
  if (customerId === null) {
    throw fail('payment_method_not_attached', {});
  }
  const detached: StoredPaymentMethod = {
    ...stored,
    detached: true,
    object: { ...stored.object, customer: null },
  };
  await savePaymentMethod(ctx, detached);
  await emitEvent(ctx, 'payment_method.detached', detached.object, { before: stored.object });
  if (options.clearDefault) await clearDefault(ctx, customerId, stored.object.id);
  return detached;
}

async function clearDefault(ctx: Ctx, customerId: string, paymentMethodId: string): Promise<void> {
  const before = await findObject<Stripe.Customer & { deleted?: true }>(
    ctx.db,
    'customers',
    ctx.scope,
    customerId,
  );
  if (!before || before.deleted) return;
  if (idOf(before.invoice_settings.default_payment_method) !== paymentMethodId) return;
  const customer = structuredClone(before);
  customer.invoice_settings.default_payment_method = null;
  await updateObject(ctx.db, 'customers', ctx.scope, customer);
  await emitEvent(ctx, 'customer.updated', customer, { before });
}

/** A customer being deleted loses its payment methods (each with `payment_method.detached`). */
export async function detachAllPaymentMethods(ctx: Ctx, customerId: string): Promise<void> {
  for (const id of await customerPaymentMethodIds(ctx, customerId)) {
    const stored = await requirePaymentMethod(ctx, id);
    await detachFromCustomer(ctx, stored, { clearDefault: false });
  }
}

const DEFAULT_PARAM = 'invoice_settings[default_payment_method]';

function notTheCustomers(id: string, param = DEFAULT_PARAM): never {
  throw fail('customer_payment_method_missing', { paymentMethod: id }, param);
}

/**
 * A default payment method (`invoice_settings[default_payment_method]`, or a subscription's
 * `default_payment_method` with its own `param`) must be one of the customer's payment methods.
 */
export async function checkDefaultPaymentMethod(
  ctx: Ctx,
  customerId: string,
  id: string,
  param = DEFAULT_PARAM,
): Promise<StoredPaymentMethod> {
  if (isShortcut(ctx, id)) notTheCustomers(id, param);
  const stored = await requirePaymentMethod(ctx, id, param);
  if (idOf(stored.object.customer) !== customerId) notTheCustomers(id, param);
  return stored;
}

export interface NewCustomerPaymentMethods {
  paymentMethod?: StoredPaymentMethod;
  /** The default to record, when one was asked for. */
  defaultId?: string | null;
}

/**
 * A new customer's `payment_method` (attached once the customer exists) and its default, which
 * can only be that same payment method (a shortcut given in both names the one new object).
 */
export async function prepareNewCustomerPaymentMethods(
  ctx: Ctx,
  params: { payment_method?: string; invoice_settings?: { default_payment_method?: string | null } },
  testClock: string | null,
): Promise<NewCustomerPaymentMethods> {
  const out: NewCustomerPaymentMethods = {};
  if (params.payment_method !== undefined) {
    const created = await customerNow(ctx, { test_clock: testClock });
    out.paymentMethod = await resolvePaymentMethod(ctx, params.payment_method, 'payment_method', created);
    checkUsable(out.paymentMethod, null, 'payment_method');
  }
  const wanted = params.invoice_settings?.default_payment_method;
  if (wanted === null) out.defaultId = null;
  else if (wanted !== undefined) {
    if (wanted !== params.payment_method || !out.paymentMethod) {
      if (!isShortcut(ctx, wanted)) await requirePaymentMethod(ctx, wanted, DEFAULT_PARAM);
      notTheCustomers(wanted);
    }
    out.defaultId = out.paymentMethod.object.id;
  }
  return out;
}
