import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';
import { missingObject } from '../missing.ts';
import { idOf } from '../payment-methods/resolve.ts';

type Charge = Stripe.Charge;

/** The columns lists and searches read, kept in step with the object. */
function indexed(charge: Charge) {
  return {
    customer: idOf(charge.customer),
    payment_intent: idOf(charge.payment_intent),
    amount: charge.amount,
    status: charge.status,
    refunded: charge.refunded ? 1 : 0,
  };
}

export async function insertCharge(ctx: Ctx, charge: Charge): Promise<void> {
  await insertObject(ctx.db, 'charges', ctx.scope, charge, indexed(charge));
}

export async function saveCharge(ctx: Ctx, charge: Charge): Promise<void> {
  await updateObject(ctx.db, 'charges', ctx.scope, charge, indexed(charge));
}

/** A charge named by a param (400) or by the path (404, saying when the other mode has it). */
export async function requireCharge(ctx: Ctx, id: string, param?: string): Promise<Charge> {
  const found = await findObject<Charge>(ctx.db, 'charges', ctx.scope, id);
  if (found) return found;
  if (param) throw errors.noSuchParam('charge', id, param);
  throw await missingObject(ctx, 'charges', 'charge', id);
}
