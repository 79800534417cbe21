import type { ErrorCatalog, ErrorCode } from './error-codes.ts';

/**
 * Errors. The domain throws `AppError`: a code from core/error-codes.ts, the param at fault (a
 * bracket path such as `items[0][quantity]`) and the code's arguments, with no HTTP status and no
 * English. The API renders it as Stripe's error JSON in one place (api/error-messages.ts); the
 * hosted portal renders the same code in the customer's language. Anything else thrown is a bug
 * and becomes a 500 `api_error`.
 */
export class AppError<C extends ErrorCode = ErrorCode> extends Error {
  readonly code: C;
  readonly args: ErrorCatalog[C];
  /** The param at fault, rewritten by `underParam` when the params sit under another one. */
  param: string | undefined;

  constructor(code: C, args: ErrorCatalog[C], param?: string) {
    super(code);
    this.name = 'AppError';
    this.code = code;
    this.args = args;
    this.param = param;
  }
}

/** Shorthand for a refusal: `throw fail('parameter_missing', {}, 'customer')`. */
export function fail<C extends ErrorCode>(code: C, args: ErrorCatalog[C], param?: string): AppError<C> {
  return new AppError(code, args, param);
}

const none = {} as Record<string, never>;

/** A refusal meant for the caller, as opposed to a bug. */
export function isRefusal(error: unknown): error is AppError {
  return error instanceof AppError;
}

/** Rewrites the param a refusal names (`underParam`, previews naming their own paths). */
export function mapParam(error: unknown, change: (param: string) => string): void {
  if (error instanceof AppError && error.param) error.param = change(error.param);
}

/**
 * Runs `work`; a refusal that names no param is given `param`: an amount worked out from several
 * params (quantity × price) is refused on the one the caller would change.
 */
export function onParam<T>(param: string, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof AppError && !error.param) error.param = param;
    throw error;
  }
}

export type ErrorType = 'api_error' | 'card_error' | 'idempotency_error' | 'invalid_request_error';

export interface ApiErrorBody {
  type: ErrorType;
  message: string;
  code?: string;
  param?: string;
  decline_code?: string;
  [extra: string]: unknown;
}

export const errors = {
  parameterUnknown: (param: string) => fail('parameter_unknown', none, param),

  parameterMissing: (param: string) => fail('parameter_missing', none, param),

  parameterInvalidEmpty: (param: string) => fail('parameter_invalid_empty', none, param),

  parameterInvalidInteger: (param: string, value: string) =>
    fail('parameter_invalid_integer', { value }, param),

  stringTooLong: (param: string, max: number) => fail('parameter_invalid_string_too_long', { max }, param),

  parametersExclusive: (a: string, b: string) => fail('parameters_exclusive', { other: b }, a),

  /** An object named by a body or query param is missing: 400. */
  noSuchParam: (kind: string, id: string, param: string) =>
    fail('related_resource_missing', { kind, id }, param),

  /** A caller-chosen id is taken. */
  alreadyExists: (kind: string) => fail('resource_already_exists', { kind }, 'id'),

  /** The object in the path is missing: 404. */
  noSuchPath: (kind: string, id: string) => fail('resource_missing', { kind, id }, 'id'),

  unrecognizedUrl: (method: string, path: string) => fail('unrecognized_url', { method, path }),
  authMissing: () => fail('auth_missing', none),
  authInvalid: (key: string) => fail('auth_invalid', { maskedKey: maskKey(key) }),
  secretKeyRequired: () => fail('secret_key_required', none),
  permissionDenied: (key: string, account: string, permission: string) =>
    fail('permission_denied', { maskedKey: maskKey(key), account, permission }),
  accountInaccessible: (account: string) => fail('account_inaccessible', { account }),
  idempotencyMismatch: (key: string) => fail('idempotency_mismatch', { key }),
  idempotencyInFlight: () => fail('idempotency_key_in_use', none),
  lockTimeout: () => fail('lock_timeout', none),
  internal: () => fail('internal', none),
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
    mapParam(error, (param) => {
      const [head, ...rest] = param.split('[');
      return [`${prefix}[${head}]`, ...rest].join('[');
    });
    throw error;
  }
}
