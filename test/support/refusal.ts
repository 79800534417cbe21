import { renderApiError, type WireError } from '../../src/api/error-messages.ts';
import { isRefusal } from '../../src/core/errors.ts';

/** A domain refusal as the API would answer it (status and Stripe's body); undefined for anything else. */
export function asWire(error: unknown): WireError | undefined {
  return isRefusal(error) ? renderApiError(error) : undefined;
}
