import { createHash, timingSafeEqual } from 'node:crypto';
import type Stripe from 'stripe';
import { currentAccount } from '../../../accounts/service.ts';
import type { Ctx } from '../../../core/context.ts';
import { isRefusal } from '../../../core/errors.ts';
import { type Actor, actorFor } from '../../../operations/context.ts';
import type { Operations } from '../../../operations/runner.ts';
import { findObject } from '../../../store/objects.ts';
import { answerChallenge } from '../../payment-intents/authenticate.ts';
import { intentOfSecret } from '../../payment-intents/challenge.ts';
import { idOf } from '../../payment-methods/resolve.ts';
import { loadPaymentMethod } from '../../payment-methods/store.ts';
import { answerSetupChallenge } from '../../setup-intents/authenticate.ts';
import { setupIntentOfSecret } from '../../setup-intents/challenge.ts';

/** What a challenge URL's client secret names: a payment to confirm or a card being set up. */
export type HostedChallenge =
  | { kind: 'payment'; intent: Stripe.PaymentIntent; actor: Actor }
  | { kind: 'setup'; intent: Stripe.SetupIntent; actor: Actor };

const sha256 = (text: string) => createHash('sha256').update(text).digest();

/**
 * The PaymentIntent or SetupIntent a challenge URL's client secret names. Their ids are unique
 * across accounts and modes, so the row is found by id alone, then the whole secret is compared
 * in constant time. An unknown id or a wrong secret are the same answer: undefined.
 */
export async function findChallenge(ops: Operations, secret: string): Promise<HostedChallenge | undefined> {
  const paymentId = intentOfSecret(secret);
  const setupId = paymentId === null ? setupIntentOfSecret(secret) : null;
  const id = paymentId ?? setupId;
  if (id === null) return undefined;
  const row = await ops.store.read
    .selectFrom(paymentId !== null ? 'payment_intents' : 'setup_intents')
    .select(['account_id', 'livemode', 'data'])
    .where('id', '=', id)
    .executeTakeFirst();
  if (!row) return undefined;
  const intent = JSON.parse(row.data) as Stripe.PaymentIntent | Stripe.SetupIntent;
  if (!timingSafeEqual(sha256(intent.client_secret ?? ''), sha256(secret))) return undefined;
  const actor = await actorFor(ops.store.read, { accountId: row.account_id, livemode: row.livemode === 1 });
  return intent.object === 'payment_intent'
    ? { kind: 'payment', intent, actor }
    : { kind: 'setup', intent, actor };
}

/** What the challenge page shows: whom the payment is to, the customer (for the language), the card. */
export async function challengeDetails(ctx: Ctx, intent: Stripe.PaymentIntent | Stripe.SetupIntent) {
  const customerId = idOf(intent.customer as string | null);
  const customer = customerId
    ? await findObject<Stripe.Customer & { deleted?: true }>(ctx.db, 'customers', ctx.scope, customerId)
    : undefined;
  const paymentMethodId = idOf(intent.payment_method as string | null);
  const paymentMethod = paymentMethodId ? (await loadPaymentMethod(ctx, paymentMethodId))?.object : undefined;
  return {
    business: await currentAccount(ctx),
    customer: customer && !customer.deleted ? customer : undefined,
    paymentMethod,
    now: ctx.clock.now(),
  };
}

/**
 * The cardholder's answer on the page: the PaymentIntent as it now stands (a decline after
 * authenticating is kept, as the API keeps it) and the return URL asked for at confirmation, or
 * null when no challenge waits any more (answered in another tab).
 */
async function answerHostedPaymentChallenge(
  ctx: Ctx,
  intentId: string,
  answer: 'succeed' | 'fail',
): Promise<{ intent: Stripe.PaymentIntent; declined: boolean; returnUrl: string | null } | null> {
  const intent = await findObject<Stripe.PaymentIntent>(ctx.db, 'payment_intents', ctx.scope, intentId);
  if (intent?.status !== 'requires_action') return null;
  const returnUrl = intent.next_action?.redirect_to_url?.return_url ?? null;
  const result = await answerChallenge(ctx, intent, answer);
  if (!isRefusal(result)) return { intent: result, declined: false, returnUrl };
  const after = await findObject<Stripe.PaymentIntent>(ctx.db, 'payment_intents', ctx.scope, intentId);
  return { intent: after ?? intent, declined: true, returnUrl };
}

/**
 * The cardholder's answer on the page to a SetupIntent's challenge, as the test helper answers it:
 * the SetupIntent as it now stands (a decline after authenticating is kept, as the API keeps it)
 * and the return URL given at confirmation, or null when no challenge waits any more.
 */
async function answerHostedSetupChallenge(
  ctx: Ctx,
  intentId: string,
  answer: 'succeed' | 'fail',
): Promise<{ intent: Stripe.SetupIntent; declined: boolean; returnUrl: string | null } | null> {
  const intent = await findObject<Stripe.SetupIntent>(ctx.db, 'setup_intents', ctx.scope, intentId);
  if (intent?.status !== 'requires_action') return null;
  const returnUrl = intent.next_action?.redirect_to_url?.return_url ?? null;
  const result = await answerSetupChallenge(ctx, intent, answer);
  if (!isRefusal(result)) return { intent: result, declined: false, returnUrl };
  const after = await findObject<Stripe.SetupIntent>(ctx.db, 'setup_intents', ctx.scope, intentId);
  return { intent: after ?? intent, declined: true, returnUrl };
}

/** What the cardholder's answer came to: the intent as it now stands, or null when nothing waited. */
export interface AnsweredChallenge {
  challenge: HostedChallenge;
  declined: boolean;
  returnUrl: string | null;
}

/** The cardholder's answer on the challenge page, to whichever intent the page is for. */
export async function answerIntentChallenge(
  ctx: Ctx,
  found: HostedChallenge,
  answer: 'succeed' | 'fail',
): Promise<AnsweredChallenge | null> {
  if (found.kind === 'payment') {
    const result = await answerHostedPaymentChallenge(ctx, found.intent.id, answer);
    return result && { ...result, challenge: { ...found, intent: result.intent } };
  }
  const result = await answerHostedSetupChallenge(ctx, found.intent.id, answer);
  return result && { ...result, challenge: { ...found, intent: result.intent } };
}

/** Whether the challenge's intent went through: paid (or authorized), or its card set up. */
export function challengeSucceeded(challenge: HostedChallenge): boolean {
  const status = challenge.intent.status;
  return status === 'succeeded' || status === 'requires_capture';
}
