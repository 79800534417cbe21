import type { CardDecline } from '../../core/error-codes.ts';
import { type AppError, fail } from '../../core/errors.ts';
import type { Decline, DeclineCode } from '../../payments/processor.ts';

/** The code of each kind of issuer refusal (Stripe's `code` is the rendering's). */
const DECLINE_CODES = {
  card_declined: 'card_declined',
  expired_card: 'card_expired',
  incorrect_cvc: 'card_cvc_incorrect',
  processing_error: 'card_processing_error',
  authentication_required: 'card_authentication_required',
} as const satisfies Record<DeclineCode, string>;

/**
 * A card refusal: 402 `card_error` with Stripe's `code`, `decline_code`, message and the advice,
 * naming `param` (the card field at fault, when the caller names it), plus the objects the caller
 * adds (`setup_intent`, `payment_method`, `payment_intent`).
 */
export function cardRefusal(
  decline: Decline,
  objects: Omit<CardDecline, 'declineCode' | 'message' | 'adviceCode'> = {},
  param?: string,
  options: { advice?: boolean } = {},
): AppError {
  const args: CardDecline = { declineCode: decline.decline_code, message: decline.message, ...objects };
  if (options.advice !== false && decline.advice_code) args.adviceCode = decline.advice_code;
  return fail(DECLINE_CODES[decline.code], args, param);
}

/** A card refusal as the card's issuer answered it, naming the card field at fault. */
export function declineError(decline: Decline, objects: Parameters<typeof cardRefusal>[1] = {}): AppError {
  return cardRefusal(decline, objects, decline.param);
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
