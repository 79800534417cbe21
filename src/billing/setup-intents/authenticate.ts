import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { type AppError, fail } from '../../core/errors.ts';
import { idOf } from '../payment-methods/resolve.ts';
import { requirePaymentMethod } from '../payment-methods/store.ts';
import { attemptSetup, failAuthentication } from './attempt.ts';

type SetupIntent = Stripe.SetupIntent;

/**
 * The cardholder's answer to the 3D Secure challenge of a SetupIntent in `requires_action`, from
 * the hosted challenge page, the portal's add-card page or the test helper. `succeed` lets the
 * issuer decide with the cardholder authenticated; `fail` sends the SetupIntent back to
 * `requires_payment_method` with `setup_intent_authentication_failure`.
 */
export async function answerSetupChallenge(
  ctx: Ctx,
  intent: SetupIntent,
  answer: 'succeed' | 'fail',
): Promise<SetupIntent | AppError> {
  if (intent.status !== 'requires_action') {
    throw fail('setup_intent_not_requires_action', { setupIntent: intent });
  }
  const stored = await requirePaymentMethod(ctx, idOf(intent.payment_method as string | null) ?? '');
  if (answer === 'fail') return failAuthentication(ctx, intent, stored);
  const returnUrl = intent.next_action?.redirect_to_url?.return_url ?? null;
  return attemptSetup(ctx, intent, stored, { authenticated: true, returnUrl });
}
