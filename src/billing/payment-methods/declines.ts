import { ApiError } from '../../core/errors.ts';
import type { Decline } from '../../payments/processor.ts';

/**
 * A card refusal as the API answers it: 402 `card_error` with Stripe's `code`, `decline_code`,
 * message, the card field at fault and the advice, plus what the caller adds (`setup_intent`,
 * `payment_method`, `payment_intent`).
 */
export function declineError(decline: Decline, extra: Record<string, unknown> = {}): ApiError {
  return new ApiError(402, { type: 'card_error', ...errorFields(decline), ...extra });
}

/** The fields of a refusal as they appear in an error body or a `last_setup_error`. */
export function errorFields(decline: Decline) {
  return {
    code: decline.code,
    decline_code: decline.decline_code,
    message: decline.message,
    ...(decline.param ? { param: decline.param } : {}),
    ...(decline.advice_code ? { advice_code: decline.advice_code } : {}),
  };
}
