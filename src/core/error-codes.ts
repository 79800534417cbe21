/**
 * The domain's vocabulary of refusals: every code a domain function may throw, with the
 * arguments it carries. No HTTP status and no English here: the API renders each code as
 * Stripe's JSON and English message (api/error-messages.ts), the hosted portal renders the same
 * codes from its locale catalogues. Adding a code here without a rendering fails the type check.
 *
 * Arguments are plain values (strings, numbers) that a message may quote; a few codes carry
 * objects for the wire body (`extra`: a card error's PaymentIntent, for instance).
 */
export interface ErrorCatalog {
  // Parameters (core/params.ts and every domain check of a param's value).
  parameter_unknown: Record<string, never>;
  parameter_missing: Record<string, never>;
  parameter_invalid_empty: Record<string, never>;
  parameter_invalid_integer: { value: string };
  parameter_invalid_string_too_long: { max: number };
  parameters_exclusive: { other: string };

  // Objects.
  /** The object the request acts on (its path) does not exist: 404. */
  resource_missing: { kind: string; id: string; otherMode?: 'test' | 'live' };
  /** An object named by a param does not exist: 400 on that param. */
  related_resource_missing: { kind: string; id: string; otherMode?: 'test' | 'live' };
  /** A caller-chosen id is taken. */
  resource_already_exists: { kind: string };

  // The wire itself (api/).
  unrecognized_url: { method: string; path: string };
  auth_missing: Record<string, never>;
  auth_invalid: { maskedKey: string };
  secret_key_required: Record<string, never>;
  permission_denied: { maskedKey: string; account: string; permission: string };
  account_inaccessible: { account: string };
  idempotency_mismatch: { key: string };
  idempotency_key_in_use: Record<string, never>;
  idempotency_key_invalid: Record<string, never>;
  lock_timeout: Record<string, never>;
  api_version_invalid: { version: string; pinned: string };
  body_not_form: { contentType: string };
  body_not_utf8: Record<string, never>;
  body_too_large: { limit: number };
  url_invalid: { reason: string };
  request_invalid: { reason: string };
  text_not_storable: Record<string, never>;
  internal: Record<string, never>;
}

export type ErrorCode = keyof ErrorCatalog;
