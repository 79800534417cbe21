import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';
import { missingObject } from '../missing.ts';
import { idOf } from '../payment-methods/resolve.ts';

type Refund = Stripe.Refund;

function indexed(refund: Refund) {
  return {
    charge: idOf(refund.charge),
    payment_intent: idOf(refund.payment_intent),
    status: refund.status,
  };
}

export async function insertRefund(ctx: Ctx, refund: Refund): Promise<void> {
  await insertObject(ctx.db, 'refunds', ctx.scope, refund, indexed(refund));
}

export async function saveRefund(ctx: Ctx, refund: Refund): Promise<void> {
  await updateObject(ctx.db, 'refunds', ctx.scope, refund, indexed(refund));
}

/** A refund for the path (404, saying when the other mode has it). */
export async function requireRefund(ctx: Ctx, id: string): Promise<Refund> {
  const found = await findObject<Refund>(ctx.db, 'refunds', ctx.scope, id);
  if (found) return found;
  throw await missingObject(ctx, 'refunds', 'refund', id);
}
