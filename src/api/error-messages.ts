import { formatMinorUnits } from '../billing/money/currencies.ts';
import type { CardDecline, ErrorCatalog, ErrorCode, PortalCancelOnlyReason } from '../core/error-codes.ts';
import type { ApiErrorBody, AppError, ErrorType } from '../core/errors.ts';

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

const oneOfList = (values: readonly string[]) =>
  values.length < 3
    ? values.join(' or ')
    : `${values.slice(0, -1).join(', ')}, or ${values[values.length - 1]}`;

const fileTypes = (types: readonly string[]) =>
  types.map((t) => (t === 'jpg' ? 'JPEG' : t.toUpperCase())).join(', ');

const SYMBOLS: Record<string, string> = { usd: '$', gbp: '£', eur: '€', jpy: '¥', cad: '$', aud: '$' };

/** An amount as Stripe's payment messages write it: `$0.50`, `£54.45`, or `CHF 0.50`. */
const money = (amount: number, currency: string) => {
  const symbol = SYMBOLS[currency];
  const [whole, fraction] = formatMinorUnits(amount, currency).split('.');
  const grouped = whole!.replace(/\B(?=(\d{3})+(?!\d))/g, ',');
  const value = fraction === undefined ? grouped : `${grouped}.${fraction}`;
  return symbol ? `${symbol}${value}` : `${currency.toUpperCase()} ${value}`;
};

const cannotRedeem = (because: string) => `This promotion code cannot be redeemed because ${because}.`;

const CANCEL_ONLY: Record<PortalCancelOnlyReason, string> = {
  several_products: 'it has several products',
  usage_based: 'it has usage-based prices',
  send_invoice: 'it is invoiced (collection_method=send_invoice)',
};

/** A decline's fields beside Stripe's `code` and message, and the objects the answer shows. */
const declineFields = (a: CardDecline) => ({
  decline_code: a.declineCode,
  ...(a.adviceCode ? { advice_code: a.adviceCode } : {}),
  ...(a.paymentMethod ? { payment_method: a.paymentMethod, payment_method_type: 'card' } : {}),
  ...(a.setupIntent ? { setup_intent: a.setupIntent } : {}),
  ...(a.paymentIntent ? { payment_intent: a.paymentIntent } : {}),
});

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
  parameter_not_string: { message: (_, p) => `Invalid string: ${p} must be a string.` },
  parameter_below_minimum: { message: (a, p) => `Invalid ${p}: must be greater than or equal to ${a.min}` },
  parameter_above_maximum: { message: (a, p) => `Invalid ${p}: must be less than or equal to ${a.max}` },
  amount_too_small: {
    stripeCode: true,
    message: (a) => `Amount must be at least ${money(a.min, a.currency)} ${a.currency}`,
  },
  amount_too_large: {
    stripeCode: true,
    message: (a) => {
      const most = a.currency
        ? `${formatMinorUnits(a.max, a.currency)} ${a.currency.toUpperCase()}`
        : `${a.max} in the currency's smallest unit`;
      if (a.subject === 'line')
        return `Invalid quantity: the total amount (quantity × unit amount) must be no more than ${most}.`;
      if (a.subject === 'subscription')
        return `The subscription's amount for one period (all its items together) must be no more than ${most}.`;
      if (a.subject === 'payment' && a.currency)
        return `Amount must be no more than ${money(a.max, a.currency)}`;
      return `The invoice's total must be no more than ${most}.`;
    },
  },
  parameter_invalid_decimal: { message: (a) => `Invalid decimal: ${a.value}` },
  parameter_invalid_boolean: { message: (a) => `Invalid boolean: ${a.value}` },
  parameter_not_object: { message: (_, p) => `Invalid object: ${p} must be an object.` },
  parameter_not_array: { message: (_, p) => `Invalid array: ${p} must be an array.` },
  parameter_array_too_long: { message: (a, p) => `Invalid array: ${p} must have at most ${a.max} elements.` },
  metadata_too_many_keys: { message: (a) => `Invalid metadata: metadata can have up to ${a.max} keys.` },
  metadata_key_length: { message: () => 'Invalid metadata: keys must be between 1 and 40 characters long.' },
  metadata_value_not_string: {
    message: (a) => `Invalid metadata: values must be strings, got an object for '${a.key}'.`,
  },
  metadata_value_too_long: { message: () => 'Invalid metadata: values must be at most 500 characters long.' },
  parameter_invalid_format: { message: (a, p) => `Invalid ${p}: ${a.value}` },
  parameter_invalid_enum: { message: (a, p) => `Invalid ${p}: must be one of ${oneOfList(a.allowed)}` },
  country_invalid: { message: () => 'Invalid country: must be a two-letter ISO 3166-1 code' },
  locale_invalid: { message: () => 'Invalid preferred_locales: not a locale' },
  object_id_invalid: { message: () => 'Invalid id: use letters, digits, _ and -' },
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
  body_too_large: {
    status: 413,
    message: (a) => `Request body too large: the limit is ${a.limit} bytes.`,
  },
  headers_too_large: {
    status: 431,
    message: (a) =>
      `Request header fields too large: the request line and headers together can be at most ${a.limit} bytes.`,
  },
  request_timeout: {
    status: 408,
    shouldRetry: true,
    message: () => 'Request timeout: the request did not arrive in full in time.',
  },
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
  expand_too_deep: { message: () => 'You cannot expand more than 4 levels of a property.' },
  expand_not_expandable: { message: (a) => `This property cannot be expanded (${a.path}).` },
  form_parameter_not_utf8: {
    message: (a) => `Invalid request: the parameter "${a.name}" is not valid URL encoding of UTF-8 text.`,
  },
  form_parameter_conflict: {
    message: (a) =>
      `Invalid request: the parameter ${a.name} was given conflicting values (both a value and a hash or array).`,
  },
  form_too_many_parameters: { message: (a) => `Invalid request: too many parameters (at most ${a.max}).` },
  form_parameter_too_deep: {
    message: (a) => `Invalid request: the parameter ${a.name} is nested more than ${a.max} levels deep.`,
  },
  stream_cursor_invalid: { message: (a) => `Invalid cursor: ${a.cursor}` },
  multipart_malformed: {
    message: (a) => `Invalid request: the multipart/form-data body is malformed (${a.reason}).`,
  },
  multipart_too_large: {
    status: 413,
    message: (a) => `Request body too large: multipart/form-data bodies can be at most ${a.limit} bytes.`,
  },
  multipart_text_not_utf8: { message: () => 'Invalid request: a text part is not valid UTF-8.' },
  multipart_value_repeated: { message: (a) => `Invalid request: more than one value for ${a.name}.` },

  // Accounts (connected accounts and their settings).
  account_connected_cannot_manage: {
    message: () => 'Connected accounts cannot create or manage other connected accounts.',
  },
  account_delete_platform: { message: () => 'You cannot delete your own platform account through the API.' },
  color_invalid: { message: () => 'Invalid color: must be a hex code like #0a2540' },
  file_id_invalid: { message: () => 'Invalid file: expected a file id (file_...)' },
  mcc_invalid: { message: () => 'Invalid mcc: must be four digits' },
  account_currency_invalid: { message: () => 'Invalid currency' },
  account_country_invalid: { message: () => 'Invalid country' },

  // Customers.
  customer_account_unsupported: {
    message: () =>
      'Portico does not support Accounts v2 customers yet: use `customer` instead of `customer_account`.',
  },
  customer_no_payment_method: {
    message: () =>
      'This customer has no attached payment source or default payment method. Please consider adding a default payment method.',
  },
  customer_payment_method_missing: {
    message: (a) =>
      `The customer does not have a payment method with the ID ${a.paymentMethod}. The payment method must be attached to the customer.`,
  },
  email_invalid: { stripeCode: true, message: (a) => `Invalid email address: ${a.email}` },
  invoice_prefix_invalid: {
    message: () => 'Invalid invoice_prefix: must be 3 to 12 upper-case letters or digits',
  },

  // Test clocks and test helpers.
  test_clock_full: {
    message: (a) => `The test clock ${a.clock} already has the maximum number of customers (${a.max}).`,
  },
  test_clock_live_mode: {
    stripeCode: 'livemode_mismatch',
    message: () => 'Test clocks can only be used with a test mode key.',
  },
  test_clock_customer_attached: {
    message: (a) => `The customer ${a.customer} is already attached to a test clock.`,
  },
  test_clock_advancing: {
    message: (a) => `The test clock ${a.clock} is still advancing; wait until it is ready.`,
  },
  test_clock_time_backwards: {
    message: (a) => `The frozen_time must be after the test clock's current frozen_time (${a.frozenTime}).`,
  },
  test_clock_advance_too_far: {
    message: (a) =>
      a.subscriptions
        ? `The frozen_time cannot be more than two intervals of the shortest subscription on this test clock past its current frozen_time (at most ${a.limit}).`
        : `The frozen_time cannot be more than two years past the test clock's current frozen_time when it has no subscriptions (at most ${a.limit}).`,
  },
  test_helper_live_mode: {
    stripeCode: 'livemode_mismatch',
    message: () => 'Completing authentication is a test helper: use a test mode key.',
  },

  // Products.
  product_default_price_other_product: {
    message: (a) =>
      `The price \`${a.price}\` belongs to another product; a product's default price must be one of its own prices.`,
  },
  product_default_price_archived: {
    message: (a) => `The price \`${a.price}\` is archived; only an active price can be the default.`,
  },
  product_has_prices: {
    message: () => 'This product cannot be deleted because it has one or more user-created prices.',
  },
  statement_descriptor_invalid: {
    message: () =>
      'Invalid statement_descriptor: at most 22 characters, at least one letter, none of < > \\ \' " *',
  },

  // Prices.
  currency_unsupported: {
    message: (a) =>
      `Invalid currency: ${a.currency}. Portico supports the currencies Stripe supports, as three-letter ISO codes (usd, eur, jpy, …).`,
  },
  price_lookup_key_taken: {
    message: (a) =>
      `A price (\`${a.price}\`) already uses the lookup key \`${a.lookupKey}\`. Pass \`transfer_lookup_key=true\` to move it to this price.`,
  },
  price_product_missing: {
    message: () => 'You must specify either `product` or `product_data` when creating a price.',
  },
  price_tax_behavior_locked: {
    message: (a) =>
      `This price's \`tax_behavior\` is already \`${a.taxBehavior}\`; once set to inclusive or exclusive it cannot change.`,
  },
  price_default_archive: {
    message: (a) =>
      `This price cannot be archived because it is the default price of its product (${a.product}). Set another default price on the product first.`,
  },
  price_tier_amount_missing: { message: () => 'An entry in the tiers array is missing an amount.' },
  price_tier_inf_not_last: { message: () => 'Only the last tier can have `up_to` set to `inf`.' },
  price_tier_last_not_inf: { message: () => 'The last tier must have `up_to` set to `inf`.' },
  price_tier_up_to_not_increasing: {
    message: () => 'Each tier’s `up_to` must be greater than the previous tier’s.',
  },
  price_custom_amount_disabled: {
    message: () => '`custom_unit_amount[enabled]` must be true when it is given.',
  },
  price_custom_amount_minimum_above_maximum: {
    message: () => '`minimum` must be less than or equal to `maximum`.',
  },
  price_custom_amount_preset_out_of_range: {
    message: () => '`preset` must be between `minimum` and `maximum`.',
  },
  price_interval_too_long: {
    message: (a) =>
      `The maximum billing interval is three years (${a.max} ${a.interval}s); ${a.count} was given.`,
  },
  price_metered_unsupported: {
    message: () =>
      'Metered prices must be backed by a billing meter (`recurring[meter]`), and Portico does not support billing meters.',
  },
  price_tiered_field: {
    message: (a) =>
      `\`${a.field}\` cannot be used with \`billing_scheme=tiered\`; give the amounts in \`tiers\`.`,
  },
  price_tiers_missing: { message: () => 'Tiered prices need `tiers`.' },
  price_tiers_mode_missing: { message: () => 'Tiered prices need `tiers_mode` (graduated or volume).' },
  price_tiered_transform_quantity: {
    message: () => '`transform_quantity` cannot be used with tiered prices.',
  },
  price_custom_amount_recurring: {
    message: () => '`custom_unit_amount` is only supported for one-time prices.',
  },
  price_custom_amount_transform_quantity: {
    message: () => '`transform_quantity` cannot be used with `custom_unit_amount`.',
  },
  price_amount_missing: {
    message: () =>
      'You must pass `unit_amount`, `unit_amount_decimal` or `custom_unit_amount` for a per-unit price (or use `billing_scheme=tiered`).',
  },
  price_currency_option_tiers_missing: {
    message: () => 'Tiered prices need `tiers` in each currency option.',
  },
  price_currency_option_tiered_amount: { message: () => 'Tiered prices take their amounts from `tiers`.' },
  price_currency_option_amount_missing: {
    message: () => 'Each currency option needs `unit_amount`, `unit_amount_decimal` or `custom_unit_amount`.',
  },
  price_currency_option_tiers_count: {
    message: () => 'Each currency option needs as many tiers as the price.',
  },
  price_inactive: {
    message: (a) =>
      `The price specified (${a.price}) is inactive. This ${a.target === 'subscription' ? 'subscription' : 'invoice item'} cannot be created or updated with inactive prices.`,
  },
  price_type_mismatch: {
    message: (a) =>
      `The price specified is set to \`type=${a.expected === 'one_time' ? 'recurring' : 'one_time'}\` but this field only accepts prices with \`type=${a.expected}\`.`,
  },
  price_tiered_only: { message: (a) => `\`${a.field}\` can only be used with \`billing_scheme=tiered\`.` },
  currency_options_own_currency: {
    message: (a) => `\`currency_options\` holds other currencies than the ${a.object}'s own (${a.currency}).`,
  },

  // Coupons, promotion codes and discounts.
  promotion_code_taken: {
    message: (a) => `An active promotion code with \`code: ${a.code}\` already exists.`,
  },
  promotion_code_currency_options_need_minimum: {
    message: () =>
      '`restrictions[currency_options]` needs `restrictions[minimum_amount]` and `restrictions[minimum_amount_currency]`.',
  },
  promotion_code_currency_option_duplicate: {
    message: (a) => `Each currency option must differ from \`minimum_amount_currency\` (${a.currency}).`,
  },
  promotion_code_expires_past: { message: () => 'The `expires_at` date must be in the future.' },
  promotion_code_expires_after_coupon: {
    message: () => "The `expires_at` date cannot be after the coupon's `redeem_by`.",
  },
  promotion_code_minimum_incomplete: {
    message: () => '`minimum_amount` and `minimum_amount_currency` go together.',
  },
  discount_source_ambiguous: {
    message: () => 'Each discount needs exactly one of `coupon`, `promotion_code` or `discount`.',
  },
  promotion_code_inactive: {
    message: () => 'This promotion code cannot be redeemed because it is inactive.',
  },
  discount_coupon_repeated: {
    message: (a) => `The coupon ${a.coupon} is given twice; a coupon can apply once.`,
  },
  tax_rate_percentage_invalid: {
    message: () => 'Invalid percentage: must be between 0 and 100 with at most 4 decimal places.',
  },
  tax_rate_inactive: {
    message: (a) => `The tax rate ${a.taxRate} is inactive (archived) and cannot be applied to new objects.`,
  },
  tax_rate_duplicate: {
    message: (a) => `The tax rate ${a.taxRate} is given more than once; each tax rate may be applied once.`,
  },
  coupon_discount_missing: { message: () => 'You must pass either `percent_off` or `amount_off`.' },
  coupon_percent_off_out_of_range: {
    message: () => 'Invalid percent_off: must be greater than 0 and at most 100.',
  },
  coupon_currency_missing: { message: () => 'You must pass `currency` when you pass `amount_off`.' },
  coupon_currency_options_percent: {
    message: () => '`currency_options` only applies to `amount_off` coupons.',
  },
  coupon_currency_percent: { message: () => '`currency` goes with `amount_off`, not with `percent_off`.' },
  coupon_duration_in_months_missing: {
    message: () => 'You must pass `duration_in_months` when `duration` is `repeating`.',
  },
  coupon_duration_in_months_not_repeating: {
    message: () => '`duration_in_months` only applies when `duration` is `repeating`.',
  },
  coupon_redeem_by_past: { message: () => 'The `redeem_by` date must be in the future.' },
  coupon_expired: { stripeCode: true, message: (a) => `Coupon expired: ${a.coupon}` },
  coupon_used_up: { stripeCode: 'coupon_expired', message: (a) => `Coupon expired: ${a.coupon}` },
  coupon_currency_mismatch: {
    message: (a) =>
      `Coupon ${a.coupon} is in ${a.couponCurrency} and cannot be applied to an amount in ${a.currency}.`,
  },
  promotion_code_expired: { message: () => cannotRedeem('it has expired') },
  promotion_code_used_up: { message: () => cannotRedeem('it has been used the maximum number of times') },
  promotion_code_customer_restricted: { message: () => cannotRedeem('it is restricted to another customer') },
  promotion_code_first_time_only: {
    message: () => cannotRedeem('the associated customer has prior transactions'),
  },
  promotion_code_minimum_currency: {
    message: (a) =>
      cannotRedeem(`its minimum amount is in ${a.minimumCurrency} and the purchase is in ${a.currency}`),
  },
  promotion_code_minimum_not_met: {
    message: () => cannotRedeem('the associated purchase does not meet the minimum amount requirement'),
  },
  promotion_code_format_invalid: { message: () => 'Invalid code: use only letters and digits' },

  // Invoices and their previews.
  invoice_finalized_field_locked: {
    message: (a) =>
      `Finalized invoices can't be updated in this way: \`${a.field}\` cannot change on an invoice that is ${a.status}.`,
  },
  invoice_delete_not_draft: {
    message: (a) =>
      `You can only delete draft invoices; invoice ${a.invoice} is ${a.status}: void it instead.`,
  },
  invoice_delete_subscription: {
    message: (a) =>
      `Invoice ${a.invoice} belongs to a subscription and cannot be deleted; finalize and void it instead.`,
  },
  invoice_send_not_send_invoice: {
    message: () => "You can only manually send an invoice if its collection method is 'send_invoice'.",
  },
  invoice_send_void: { message: (a) => `Invoice ${a.invoice} is void and cannot be sent.` },
  invoice_status_forbids: {
    message: (a) =>
      `You can only ${a.action} an invoice that is ${a.allowed.join(' or ')}; this one is ${a.status}.`,
  },
  due_date_past: { message: () => '`due_date` must be in the future.' },
  preview_invoice_item_not_pending: {
    message: (a) => `Invoice item ${a.item} is not one of the customer's pending items.`,
  },
  period_end_before_start: { message: () => '`period[end]` must be at or after `period[start]`.' },
  preview_new_subscription_unsupported: {
    message: () =>
      'Previewing a new subscription is not supported yet: `subscription_details` needs `subscription`.',
  },
  preview_subscription_other_customer: {
    message: (a) => `Subscription ${a.subscription} belongs to another customer.`,
  },
  preview_currency_mismatch: {
    message: (a) =>
      `The subscription bills in ${a.subscriptionCurrency}; a preview of it cannot be in ${a.currency}.`,
  },
  send_invoice_only: {
    message: (a) => `\`${a.field}\` can only be set when \`collection_method\` is \`send_invoice\`.`,
  },

  // Invoice items.
  credit_note_amount_missing: {
    message: () => 'You must pass either `amount` or `lines` to create a credit note.',
  },
  credit_note_amount_mismatch: {
    message: (a) =>
      `The credit note \`amount\` (${a.amount}) must equal the sum of its lines (${a.linesTotal}).`,
  },
  credit_note_amount_not_positive: { message: () => 'The credit note total must be greater than 0.' },
  credit_note_exceeds_invoice: {
    message: (a) =>
      `The credit note total (${formatMinorUnits(a.total, a.currency)}) exceeds the amount that can still be credited on this invoice (${formatMinorUnits(a.creditable, a.currency)}).`,
  },
  credit_note_line_exceeds: {
    message: (a) =>
      `The amount credited for line ${a.line} (${formatMinorUnits(a.amount, a.currency)}) exceeds what is left to credit on it (${formatMinorUnits(a.available, a.currency)}).`,
  },
  credit_note_line_not_creditable: { message: (a) => `Invoice line ${a.line} cannot be credited this way.` },
  credit_note_line_param_type: {
    message: (a) => `\`${a.field}\` cannot be used on a line of type \`${a.type}\`.`,
  },
  credit_note_tax_amounts_unsupported: {
    message: () =>
      "Taxes given as amounts (`tax_amounts`) are not supported: credit note taxes come from tax rates (the invoice line's, or `tax_rates` on a custom line).",
  },
  credit_note_post_payment_mismatch: {
    message: (a) =>
      `The sum of \`refund_amount\`, \`credit_amount\` and \`out_of_band_amount\` (${formatMinorUnits(a.sum, a.currency)}) must equal the credit note's post-payment amount (${formatMinorUnits(a.postPayment, a.currency)}).`,
  },
  credit_note_refund_exceeds: {
    message: (a) =>
      `The refund amount (${formatMinorUnits(a.amount, a.currency)}) exceeds what can still be refunded on this invoice (${formatMinorUnits(a.refundable, a.currency)}).`,
  },
  credit_note_void_refused: {
    message: (a) =>
      a.reason === 'void'
        ? `Credit note ${a.creditNote} is already void.`
        : a.reason === 'refunded'
          ? `Credit note ${a.creditNote} has refunds and cannot be voided.`
          : `Credit note ${a.creditNote} cannot be voided because its invoice has been paid since.`,
  },
  balance_transaction_currency_mismatch: {
    message: (a) => `The currency (${a.currency}) must be the customer's currency (${a.customerCurrency}).`,
  },
  invoice_item_currency_mismatch: {
    message: (a) =>
      `The invoice item's currency (${a.currency}) must be the invoice's currency (${a.invoiceCurrency}).`,
  },
  invoice_item_price_currency_mismatch: {
    message: (a) => `The currency (${a.currency}) must be the price's currency (${a.priceCurrency}).`,
  },
  invoice_item_price_data_amount_missing: {
    message: () => '`price_data` needs `unit_amount` or `unit_amount_decimal`.',
  },
  invoice_item_amount_missing: {
    message: () =>
      'An invoice item needs one of `amount`, `unit_amount_decimal`, `pricing[price]` or `price_data`.',
  },
  invoice_item_invoice_not_draft: {
    message: (a) => `Invoice ${a.invoice} is ${a.status}: invoice items can only be added to draft invoices.`,
  },
  invoice_item_invoice_other_customer: {
    message: (a) => `Invoice ${a.invoice} belongs to another customer than ${a.customer}.`,
  },
  invoice_item_subscription_other_customer: {
    message: (a) => `Subscription ${a.subscription} belongs to another customer than ${a.customer}.`,
  },
  invoice_item_subscription_ended: {
    message: (a) => `Subscription ${a.subscription} has ended: it has no more invoices to add items to.`,
  },
  invoice_item_subscription_currency_mismatch: {
    message: (a) =>
      `The invoice item's currency (${a.currency}) must be the subscription's currency (${a.subscriptionCurrency}).`,
  },
  invoice_item_subscription_not_billed: {
    message: (a) => `Invoice ${a.invoice} does not bill subscription ${a.subscription}.`,
  },
  invoice_item_locked: {
    message: (a) =>
      `Invoice item ${a.item} is on invoice ${a.invoice}, which is ${a.status}: only pending items and items on draft invoices can be ${a.action}.`,
  },
  invoice_item_proration_repriced: {
    message: () => 'A proration is priced for the time it covers: only its `amount` can be changed.',
  },
  invoice_item_proration_discountable: { message: () => 'Prorations cannot be made discountable.' },

  // Subscriptions.
  billing_mode_unsupported: { message: () => 'Portico bills subscriptions in `classic` billing mode only.' },
  trial_too_long: { message: () => 'A trial can last at most two years.' },
  subscription_item_delete_id_missing: { message: () => '`deleted` needs the `id` of the item to delete.' },
  subscription_items_all_deleted: {
    message: () => 'A subscription needs at least one item; cancel it instead of deleting them all.',
  },
  subscription_price_repeated: {
    message: (a) => `Cannot add multiple subscription items with the same price: ${a.price}.`,
  },
  subscription_prices_mismatched: {
    message: () => 'Currency and interval fields must match across all prices on this subscription.',
  },
  subscription_cancel_ended: {
    message: (a) => `The subscription ${a.subscription} has already ended and cannot be canceled again.`,
  },
  subscription_pause_ended: {
    message: (a) => `The subscription ${a.subscription} has ended and cannot be paused.`,
  },
  subscription_already_paused: { message: (a) => `The subscription ${a.subscription} is already paused.` },
  subscription_pause_scheduled: {
    message: () => 'A subscription attached to a schedule cannot be paused; release the schedule first.',
  },
  subscription_feedback_option_inactive: {
    message: (a) =>
      `The feedback option ${a.option} is inactive: only active feedback options can be recorded.`,
  },
  subscription_not_paused: {
    message: (a) => `The subscription ${a.subscription} is not paused, so it cannot be resumed.`,
  },
  subscription_resume_send_invoice: {
    message: () => 'Only subscriptions that charge automatically can be resumed.',
  },
  subscription_discount_missing: {
    status: 404,
    stripeCode: 'resource_missing',
    message: (a) => `The subscription ${a.subscription} has no discount to delete.`,
  },

  // Subscription schedules.
  schedule_first_phase_past: {
    message: () => 'The schedule has not started: its first phase must start `now` or in the future.',
  },
  schedule_phase_ended: { message: () => 'You cannot change a phase that has already ended.' },
  schedule_current_phase_moved: {
    message: (a) =>
      `The current phase started at ${a.start}: its start_date cannot change, and it must be among the phases.`,
  },
  schedule_current_phase_end_past: { message: () => 'The current phase must end in the future, or `now`.' },
  schedule_current_phase_missing: {
    message: (a) => `The phases must include the current phase, which started at ${a.start}.`,
  },
  schedule_subscription_managed: {
    message: (a) =>
      `The subscription ${a.subscription} is already managed by the subscription schedule ${a.schedule}.`,
  },
  schedule_subscription_ended: {
    message: (a) =>
      `The subscription ${a.subscription} has ended (\`${a.status}\`); only a running subscription can be given a schedule.`,
  },
  schedule_from_subscription_conflict: {
    message: (a) =>
      `You cannot set \`${a.field}\` together with \`from_subscription\`: create the schedule from the subscription, then update it.`,
  },
  schedule_backdated: {
    message: () =>
      'Portico does not backdate subscription schedules: `start_date` must be `now` or a time in the future.',
  },
  schedule_phase_items_missing: { message: () => 'Each phase needs at least one item.' },
  schedule_phase_currency_mismatch: {
    message: (a) =>
      `The phase's currency (${a.currency}) is not the currency of its prices (${a.priceCurrency}).`,
  },
  schedule_phase_gap: {
    message: (a) => `The start_date of a phase must be the end_date of the phase before it (${a.end}).`,
  },
  schedule_phase_ends_before_start: { message: (a) => `A phase must end after it starts (${a.start}).` },
  schedule_trial_end_outside_phase: {
    message: (a) =>
      `\`trial_end\` must be after the phase's start (${a.start}) and no later than its end (${a.end}).`,
  },
  schedule_phase_anchor_trial: {
    message: () => '`billing_cycle_anchor` cannot be `phase_start` in a phase with a trial.',
  },
  schedule_currency_mismatch: {
    message: (a) => `Every phase must bill in the schedule's currency (${a.currency}).`,
  },
  schedule_status_forbids: {
    message: (a) =>
      `You cannot ${a.action} a subscription schedule that is currently in the \`${a.status}\` status. It must be \`not_started\` or \`active\`.`,
  },

  // Payment methods.
  payment_method_type_unsupported: {
    message: (a) => `Portico supports payment methods of type \`card\` only; \`${a.type}\` is not available.`,
  },
  card_network_unavailable: {
    message: (a) =>
      `The card's networks do not include ${a.network}; it can be processed on ${a.brand} only.`,
  },
  payment_method_not_saved: {
    message: () => 'You must save this PaymentMethod to a customer before you can update it.',
  },
  payment_method_used_unattached: {
    message: () =>
      'The provided PaymentMethod was previously used without being attached to a Customer, or was detached from a Customer. It may not be used again. To use a PaymentMethod multiple times, you must attach it to a Customer first.',
  },
  payment_method_not_attached: {
    message: () =>
      'The payment method you provided is not attached to a customer so detachment is impossible.',
  },
  payment_method_other_customer: {
    message: (a) =>
      `The PaymentMethod ${a.paymentMethod} belongs to customer ${a.customer}: pass that customer to use it.`,
  },
  payment_method_already_attached: {
    message: () => 'The payment method you provided has already been attached to a customer.',
  },
  last_payment_method: {
    message: (a) =>
      `The payment method ${a.paymentMethod} is the customer's last one and a subscription charges it automatically: add another payment method first.`,
  },
  customer_payment_method_not_found: {
    status: 404,
    stripeCode: 'resource_missing',
    message: (a) =>
      `The customer ${a.customer} does not have a payment method with the ID ${a.paymentMethod}.`,
  },

  // Card payments: 402 `card_error`. A decline carries the issuer's answer and the objects the body shows.
  card_declined: {
    type: 'card_error',
    status: 402,
    stripeCode: true,
    message: (a) => a.message,
    extra: declineFields,
  },
  card_expired: {
    type: 'card_error',
    status: 402,
    stripeCode: 'expired_card',
    message: (a) => a.message,
    extra: declineFields,
  },
  card_cvc_incorrect: {
    type: 'card_error',
    status: 402,
    stripeCode: 'incorrect_cvc',
    message: (a) => a.message,
    extra: declineFields,
  },
  card_processing_error: {
    type: 'card_error',
    status: 402,
    stripeCode: 'processing_error',
    message: (a) => a.message,
    extra: declineFields,
  },
  card_authentication_required: {
    type: 'card_error',
    status: 402,
    stripeCode: 'authentication_required',
    message: (a) => a.message,
    extra: declineFields,
  },
  subscription_payment_requires_action: {
    type: 'card_error',
    status: 402,
    stripeCode: 'subscription_payment_intent_requires_action',
    message: () =>
      'Payment for this subscription requires additional user action before it can be completed successfully.',
    extra: (a) => ({ payment_intent: a.paymentIntent }),
  },
  card_expiry_month_invalid: {
    type: 'card_error',
    status: 402,
    stripeCode: 'invalid_expiry_month',
    message: () => "Your card's expiration month is invalid.",
  },
  card_expiry_year_invalid: {
    type: 'card_error',
    status: 402,
    stripeCode: 'invalid_expiry_year',
    message: () => "Your card's expiration year is invalid.",
  },
  card_number_invalid: {
    type: 'card_error',
    status: 402,
    stripeCode: 'invalid_number',
    message: () => 'Your card number is invalid.',
  },
  card_number_incorrect: {
    type: 'card_error',
    status: 402,
    stripeCode: 'incorrect_number',
    message: () => 'Your card number is incorrect.',
  },
  card_live_in_test_mode: {
    type: 'card_error',
    status: 402,
    stripeCode: 'card_declined',
    message: () =>
      'Your card was declined. Your request was in test mode, but used a non test (live) card. Use one of the test cards listed in the compatibility notes.',
    extra: () => ({ decline_code: 'test_mode_live_card' }),
  },
  card_cvc_invalid: {
    type: 'card_error',
    status: 402,
    stripeCode: 'invalid_cvc',
    message: () => "Your card's security code is invalid.",
  },
  card_number_in_live_mode: {
    status: 402,
    message: () =>
      'Sending card numbers directly to the API is unsafe and is refused in live mode. Raw card numbers are accepted in test mode only.',
  },

  // SetupIntents.
  setup_intent_payment_method_type_refused: {
    message: (a) =>
      `The PaymentMethod ${a.paymentMethod} is of type ${a.type}, which this SetupIntent does not allow (${a.allowed.join(', ')}).`,
  },
  setup_intent_return_url_without_confirm: {
    message: () => 'The parameter `return_url` can only be passed when `confirm` is `true`.',
  },
  client_secret_mismatch: {
    message: (a) =>
      `The client_secret provided does not match the client_secret associated with the ${a.object}.`,
  },
  setup_intent_client_secret_mismatch: {
    message: () =>
      'The client_secret provided does not match the client_secret associated with the SetupIntent.',
  },
  setup_intent_payment_method_type_unsupported: {
    message: (a) =>
      `The payment method type \`${a.type}\` is not available in Portico; the supported types are: ${a.supported.join(', ')}.`,
  },
  return_url_invalid: { stripeCode: 'url_invalid', message: (a) => `Not a valid URL: ${a.url}` },
  setup_intent_payment_method_missing: {
    stripeCode: 'setup_intent_unexpected_state',
    message: () =>
      "You cannot confirm this SetupIntent because it's missing a payment method. To confirm, update it with a payment method or provide `payment_method` when confirming.",
    extra: (a) => ({ setup_intent: a.setupIntent }),
  },
  setup_intent_authentication_failure: {
    message: () =>
      'The latest attempt to set up the payment method has failed because authentication failed. Provide a new payment method to attempt to set up again.',
    stripeCode: true,
  },
  payment_intent_authentication_failure: {
    message: () =>
      'The provided PaymentMethod has failed authentication. You can provide payment_method_data or a new PaymentMethod to attempt to fulfill this PaymentIntent again.',
    stripeCode: true,
  },
  setup_intent_not_requires_action: {
    stripeCode: 'setup_intent_unexpected_state',
    message: (a) =>
      `This SetupIntent has a status of ${a.setupIntent.status}: only a SetupIntent in requires_action has an authentication to complete.`,
    extra: (a) => ({ setup_intent: a.setupIntent }),
  },
  setup_intent_not_open: {
    stripeCode: 'setup_intent_unexpected_state',
    message: (a) =>
      `You cannot ${a.action} this SetupIntent because it has a status of ${a.setupIntent.status}.${
        a.action === 'cancel'
          ? ` Only a SetupIntent with one of the following statuses may be canceled: ${a.openStatuses.join(', ')}.`
          : ''
      }`,
    extra: (a) => ({ setup_intent: a.setupIntent }),
  },

  // PaymentIntents.
  payment_intent_unexpected_state: {
    stripeCode: true,
    message: (a) => {
      const status = a.paymentIntent.status;
      const allowed = a.allowed.join(', ');
      if (a.action === 'capture')
        return `This PaymentIntent could not be captured because it has a status of ${status}. Only a PaymentIntent with one of the following statuses may be captured: ${allowed}.`;
      return `You cannot ${a.action} this PaymentIntent because it has a status of ${status}.${
        a.action === 'confirm' || a.action === 'update'
          ? ''
          : ` Only a PaymentIntent with one of the following statuses may be canceled: ${allowed}.`
      }`;
    },
    extra: (a) => ({ payment_intent: a.paymentIntent }),
  },
  payment_intent_payment_method_missing: {
    stripeCode: 'payment_intent_unexpected_state',
    message: () =>
      "You cannot confirm this PaymentIntent because it's missing a payment method. To confirm, update it with a payment method or provide `payment_method` when confirming.",
    extra: (a) => ({ payment_intent: a.paymentIntent }),
  },
  payment_intent_client_secret_mismatch: {
    message: () =>
      'The client_secret provided does not match the client_secret associated with the PaymentIntent.',
  },
  payment_intent_needs_confirm: {
    message: (a) => `You can only pass \`${a.name}\` when \`confirm\` is \`true\`.`,
  },
  payment_intent_of_invoice: {
    stripeCode: 'payment_intent_unexpected_state',
    message: (a) =>
      `You cannot ${a.action} this PaymentIntent because it pays invoice ${a.invoice}; use the invoice's endpoints (pay, void, mark_uncollectible) instead.`,
  },
  payment_intent_not_requires_action: {
    stripeCode: 'payment_intent_unexpected_state',
    message: (a) =>
      `This PaymentIntent has a status of ${a.paymentIntent.status}: only a PaymentIntent in requires_action has an authentication to complete.`,
    extra: (a) => ({ payment_intent: a.paymentIntent }),
  },
  capture_amount_too_large: {
    stripeCode: 'amount_too_large',
    message: (a) =>
      `The amount to capture (${a.amount}) must be less than or equal to the amount capturable (${a.capturable}).`,
  },
  payment_intent_requires_action_refused: {
    type: 'card_error',
    status: 402,
    stripeCode: 'authentication_required',
    message: () =>
      'This payment required an authentication action to complete, but `error_on_requires_action` was set. When you are ready, you can upgrade this PaymentIntent to support authentication actions.',
    extra: (a) => ({ payment_intent: a.paymentIntent, decline_code: 'authentication_required' }),
  },
  customer_locked: {
    message: (a) =>
      a.object === 'PaymentIntent'
        ? 'You cannot modify `customer` on a PaymentIntent once it already has been set. To fulfill a payment with a different Customer, cancel this PaymentIntent and create a new one.'
        : 'You cannot modify `customer` on a Charge once it already has been set.',
  },

  // Refunds.
  // As Stripe answers it: a message, no code (neither param alone is the one missing).
  refund_target_missing: {
    message: () =>
      'One of the following params should be provided for this request: payment_intent or charge.',
  },
  charge_already_refunded: {
    stripeCode: true,
    message: (a) => `Charge ${a.charge} has already been refunded.`,
  },
  refund_amount_too_large: {
    stripeCode: 'amount_too_large',
    message: (a) =>
      `Refund amount (${money(a.amount, a.currency)}) is greater than ${
        a.refundedBefore ? 'unrefunded amount on charge' : 'charge amount'
      } (${money(a.available, a.currency)})`,
  },
  charge_not_refundable: {
    message: (a) => `Charge ${a.charge} has a status of ${a.status} and cannot be refunded.`,
  },
  charge_not_captured: {
    stripeCode: 'charge_not_refundable',
    message: (a) =>
      `Charge ${a.charge} has not been captured: cancel its PaymentIntent to release the authorization instead of refunding it.`,
  },
  refund_not_cancelable: {
    message: (a) =>
      `You cannot cancel this refund because it has a status of ${a.status}. Only a refund with a status of requires_action may be canceled.`,
  },
  payment_intent_nothing_to_refund: {
    stripeCode: 'charge_not_refundable',
    message: (a) =>
      `PaymentIntent ${a.paymentIntent} has a status of ${a.status}: it has no successful charge to refund.`,
  },
  refund_charge_of_other_intent: {
    message: (a) => `Charge ${a.charge} does not belong to PaymentIntent ${a.paymentIntent}.`,
  },

  // Tax IDs.
  tax_id_owner_customer_account_unsupported: {
    message: () =>
      'Portico does not support `owner[customer_account]` (Accounts v2 customers); use `owner[customer]`.',
  },
  tax_id_owner_application_unsupported: {
    message: () =>
      'Portico has no Connect applications: `owner[type]` must be `self`, `account` or `customer`.',
  },
  tax_ids_too_many: { message: (a) => `A ${a.owner} can have at most ${a.max} tax IDs.` },
  tax_id_invalid: { stripeCode: true, message: (a) => `Invalid value for ${a.type}.` },

  // Customer portal configurations.
  portal_configuration_default_deactivate: {
    message: () =>
      'The default configuration cannot be deactivated: make another configuration the default first.',
  },
  portal_configuration_inactive_default: {
    message: (a) =>
      `The configuration ${a.configuration} is inactive: activate it before making it the default.`,
  },
  portal_cancel_always_invoice: {
    message: () =>
      'Cancellations cannot use `always_invoice`: use `none`, or `create_prorations` with `mode=immediately`.',
  },
  portal_cancel_prorations_at_period_end: {
    message: () =>
      '`create_prorations` needs `mode=immediately`: canceling at the end of the period never prorates.',
  },
  portal_update_nothing_allowed: {
    message: () =>
      'To enable subscription updates, allow at least one of `price`, `quantity` or `promotion_code` in `default_allowed_updates`.',
  },
  portal_update_products_missing: {
    message: () =>
      'To enable subscription updates, list the products customers can switch between in `products`.',
  },
  portal_update_payment_method_disabled: {
    message: () => 'Cannot enable subscription updates while payment method update is disabled.',
  },
  portal_pause_options_too_many: { message: (a) => `Offer at most ${a.max} pause durations.` },
  portal_pause_too_long: {
    message: (a) => `A pause can last at most three years (${a.max} ${a.interval}s).`,
  },
  portal_pause_option_repeated: { message: (a) => `The pause duration of ${a.option}(s) is listed twice.` },
  portal_products_too_many: {
    message: (a) => `At most ${a.max} products can be offered for subscription updates.`,
  },
  portal_product_repeated: {
    message: (a) =>
      `The product ${a.product} is listed twice: list each product once, with all of its prices.`,
  },
  portal_product_archived: {
    message: (a) =>
      `The product ${a.product} is archived (active=false): only active products can be offered.`,
  },
  portal_price_other_product: {
    message: (a) => `The price ${a.price} belongs to the product ${a.owner}, not to ${a.product}.`,
  },
  portal_price_archived: {
    message: (a) => `The price ${a.price} is archived (active=false): only active prices can be offered.`,
  },
  portal_price_one_time: {
    message: (a) =>
      `The price ${a.price} is a one-time price: customers can only switch between recurring prices.`,
  },
  portal_quantity_maximum_below_minimum: {
    message: (a) => `The maximum quantity (${a.maximum}) must be at least the minimum (${a.minimum}).`,
  },
  portal_feedback_option_inactive: {
    message: (a) =>
      `The feedback option ${a.option} is inactive: deactivated feedback options cannot be used in portal configurations.`,
  },
  portal_pause_interval_options_unexpected: {
    message: () =>
      '`interval_options` only apply when `type` is `interval_options`: leave them out for indefinite pauses.',
  },
  portal_pause_interval_options_missing: {
    message: () => 'Pauses of preset durations need at least one entry in `interval_options`.',
  },
  portal_price_interval_repeated: {
    message: (a) =>
      `The prices ${a.other} and ${a.price} of ${a.product} both bill every ${a.count === 1 ? a.interval : `${a.count} ${a.interval}s`}: list at most one price per recurring interval.`,
  },

  // Customer portal sessions and their flows.
  portal_url_invalid: {
    stripeCode: 'url_invalid',
    message: (a) => `Not a valid URL: ${a.field} must be an absolute http or https URL.`,
  },
  portal_quantity_not_adjustable: {
    message: (a) =>
      `The configuration does not let customers change the quantity of ${a.product}: enable its \`adjustable_quantity\`.`,
  },
  portal_confirm_items_count: {
    message: () =>
      '`items` must hold exactly one item: only up to one may be specified, and subscriptions with several items cannot be updated in the portal.',
  },
  portal_confirm_nothing: {
    message: () => 'Nothing to confirm: give the item a new `price` or `quantity`, or add a discount.',
  },
  portal_price_not_offered: {
    message: (a) =>
      `The price ${a.price} is not offered by the configuration ${a.configuration}: list it in \`features[subscription_update][products]\`.`,
  },
  portal_confirm_discounts_too_many: { message: () => 'A confirmed update takes at most one discount.' },
  portal_discount_source_ambiguous: {
    message: () => 'Each discount takes exactly one of `coupon` and `promotion_code`.',
  },
  portal_product_not_offered: {
    message: (a) =>
      `The product ${a.product} of the subscription ${a.subscription} is not among the configuration's \`features[subscription_update][products]\`.`,
  },
  portal_item_not_in_subscription: {
    message: (a) => `The subscription item ${a.item} is not an item of the subscription ${a.subscription}.`,
  },
  portal_subscription_items_count: {
    message: (a) =>
      `The subscription ${a.subscription} has ${a.count} items: the portal updates subscriptions with one item.`,
  },
  portal_price_change_disallowed: {
    message: (a) =>
      `The configuration ${a.configuration} does not allow price changes: add \`price\` to \`features[subscription_update][default_allowed_updates]\`.`,
  },
  portal_price_currency_mismatch: {
    message: (a) =>
      `The price ${a.price} is in ${a.currency}, the subscription in ${a.subscriptionCurrency}: switch to a price in the same currency.`,
  },
  portal_price_tax_behavior_mismatch: {
    message: (a) =>
      `The price ${a.price} has tax_behavior ${a.taxBehavior}, the current price ${a.currentTaxBehavior}: prices can only be switched with the same tax behavior.`,
  },
  portal_quantity_change_disallowed: {
    message: (a) =>
      `The configuration ${a.configuration} does not allow quantity changes: add \`quantity\` to \`features[subscription_update][default_allowed_updates]\`.`,
  },
  portal_flow_field_type_mismatch: {
    message: (a) => `\`${a.base}[${a.key}]\` only applies when \`${a.base}[type]\` is \`${a.key}\`.`,
  },
  portal_flow_field_not_for_type: {
    message: (a) =>
      `\`${a.base}[${a.key}]\` does not apply to a \`${a.type}\` flow: send only the settings of the flow's type.`,
  },
  portal_flow_feature_disabled: {
    message: (a) =>
      `The configuration ${a.configuration} does not enable \`features[${a.feature}]\`, which a \`${a.type}\` flow needs: enable it or use another configuration.`,
  },
  portal_configuration_inactive: {
    message: (a) =>
      `The configuration ${a.configuration} is inactive: reactivate it or use another configuration.`,
  },
  portal_default_configuration_missing: {
    message: (a) =>
      `No configuration provided and your ${a.mode} mode default configuration has not been created. Provide a \`configuration\`, or create one with POST /v1/billing_portal/configurations: the first configuration of each mode becomes its default.`,
  },
  portal_recovery_expires_past: { message: () => 'The recovery deadline must be in the future.' },
  portal_login_rate_limited: {
    status: 429,
    type: 'invalid_request_error',
    message: () => 'Too many sign-in codes were requested. Try again later.',
  },
  portal_login_code_wrong: {
    message: (a) => `The sign-in code is incorrect; ${a.attempts_left} attempt(s) left.`,
  },
  portal_login_code_locked: {
    message: () => 'Too many incorrect sign-in codes were entered. Request a new code.',
  },
  portal_login_code_expired: { message: () => 'The sign-in code has expired. Request a new code.' },
  portal_subscription_cancel_pending: {
    message: (a) => `The subscription ${a.subscription} is already set to cancel.`,
  },
  portal_subscription_pause_not_active: {
    message: (a) =>
      `The subscription ${a.subscription} is ${a.status}: only active subscriptions can be paused.`,
  },
  portal_subscription_pause_send_invoice: {
    message: (a) =>
      `The subscription ${a.subscription} is invoiced (collection_method=send_invoice): only subscriptions charged automatically can be paused.`,
  },
  portal_subscription_update_not_active: {
    message: (a) =>
      `The subscription ${a.subscription} is ${a.status}: only active or trialing subscriptions can be updated.`,
  },
  portal_subscription_other_customer: {
    message: (a) => `The subscription ${a.subscription} does not belong to the customer ${a.customer}.`,
  },
  portal_subscription_other_account: {
    message: (a) =>
      `The subscription ${a.subscription} is not on behalf of ${a.account}: a session with on_behalf_of reaches only that account's subscriptions.`,
  },
  portal_subscription_ended: {
    message: (a) =>
      `The subscription ${a.subscription} is ${a.status}: the portal only acts on live subscriptions.`,
  },
  portal_subscription_action_unavailable: {
    status: 409,
    message: (a) =>
      a.reason === 'ended'
        ? `The subscription ${a.subscription} has ended.`
        : a.reason === 'cancel_pending'
          ? `The subscription ${a.subscription} is already set to cancel.`
          : `The subscription ${a.subscription} cannot be ${a.action === 'cancel' ? 'canceled' : `${a.action}d`} in the portal now.`,
  },
  portal_retention_unavailable: {
    status: 409,
    message: (a) => `No retention offer is open for the subscription ${a.subscription}.`,
  },
  portal_pause_duration_invalid: {
    message: () => 'Choose one of the pause durations the portal offers.',
  },
  portal_subscription_scheduled: {
    message: (a) =>
      `The subscription ${a.subscription} is managed by the subscription schedule ${a.schedule}: release the schedule before sending the customer to the portal.`,
  },
  portal_coupon_expired: {
    stripeCode: 'coupon_expired',
    message: (a) =>
      `The coupon ${a.coupon} is no longer valid (its redeem_by date has passed or it reached max_redemptions).`,
  },
  portal_promotion_code_inactive: { message: (a) => `The promotion code ${a.promotionCode} is inactive.` },
  portal_promotion_code_expired: {
    stripeCode: 'expired',
    message: (a) => `The promotion code ${a.promotionCode} has expired.`,
  },
  portal_promotion_code_used_up: {
    message: (a) => `The promotion code ${a.promotionCode} has reached its max_redemptions.`,
  },
  portal_promotion_code_customer: {
    message: (a) =>
      `The promotion code ${a.promotionCode} is restricted to another customer than ${a.customer}.`,
  },
  portal_quantity_out_of_range: {
    message: (a) =>
      `The quantity of ${a.product} must be ${a.max === null ? `at least ${a.min}` : `between ${a.min} and ${a.max}`}.`,
  },
  portal_promotion_code_unknown: {
    stripeCode: 'resource_missing',
    message: (a) => `No such promotion code: '${a.code}'`,
  },
  portal_subscription_update_unsupported: {
    message: (a) =>
      `The subscription ${a.subscription} cannot be updated in the portal because ${CANCEL_ONLY[a.reason]}; it can only be canceled.`,
  },

  // Files and file links.
  file_part_expected: {
    message: (a) =>
      `Invalid ${a.field}: send the file as a file part of a multipart/form-data request (with a filename).`,
  },
  file_link_expires_past: { message: () => 'The `expires_at` time must be in the future.' },
  file_link_expired: { message: () => 'Expired links can no longer be updated.' },
  file_purpose_unsupported: {
    message: (a) =>
      `Portico keeps files for account branding only: purpose must be business_icon or business_logo, not ${a.purpose}.`,
  },
  file_purpose_mismatch: {
    message: (a) =>
      `The file ${a.file} has purpose ${a.purpose}, but ${a.field} needs a file with purpose ${a.needed}.`,
  },
  file_empty: { message: () => 'The file is empty.' },
  file_too_large: {
    message: (a) =>
      `The file is too large: files with purpose ${a.purpose} can be at most ${a.maxKb} KB (this one is ${a.size} bytes).`,
  },
  file_type_refused: {
    message: (a) =>
      `Invalid file: files with purpose ${a.purpose} must be ${fileTypes(a.allowed)} images${a.actual ? `, not ${fileTypes([a.actual])}` : ''}.`,
  },
  file_svg_refused: { message: (a) => `Invalid SVG file: it contains ${a.detail}.` },
  file_link_missing: {
    status: 404,
    stripeCode: 'resource_missing',
    message: () => 'This link does not exist or has expired.',
  },

  // Search queries.
  search_page_invalid: { message: (a) => `Invalid page: ${a.page}` },
  search_field_unknown: {
    message: (a) =>
      `Invalid query: ${a.field} is not a searchable field. Searchable: ${a.fields.join(', ')}.`,
  },
  search_metadata_syntax: { message: () => 'Invalid query: use metadata["key"] to search metadata.' },
  search_boolean_expected: { message: (a) => `Invalid query: ${a.field} takes :"true" or :"false".` },
  search_integer_expected: {
    message: (a) => `Invalid query: ${a.field} takes an integer and one of :, >, <, >=, <=.`,
  },
  search_operator_unsupported: { message: (a) => `Invalid query: ${a.field} supports only : and ~.` },
  search_value_unquoted: { message: (a) => `Invalid query: the value for ${a.field} must be quoted.` },
  search_string_expected: {
    message: (a) => `Invalid query: expected a quoted string at position ${a.position}.`,
  },
  search_string_unclosed: { message: () => 'Invalid query: a quoted string is not closed.' },
  search_field_expected: {
    message: (a) => `Invalid query: expected a field name at position ${a.position}.`,
  },
  search_metadata_key_unclosed: { message: () => 'Invalid query: expected ] after the metadata key.' },
  search_operator_expected: {
    message: (a) => `Invalid query: expected an operator (:, ~, >, <, >=, <=) after ${a.field}.`,
  },
  search_integer_out_of_range: {
    message: (a) =>
      `Invalid query: the value for ${a.field} must be an integer between -${Number.MAX_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER}.`,
  },
  search_substring_too_short: {
    message: () => 'Invalid query: substring matches (~) need a quoted value of at least 3 characters.',
  },
  search_nul_character: { message: () => 'Invalid query: the query contains a NUL character.' },
  search_join_expected: { message: (a) => `Invalid query: expected AND or OR at position ${a.position}.` },
  search_join_mixed: { message: () => 'Invalid query: AND and OR cannot be combined in one query.' },
  search_too_many_clauses: { message: (a) => `Invalid query: at most ${a.max} clauses are allowed.` },

  // Events and webhook endpoints.
  event_type_wildcard_invalid: { message: () => 'Invalid type: a wildcard (*) may only end the event type.' },
  webhook_url_invalid: { stripeCode: 'url_invalid', message: (a) => `Invalid URL: ${a.url}` },
  webhook_url_not_http: {
    stripeCode: 'url_invalid',
    message: (a) => `Invalid URL: ${a.url}. The URL must use http or https.`,
  },
  webhook_url_credentials: {
    stripeCode: 'url_invalid',
    message: (a) => `Invalid URL: ${a.url}. The URL must not contain credentials.`,
  },
  webhook_endpoints_too_many: {
    message: (a) => `You have reached the maximum of ${a.max} ${a.mode} webhook endpoints.`,
  },
  webhook_api_version_invalid: { message: () => 'Invalid api_version' },
  webhook_event_type_unknown: {
    message: (a, p) => `Invalid ${p}: ${a.value} is not an event type you can subscribe to.`,
  },
};

/** The one mapping from an error to what the API sends. */
export function renderApiError(error: AppError): WireError {
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
