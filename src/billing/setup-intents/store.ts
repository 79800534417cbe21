import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { ApiError } from '../../core/errors.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';
import { missingObject } from '../missing.ts';
import { idOf } from '../payment-methods/resolve.ts';

type SetupIntent = Stripe.SetupIntent;

function indexed(intent: SetupIntent) {
  return {
    customer: idOf(intent.customer),
    payment_method: idOf(intent.payment_method),
    status: intent.status,
  };
}

export async function insertSetupIntent(ctx: Ctx, intent: SetupIntent): Promise<void> {
  await insertObject(ctx.db, 'setup_intents', ctx.scope, intent, indexed(intent));
}

export async function saveSetupIntent(ctx: Ctx, intent: SetupIntent): Promise<void> {
  await updateObject(ctx.db, 'setup_intents', ctx.scope, intent, indexed(intent));
}

/** A SetupIntent for the path (404, saying when the other mode has it). */
export async function requireSetupIntent(ctx: Ctx, id: string): Promise<SetupIntent> {
  const found = await findObject<SetupIntent>(ctx.db, 'setup_intents', ctx.scope, id);
  if (found) return found;
  throw await missingObject(ctx, 'setup_intents', 'setup_intent', id);
}

const OPEN: readonly string[] = ['requires_payment_method', 'requires_confirmation', 'requires_action'];

/** Only open SetupIntents (not succeeded, not canceled) can be changed. */
export function checkOpen(intent: SetupIntent, action: 'cancel' | 'confirm' | 'update'): void {
  if (OPEN.includes(intent.status)) return;
  const tail =
    action === 'cancel'
      ? ` Only a SetupIntent with one of the following statuses may be canceled: ${OPEN.join(', ')}.`
      : '';
  throw new ApiError(400, {
    type: 'invalid_request_error',
    code: 'setup_intent_unexpected_state',
    message: `You cannot ${action} this SetupIntent because it has a status of ${intent.status}.${tail}`,
    setup_intent: intent,
  });
}
