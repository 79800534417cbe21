import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';
import { selectFirst } from '../../store/run.ts';
import { missingObject } from '../missing.ts';
import { idOf } from '../payment-methods/resolve.ts';

type PaymentIntent = Stripe.PaymentIntent;

/** The columns lists and searches read, kept in step with the object. */
function indexed(intent: PaymentIntent) {
  return { customer: idOf(intent.customer), amount: intent.amount, status: intent.status };
}

/** `invoice`: the invoice whose payment this is (invoice payments are found through it). */
export async function insertPaymentIntent(
  ctx: Ctx,
  intent: PaymentIntent,
  invoice: string | null = null,
): Promise<void> {
  await insertObject(ctx.db, 'payment_intents', ctx.scope, intent, { ...indexed(intent), invoice });
}

export async function savePaymentIntent(ctx: Ctx, intent: PaymentIntent): Promise<void> {
  await updateObject(ctx.db, 'payment_intents', ctx.scope, intent, indexed(intent));
}

/** A PaymentIntent named by a param (400) or by the path (404, saying when the other mode has it). */
export async function requirePaymentIntent(ctx: Ctx, id: string, param?: string): Promise<PaymentIntent> {
  const found = await findObject<PaymentIntent>(ctx.db, 'payment_intents', ctx.scope, id);
  if (found) return found;
  if (param) throw errors.noSuchParam('payment_intent', id, param);
  throw await missingObject(ctx, 'payment_intents', 'payment_intent', id);
}

/** The invoice a PaymentIntent pays, or null for a PaymentIntent made through the API. */
export async function invoiceOfIntent(ctx: Ctx, id: string): Promise<string | null> {
  const row = await selectFirst(
    ctx.db,
    ctx.db
      .selectFrom('payment_intents')
      .select('invoice')
      .where('id', '=', id)
      .where('account_id', '=', ctx.scope.accountId)
      .where('livemode', '=', ctx.scope.livemode ? 1 : 0),
  );
  return row?.invoice ?? null;
}
