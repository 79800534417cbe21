import type { ErrorCatalog, ErrorCode } from '../core/error-codes.ts';
import { ApiError, type ApiErrorBody, AppError, type ErrorType } from '../core/errors.ts';

/** An error as the wire sends it: HTTP status, Stripe's `error` body, and the retry hint. */
export interface WireError {
  status: number;
  body: ApiErrorBody;
  /** Overrides the SDK's retry choice through `Stripe-Should-Retry`. */
  shouldRetry?: boolean;
}

/** How the API renders one code: status, Stripe's type and `code`, and the exact English message. */
interface Rendering<A> {
  status?: number;
  type?: ErrorType;
  /** Stripe's `code` field; the domain code itself when `true`, none when absent. */
  stripeCode?: string | true;
  message: (args: A, param: string | undefined) => string;
  shouldRetry?: boolean;
  /** Fields added to the body beside message and code (a card error's objects). */
  extra?: (args: A) => Record<string, unknown>;
}

type Renderings = { [C in ErrorCode]: Rendering<ErrorCatalog[C]> };

const otherMode = (mode: 'test' | 'live' | undefined) =>
  mode
    ? `; a similar object exists in ${mode} mode, but a ${mode === 'test' ? 'live' : 'test'} mode key was used to make this request.`
    : '';

/**
 * Every code's rendering. The type makes a code without a rendering a compile error;
 * test/unit/error-messages.test.ts checks the same at run time for every code thrown in src/.
 */
export const apiRenderings: Renderings = {
  parameter_unknown: { stripeCode: true, message: (_, p) => `Received unknown parameter: ${p}` },
  parameter_missing: { stripeCode: true, message: (_, p) => `Missing required param: ${p}.` },
  parameter_invalid_empty: {
    stripeCode: true,
    message: (_, p) =>
      `You passed an empty string for '${p}'. We assume empty values are an attempt to unset a parameter; however '${p}' cannot be unset. You should remove '${p}' from your request or supply a non-empty value.`,
  },
  parameter_invalid_integer: { stripeCode: true, message: (a) => `Invalid integer: ${a.value}` },
  parameter_invalid_string_too_long: {
    stripeCode: true,
    message: (a, p) => `Invalid string: ${p} must be at most ${a.max} characters long.`,
  },
  parameters_exclusive: {
    stripeCode: true,
    message: (a, p) => `You may only specify one of these parameters: ${p}, ${a.other}.`,
  },
  resource_missing: {
    status: 404,
    stripeCode: true,
    message: (a) => `No such ${a.kind}: '${a.id}'${otherMode(a.otherMode)}`,
  },
  related_resource_missing: {
    stripeCode: 'resource_missing',
    message: (a) => `No such ${a.kind}: '${a.id}'${otherMode(a.otherMode)}`,
  },
  resource_already_exists: {
    stripeCode: true,
    message: (a) => `${a.kind[0]!.toUpperCase()}${a.kind.slice(1)} already exists.`,
  },

  // Subscription changes
  proration_date_outside_period: {
    message: () => '`proration_date` must be within the current billing period.',
  },
  trial_end_not_future: {
    message: () => 'Invalid timestamp: must be an integer Unix timestamp in the future.',
  },
  trial_end_too_far: { message: () => 'Invalid timestamp: can be no more than two years in the future.' },
  cancel_at_not_future: { message: () => '`cancel_at` must be in the future.' },
  backdate_start_not_past: { message: () => '`backdate_start_date` must be in the past.' },
  billing_cycle_anchor_out_of_range: {
    message: () =>
      '`billing_cycle_anchor` must be between now and the end of the first full period (or of the trial).',
  },
  days_until_due_required: {
    message: () => '`days_until_due` is required when `collection_method` is `send_invoice`.',
  },
  days_until_due_not_allowed: {
    message: () => '`days_until_due` can only be set when `collection_method` is `send_invoice`.',
  },
  pending_if_incomplete_on_create: {
    message: () => '`payment_behavior=pending_if_incomplete` can only be used when updating a subscription.',
  },
  pending_update_param_not_allowed: {
    message: (_, p) =>
      `\`${p}\` cannot be updated with \`payment_behavior=pending_if_incomplete\`; send it in a separate update.`,
  },
  pending_update_needs_always_invoice: {
    message: () =>
      '`payment_behavior=pending_if_incomplete` needs `proration_behavior=always_invoice` (or none).',
  },
  pending_update_exists: {
    message: () =>
      'This subscription already has a pending update; it must be paid or expire before another.',
  },
  subscription_ended_update: {
    message: () => 'A canceled subscription can only update its cancellation_details and metadata.',
  },
  pause_resumes_at_not_future: { message: () => '`pause_collection[resumes_at]` must be in the future.' },
  resume_not_paused: { message: () => 'Only a paused subscription can be resumed.' },
  invoice_upcoming_none: {
    status: 404,
    stripeCode: true,
    message: (a) => `No upcoming invoices for customer: ${a.customer}`,
  },
  unrecognized_url: {
    status: 404,
    message: (a) =>
      `Unrecognized request URL (${a.method}: ${a.path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
  },
  auth_missing: {
    status: 401,
    message: () =>
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
  },
  auth_invalid: {
    status: 401,
    stripeCode: 'api_key_invalid',
    message: (a) => `Invalid API Key provided: ${a.maskedKey}`,
  },
  secret_key_required: {
    status: 401,
    stripeCode: true,
    message: () => 'This API call cannot be made with a publishable API key. Please use a secret API key.',
  },
  permission_denied: {
    status: 403,
    message: (a) =>
      `The provided key '${a.maskedKey}' does not have the required permissions for this endpoint on account '${a.account}'. Having the '${a.permission}' permission would allow this request to continue.`,
  },
  account_inaccessible: {
    status: 403,
    stripeCode: 'account_invalid',
    message: (a) =>
      `The provided key does not have access to account '${a.account}' (or that account does not exist). Application access may have been revoked.`,
  },
  idempotency_mismatch: {
    type: 'idempotency_error',
    message: (a) =>
      `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${a.key}' if you meant to execute a different request.`,
  },
  idempotency_key_in_use: {
    status: 409,
    stripeCode: true,
    shouldRetry: true,
    message: () =>
      'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through). Please retry your request after a few seconds.',
  },
  idempotency_key_invalid: {
    message: () => 'Idempotency-Key must be between 1 and 255 characters long.',
  },
  lock_timeout: {
    status: 429,
    stripeCode: true,
    shouldRetry: true,
    message: () =>
      'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.',
  },
  api_version_invalid: {
    stripeCode: true,
    message: (a) => `Invalid Stripe API version: ${a.version}. This server answers in ${a.pinned}.`,
  },
  body_not_form: {
    message: (a) =>
      `Invalid request: the body must be sent as application/x-www-form-urlencoded, not ${a.contentType}.`,
  },
  body_not_utf8: { message: () => 'Invalid request: the body is not valid UTF-8.' },
  body_too_large: { message: (a) => `Request body too large: the limit is ${a.limit} bytes.` },
  url_invalid: { message: (a) => `Invalid request: the URL is not valid (${a.reason}).` },
  request_invalid: { message: (a) => `Invalid request: ${a.reason}` },
  text_not_storable: {
    message: () => 'Invalid request: a parameter contains a character that cannot be stored.',
  },
  internal: {
    status: 500,
    type: 'api_error',
    message: () => 'An unknown error occurred while processing your request.',
  },
};

/** The one mapping from an error to what the API sends. */
export function renderApiError(error: AppError | ApiError): WireError {
  if (error instanceof ApiError)
    return { status: error.status, body: error.body, shouldRetry: error.shouldRetry };
  const r = apiRenderings[error.code] as Rendering<unknown>;
  const body: ApiErrorBody = {
    type: r.type ?? 'invalid_request_error',
    message: r.message(error.args, error.param),
  };
  if (r.stripeCode) body.code = r.stripeCode === true ? error.code : r.stripeCode;
  if (error.param) body.param = error.param;
  if (r.extra) Object.assign(body, r.extra(error.args));
  return {
    status: r.status ?? 400,
    body,
    ...(r.shouldRetry === undefined ? {} : { shouldRetry: r.shouldRetry }),
  };
}

/** The JSON text of an error's answer. */
export const errorJson = (wire: WireError) => JSON.stringify({ error: wire.body });

export const isRenderable = (error: unknown): error is AppError | ApiError =>
  error instanceof AppError || error instanceof ApiError;
