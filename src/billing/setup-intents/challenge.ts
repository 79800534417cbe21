import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';

/**
 * Where the cardholder answers a SetupIntent's 3D Secure challenge: the same hosted challenge page
 * as a PaymentIntent's, addressed by the SetupIntent's client secret (its only credential).
 */
export function setupChallengeUrl(ctx: Ctx, intent: Stripe.SetupIntent): string {
  return `${ctx.publicUrl}/p/3ds/${intent.client_secret}`;
}

/**
 * The `next_action` of a SetupIntent waiting for 3D Secure, as a PaymentIntent's:
 * `redirect_to_url` when the confirmation gave a `return_url`, otherwise `use_stripe_sdk`.
 */
export function setupChallengeAction(
  ctx: Ctx,
  intent: Stripe.SetupIntent,
  returnUrl: string | null,
): Stripe.SetupIntent.NextAction {
  const url = setupChallengeUrl(ctx, intent);
  if (returnUrl !== null) {
    return { type: 'redirect_to_url', redirect_to_url: { return_url: returnUrl, url } };
  }
  return { type: 'use_stripe_sdk', use_stripe_sdk: { type: 'three_d_secure_redirect', stripe_js: url } };
}

/** A client secret's SetupIntent id (`seti_X_secret_Y` → `seti_X`), or null for anything else. */
export function setupIntentOfSecret(secret: string): string | null {
  const match = /^(seti_[A-Za-z0-9]+)_secret_[A-Za-z0-9]+$/.exec(secret);
  return match ? match[1]! : null;
}
