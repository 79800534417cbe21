import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import type { ProcessorCard } from '../../payments/processor.ts';
import { selectFirst } from '../../store/run.ts';
import { missingObject } from '../missing.ts';

/**
 * A payment method with what the store keeps beside it: whether it was detached (it can never be
 * used again), whether a SetupIntent prepared it for off-session payments, and the test number the
 * simulator decides by. None of these are part of the Stripe object.
 */
export interface StoredPaymentMethod {
  object: Stripe.PaymentMethod;
  detached: boolean;
  setUpOffSession: boolean;
  testCard: string | null;
}

const mode = (ctx: Ctx) => (ctx.scope.livemode ? 1 : 0);

export async function loadPaymentMethod(ctx: Ctx, id: string): Promise<StoredPaymentMethod | undefined> {
  // PostgreSQL refuses U+0000 in text; no stored id carries one.
  if (id.includes('\u0000')) return undefined;
  const row = await selectFirst(
    ctx.db,
    ctx.db
      .selectFrom('payment_methods')
      .select(['data', 'detached', 'set_up_off_session', 'test_card'])
      .where('id', '=', id)
      .where('account_id', '=', ctx.scope.accountId)
      .where('livemode', '=', mode(ctx)),
  );
  if (!row) return undefined;
  return {
    object: JSON.parse(row.data) as Stripe.PaymentMethod,
    detached: row.detached === 1,
    setUpOffSession: row.set_up_off_session === 1,
    testCard: row.test_card,
  };
}

/** A payment method named by a param (400) or by the path (404, saying when the other mode has it). */
export async function requirePaymentMethod(
  ctx: Ctx,
  id: string,
  param?: string,
): Promise<StoredPaymentMethod> {
  const found = await loadPaymentMethod(ctx, id);
  if (found) return found;
  if (param) throw errors.noSuchParam('PaymentMethod', id, param);
  throw await missingObject(ctx, 'payment_methods', 'PaymentMethod', id);
}

function columns(stored: StoredPaymentMethod) {
  const customer = stored.object.customer;
  return {
    data: JSON.stringify(stored.object),
    customer: typeof customer === 'string' ? customer : (customer?.id ?? null),
    allow_redisplay: stored.object.allow_redisplay ?? 'unspecified',
    detached: stored.detached ? 1 : 0,
    set_up_off_session: stored.setUpOffSession ? 1 : 0,
  };
}

export async function insertPaymentMethod(ctx: Ctx, stored: StoredPaymentMethod): Promise<void> {
  await ctx.db
    .insertInto('payment_methods')
    .values({
      id: stored.object.id,
      account_id: ctx.scope.accountId,
      livemode: mode(ctx),
      created: stored.object.created,
      type: stored.object.type,
      test_card: stored.testCard,
      ...columns(stored),
    })
    .execute();
}

export async function savePaymentMethod(ctx: Ctx, stored: StoredPaymentMethod): Promise<void> {
  await ctx.db
    .updateTable('payment_methods')
    .set(columns(stored))
    .where('id', '=', stored.object.id)
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', mode(ctx))
    .execute();
}

/** The card as the processor knows it. */
export function processorCard(stored: StoredPaymentMethod): ProcessorCard {
  return { number: stored.testCard ?? '', setUpForOffSession: stored.setUpOffSession };
}

/** The ids of a customer's payment methods, oldest first. */
export async function customerPaymentMethodIds(ctx: Ctx, customerId: string): Promise<string[]> {
  const rows = await ctx.db
    .selectFrom('payment_methods')
    .select('id')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', mode(ctx))
    .where('customer', '=', customerId)
    .orderBy('created')
    .orderBy('seq')
    .execute();
  return rows.map((r) => r.id);
}
