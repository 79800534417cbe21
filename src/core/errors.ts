/**
 * The one error type of the project. Domain code throws ApiError; the transport maps it to
 * Stripe's error JSON and HTTP status in one place (api/errors.ts). Anything else thrown is a bug
 * and becomes a 500 `api_error`.
 */
export type ErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface ApiErrorBody {
  type: ErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  [extra: string]: unknown;
}

export class ApiError extends Error {
  readonly status: number;
  readonly body: ApiErrorBody;
  /** Overrides the SDK's retry choice through `Stripe-Should-Retry`. */
  readonly shouldRetry: boolean | undefined;

  constructor(status: number, body: ApiErrorBody, shouldRetry?: boolean) {
    super(body.message);
    this.status = status;
    this.body = body;
    this.shouldRetry = shouldRetry;
  }
}

function invalid(message: string, code?: string, param?: string, status = 400): ApiError {
  const body: ApiErrorBody = { type: 'invalid_request_error', message };
  if (code) body.code = code;
  if (param) body.param = param;
  return new ApiError(status, body);
}

export const errors = {
  invalidRequest: (message: string, param?: string, code?: string) => invalid(message, code, param),

  parameterUnknown: (param: string) =>
    invalid(`Received unknown parameter: ${param}`, 'parameter_unknown', param),

  parameterMissing: (param: string) =>
    invalid(`Missing required param: ${param}.`, 'parameter_missing', param),

  parameterInvalidEmpty: (param: string) =>
    invalid(
      `You passed an empty string for '${param}'. We assume empty values are an attempt to unset a parameter; however '${param}' cannot be unset. You should remove '${param}' from your request or supply a non-empty value.`,
      'parameter_invalid_empty',
      param,
    ),

  parameterInvalidInteger: (param: string, value: string) =>
    invalid(`Invalid integer: ${value}`, 'parameter_invalid_integer', param),

  parameterInvalid: (param: string, message: string) => invalid(message, undefined, param),

  stringTooLong: (param: string, max: number) =>
    invalid(
      `Invalid string: ${param} must be at most ${max} characters long.`,
      'parameter_invalid_string_too_long',
      param,
    ),

  parametersExclusive: (a: string, b: string) =>
    invalid(`You may only specify one of these parameters: ${a}, ${b}.`, 'parameters_exclusive', a),

  /** An object named by a body or query param is missing: 400. */
  noSuchParam: (kind: string, id: string, param: string) =>
    invalid(`No such ${kind}: '${id}'`, 'resource_missing', param),

  /** A caller-chosen id is taken. */
  alreadyExists: (kind: string) =>
    invalid(`${kind[0]!.toUpperCase()}${kind.slice(1)} already exists.`, 'resource_already_exists', 'id'),

  /** The object in the path is missing: 404. */
  noSuchPath: (kind: string, id: string) =>
    invalid(`No such ${kind}: '${id}'`, 'resource_missing', 'id', 404),

  unrecognizedUrl: (method: string, path: string) =>
    invalid(
      `Unrecognized request URL (${method}: ${path}). Please see https://stripe.com/docs or we can help at https://support.stripe.com/.`,
      undefined,
      undefined,
      404,
    ),

  authMissing: () =>
    invalid(
      "You did not provide an API key. You need to provide your API key in the Authorization header, using Bearer auth (e.g. 'Authorization: Bearer YOUR_SECRET_KEY').",
      undefined,
      undefined,
      401,
    ),

  authInvalid: (key: string) =>
    invalid(`Invalid API Key provided: ${maskKey(key)}`, 'api_key_invalid', undefined, 401),

  secretKeyRequired: () =>
    invalid(
      'This API call cannot be made with a publishable API key. Please use a secret API key.',
      'secret_key_required',
      undefined,
      401,
    ),

  permissionDenied: (key: string, account: string, permission: string) =>
    invalid(
      `The provided key '${maskKey(key)}' does not have the required permissions for this endpoint on account '${account}'. Having the '${permission}' permission would allow this request to continue.`,
      undefined,
      undefined,
      403,
    ),

  accountInaccessible: (account: string) =>
    invalid(
      `The provided key does not have access to account '${account}' (or that account does not exist). Application access may have been revoked.`,
      'account_invalid',
      undefined,
      403,
    ),

  idempotencyMismatch: (key: string) =>
    new ApiError(400, {
      type: 'idempotency_error',
      message: `Keys for idempotent requests can only be used with the same parameters they were first used with. Try using a key other than '${key}' if you meant to execute a different request.`,
    }),

  idempotencyInFlight: () =>
    new ApiError(
      409,
      {
        type: 'invalid_request_error',
        code: 'idempotency_key_in_use',
        message:
          'There is currently another in-progress request using this Idempotent Key (that probably means you submitted twice, and the other request is still going through). Please retry your request after a few seconds.',
      },
      true,
    ),

  lockTimeout: () =>
    new ApiError(
      429,
      {
        type: 'invalid_request_error',
        code: 'lock_timeout',
        message:
          'This object cannot be accessed right now because another API request or Stripe process is currently accessing it. If you see this error intermittently, retry the request. If you see this error frequently and are making multiple concurrent requests to a single object, make your requests serially or at a lower rate.',
      },
      true,
    ),

  internal: () =>
    new ApiError(500, {
      type: 'api_error',
      message: 'An unknown error occurred while processing your request.',
    }),
};

export function maskKey(key: string): string {
  const cut = key.indexOf('_', key.indexOf('_') + 1);
  const prefix = cut > 0 ? key.slice(0, cut + 1) : '';
  return `${prefix}${'*'.repeat(Math.max(4, key.length - prefix.length - 4))}${key.slice(-4)}`;
}

/**
 * Runs `work` whose params sit under `prefix` in the caller's request (`default_price_data`), so
 * a refusal names `prefix[unit_amount]` rather than `unit_amount`.
 */
export async function underParam<T>(prefix: string, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof ApiError && error.body.param) {
      const [head, ...rest] = error.body.param.split('[');
      error.body.param = [`${prefix}[${head}]`, ...rest].join('[');
    }
    throw error;
  }
}
