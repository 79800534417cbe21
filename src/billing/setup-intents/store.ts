import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
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
  throw fail('setup_intent_not_open', { action, setupIntent: intent, openStatuses: OPEN });
}
