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

  // Subscription changes
  /** `proration_date` outside the subscription's current period. */
  proration_date_outside_period: Record<string, never>;
  /** A `trial_end` that is not in the future. */
  trial_end_not_future: Record<string, never>;
  /** A `trial_end` more than two years ahead. */
  trial_end_too_far: Record<string, never>;
  /** A `cancel_at` that is not in the future. */
  cancel_at_not_future: Record<string, never>;
  /** A `backdate_start_date` that is not in the past. */
  backdate_start_not_past: Record<string, never>;
  /** A `billing_cycle_anchor` before now or after the first whole period (or the trial). */
  billing_cycle_anchor_out_of_range: Record<string, never>;
  /** `send_invoice` without `days_until_due`. */
  days_until_due_required: Record<string, never>;
  /** `days_until_due` with automatic collection. */
  days_until_due_not_allowed: Record<string, never>;
  /** `pending_if_incomplete` on a creation: only an update can wait for its payment. */
  pending_if_incomplete_on_create: Record<string, never>;
  /** A param (the one at fault) that a `pending_if_incomplete` update cannot carry. */
  pending_update_param_not_allowed: Record<string, never>;
  /** `pending_if_incomplete` with `proration_behavior=create_prorations`. */
  pending_update_needs_always_invoice: Record<string, never>;
  /** A `pending_if_incomplete` update while another is pending. */
  pending_update_exists: Record<string, never>;
  /** An update of an ended subscription beyond its metadata and cancellation details. */
  subscription_ended_update: Record<string, never>;
  /** `pause_collection[resumes_at]` that is not in the future. */
  pause_resumes_at_not_future: Record<string, never>;
  /** A preview of `resume_at` for a subscription that is not paused. */
  resume_not_paused: Record<string, never>;
  /** Nothing to preview for the customer: 404. */
  invoice_upcoming_none: { customer: string };

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
