import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';

/**
 * Where the cardholder answers a PaymentIntent's 3D Secure challenge: Portico's hosted challenge
 * page, addressed by the client secret (which names the PaymentIntent and is the only
 * credential the page asks for, as Stripe's pages are reached from the client).
 */
export function paymentChallengeUrl(ctx: Ctx, intent: Stripe.PaymentIntent): string {
  return `${ctx.publicUrl}/p/3ds/${intent.client_secret}`;
}

/**
 * The `next_action` of a PaymentIntent waiting for 3D Secure: `redirect_to_url` when the caller
 * gave a `return_url` (the cardholder is sent to the page and back), otherwise `use_stripe_sdk`,
 * what Stripe answers a confirmation made for its client libraries to handle.
 */
export function challengeAction(
  ctx: Ctx,
  intent: Stripe.PaymentIntent,
  returnUrl: string | null,
): Stripe.PaymentIntent.NextAction {
  const url = paymentChallengeUrl(ctx, intent);
  if (returnUrl !== null) {
    return { type: 'redirect_to_url', redirect_to_url: { return_url: returnUrl, url } };
  }
  return { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } };
}

/** A client secret's PaymentIntent id (`pi_X_secret_Y` → `pi_X`), or null for anything else. */
export function intentOfSecret(secret: string): string | null {
  const match = /^(pi_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(secret);
  return match ? match[1]! : null;
}
