import assert from 'node:assert/strict';
import Stripe from 'stripe';

export type StripeError = InstanceType<typeof Stripe.errors.StripeError>;

/**
 * Awaits an SDK call that must fail and returns the SDK's error, checking the things every error
 * carries: its class, HTTP status and the request id the server sent in `Request-Id`.
 */
export async function stripeError<E extends StripeError>(
  call: Promise<unknown>,
  expected: abstract new (...args: never[]) => E,
  statusCode: number,
): Promise<E> {
  let caught: unknown;
  try {
    await call;
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, `expected the call to fail with ${expected.name}, but it succeeded`);
  assert.ok(
    caught instanceof expected,
    `expected ${expected.name}, got ${(caught as Error)?.constructor?.name}: ${(caught as Error)?.message}`,
  );
  const error = caught as E;
  assert.equal(error.statusCode, statusCode, `status of "${error.message}"`);
  assert.match(String(error.requestId), /^req_[A-Za-z0-9]+$/, 'error.requestId');
  assert.equal(error.headers?.['request-id'], error.requestId, 'Request-Id header');
  return error;
}

export const E = Stripe.errors;
