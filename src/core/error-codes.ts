import type Stripe from 'stripe';

/**
 * The domain's vocabulary of refusals: every code a domain function may throw, with the
 * arguments it carries. No HTTP status and no English here: the API renders each code as
 * Stripe's JSON and English message (api/error-messages.ts), the hosted portal renders the same
 * codes from its locale catalogues. Adding a code here without a rendering fails the type check.
 *
 * Arguments are plain values (strings, numbers, lists of them, null where the object has none)
 * that a message may quote; a few codes carry objects for the wire body (`extra`: a card error's
 * PaymentIntent, for instance).
 */
export interface ErrorCatalog {
  // Parameters (core/params.ts and every domain check of a param's value).
  parameter_unknown: Record<string, never>;
  parameter_missing: Record<string, never>;
  parameter_invalid_empty: Record<string, never>;
  parameter_invalid_integer: { value: string };
  parameter_invalid_string_too_long: { max: number };
  parameters_exclusive: { other: string };
  parameter_not_string: Record<string, never>;
  parameter_below_minimum: { min: number };
  parameter_above_maximum: { max: number };
  /**
   * A computed amount past `max` minor units (core/limits.ts): one line (quantity × unit
   * amount), a subscription's amount for a period (its items together), or an invoice's total.
   */
  amount_too_large: {
    max: number;
    currency: string | null;
    subject: 'line' | 'subscription' | 'invoice' | 'payment';
  };
  /** A payment's amount below the currency's minimum charge (billing/money/minimum-charge.ts). */
  amount_too_small: { min: number; currency: string };
  parameter_invalid_decimal: { value: string };
  parameter_invalid_boolean: { value: string };
  parameter_not_object: Record<string, never>;
  parameter_not_array: Record<string, never>;
  parameter_array_too_long: { max: number };
  metadata_too_many_keys: { max: number };
  metadata_key_length: Record<string, never>;
  metadata_value_not_string: { key: string };
  metadata_value_too_long: Record<string, never>;
  parameter_invalid_format: { value: string };
  parameter_invalid_enum: { value: string; allowed: readonly string[] };
  country_invalid: { value: string };
  locale_invalid: { value: string };
  object_id_invalid: { value: string };

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
  /** The request line and headers together over Node's limit (431). */
  headers_too_large: { limit: number };
  /** A request that did not arrive in full in time (408). */
  request_timeout: Record<string, never>;
  url_invalid: { reason: string };
  /** A request that cannot be read (Node's parser refused it, or the router did), and why. */
  request_invalid: { reason: string };
  text_not_storable: Record<string, never>;
  internal: Record<string, never>;
  expand_too_deep: Record<string, never>;
  expand_not_expandable: { path: string };
  form_parameter_not_utf8: { name: string };
  form_parameter_conflict: { name: string };
  form_too_many_parameters: { max: number };
  form_parameter_too_deep: { name: string; max: number };
  stream_cursor_invalid: { cursor: string };
  multipart_malformed: { reason: string };
  multipart_too_large: { limit: number };
  multipart_text_not_utf8: Record<string, never>;
  multipart_value_repeated: { name: string };

  // Accounts (connected accounts and their settings).
  account_connected_cannot_manage: Record<string, never>;
  account_delete_platform: Record<string, never>;
  color_invalid: { value: string };
  file_id_invalid: { value: string };
  mcc_invalid: { value: string };
  account_currency_invalid: { value: string };
  account_country_invalid: { value: string };

  // Customers.
  customer_account_unsupported: Record<string, never>;
  customer_no_payment_method: Record<string, never>;
  customer_payment_method_missing: { paymentMethod: string };
  email_invalid: { email: string };
  invoice_prefix_invalid: { value: string };

  // Test clocks and test helpers.
  test_clock_full: { clock: string; max: number };
  test_clock_live_mode: Record<string, never>;
  test_clock_customer_attached: { customer: string };
  test_clock_advancing: { clock: string };
  test_clock_time_backwards: { frozenTime: number };
  test_clock_advance_too_far: { limit: number; subscriptions: boolean };
  test_helper_live_mode: Record<string, never>;

  // Products.
  product_default_price_other_product: { price: string };
  product_default_price_archived: { price: string };
  product_has_prices: Record<string, never>;
  statement_descriptor_invalid: { value: string };

  // Prices.
  currency_unsupported: { currency: string };
  price_lookup_key_taken: { price: string; lookupKey: string };
  price_product_missing: Record<string, never>;
  price_tax_behavior_locked: { taxBehavior: string };
  price_default_archive: { product: string };
  price_tier_amount_missing: Record<string, never>;
  price_tier_inf_not_last: Record<string, never>;
  price_tier_last_not_inf: Record<string, never>;
  price_tier_up_to_not_increasing: Record<string, never>;
  price_custom_amount_disabled: Record<string, never>;
  price_custom_amount_minimum_above_maximum: Record<string, never>;
  price_custom_amount_preset_out_of_range: Record<string, never>;
  price_interval_too_long: { max: number; interval: string; count: number };
  price_metered_unsupported: Record<string, never>;
  price_tiered_field: { field: string };
  price_tiers_missing: Record<string, never>;
  price_tiers_mode_missing: Record<string, never>;
  price_tiered_transform_quantity: Record<string, never>;
  price_custom_amount_recurring: Record<string, never>;
  price_custom_amount_transform_quantity: Record<string, never>;
  price_amount_missing: Record<string, never>;
  price_currency_option_tiers_missing: Record<string, never>;
  price_currency_option_tiered_amount: Record<string, never>;
  price_currency_option_amount_missing: Record<string, never>;
  price_currency_option_tiers_count: Record<string, never>;
  price_inactive: { price: string; target: 'invoice_item' | 'subscription' };
  price_type_mismatch: { expected: 'one_time' | 'recurring' };
  price_tiered_only: { field: string };
  currency_options_own_currency: { currency: string; object: 'price' | 'coupon' };

  // Coupons, promotion codes and discounts.
  promotion_code_taken: { code: string };
  promotion_code_currency_options_need_minimum: Record<string, never>;
  promotion_code_currency_option_duplicate: { currency: string };
  promotion_code_expires_past: Record<string, never>;
  promotion_code_expires_after_coupon: Record<string, never>;
  promotion_code_minimum_incomplete: Record<string, never>;
  discount_source_ambiguous: Record<string, never>;
  promotion_code_inactive: Record<string, never>;
  discount_coupon_repeated: { coupon: string };
  coupon_discount_missing: Record<string, never>;
  tax_rate_percentage_invalid: Record<string, never>;
  /** An archived rate named where it is not already applied. */
  tax_rate_inactive: { taxRate: string };
  tax_rate_duplicate: { taxRate: string };
  coupon_percent_off_out_of_range: Record<string, never>;
  coupon_currency_missing: Record<string, never>;
  coupon_currency_options_percent: Record<string, never>;
  coupon_currency_percent: Record<string, never>;
  coupon_duration_in_months_missing: Record<string, never>;
  coupon_duration_in_months_not_repeating: Record<string, never>;
  coupon_redeem_by_past: Record<string, never>;
  coupon_expired: { coupon: string };
  coupon_used_up: { coupon: string };
  coupon_currency_mismatch: { coupon: string; couponCurrency: string; currency: string };
  promotion_code_expired: Record<string, never>;
  promotion_code_used_up: Record<string, never>;
  promotion_code_customer_restricted: Record<string, never>;
  promotion_code_first_time_only: Record<string, never>;
  promotion_code_minimum_currency: { minimumCurrency: string; currency: string };
  promotion_code_minimum_not_met: Record<string, never>;
  promotion_code_format_invalid: { value: string };

  // Invoices and their previews.
  invoice_finalized_field_locked: { field: string; status: string | null };
  invoice_delete_not_draft: { invoice: string; status: string | null };
  invoice_delete_subscription: { invoice: string };
  invoice_send_not_send_invoice: Record<string, never>;
  invoice_send_void: { invoice: string };
  invoice_status_forbids: { action: string; allowed: string[]; status: string | null };
  due_date_past: Record<string, never>;
  preview_invoice_item_not_pending: { item: string };
  period_end_before_start: Record<string, never>;
  preview_new_subscription_unsupported: Record<string, never>;
  preview_subscription_other_customer: { subscription: string };
  preview_currency_mismatch: { subscriptionCurrency: string; currency: string };
  send_invoice_only: { field: string };

  // Credit notes and customer balance transactions.
  /** Lines and `amount` both missing: nothing says what to credit. */
  credit_note_amount_missing: Record<string, never>;
  /** `amount` sent with `lines` that add up to another total. */
  credit_note_amount_mismatch: { amount: number; linesTotal: number };
  /** A credit note's total must be above zero. */
  credit_note_amount_not_positive: Record<string, never>;
  /** More than the invoice has left to credit (its total less earlier credit notes). */
  credit_note_exceeds_invoice: { total: number; creditable: number; currency: string };
  /** An invoice line credited beyond its amount (over every credit note that is not void). */
  credit_note_line_exceeds: { line: string; amount: number; available: number; currency: string };
  /** A line of the invoice that cannot be credited (a credit line itself, or another quantity). */
  credit_note_line_not_creditable: { line: string };
  /** A credit note line param that does not go with the line's type. */
  credit_note_line_param_type: { field: string; type: string };
  /** A credit note line's taxes given as amounts rather than tax rates (not supported). */
  credit_note_tax_amounts_unsupported: Record<string, never>;
  /** Refund, credit and out-of-band amounts must add up to what goes beyond the amount remaining. */
  credit_note_post_payment_mismatch: { postPayment: number; sum: number; currency: string };
  /** More refunded than was paid (less what earlier credit notes refunded). */
  credit_note_refund_exceeds: { amount: number; refundable: number; currency: string };
  /** Voiding: already void, refunded, or its invoice paid since. */
  credit_note_void_refused: { creditNote: string; reason: 'void' | 'refunded' | 'invoice_paid' };
  /** A manual balance transaction in another currency than the customer's. */
  balance_transaction_currency_mismatch: { currency: string; customerCurrency: string };

  // Invoice items.
  invoice_item_currency_mismatch: { currency: string; invoiceCurrency: string };
  invoice_item_price_currency_mismatch: { currency: string; priceCurrency: string };
  invoice_item_price_data_amount_missing: Record<string, never>;
  invoice_item_amount_missing: Record<string, never>;
  invoice_item_invoice_not_draft: { invoice: string; status: string | null };
  invoice_item_invoice_other_customer: { invoice: string; customer: string };
  invoice_item_subscription_other_customer: { subscription: string; customer: string };
  invoice_item_subscription_ended: { subscription: string };
  invoice_item_subscription_currency_mismatch: { currency: string; subscriptionCurrency: string };
  invoice_item_subscription_not_billed: { invoice: string; subscription: string };
  invoice_item_locked: { item: string; invoice: string; status: string | null; action: string };
  invoice_item_proration_repriced: Record<string, never>;
  invoice_item_proration_discountable: Record<string, never>;

  // Subscriptions.
  billing_mode_unsupported: Record<string, never>;
  trial_too_long: Record<string, never>;
  subscription_item_delete_id_missing: Record<string, never>;
  subscription_items_all_deleted: Record<string, never>;
  subscription_price_repeated: { price: string };
  subscription_prices_mismatched: Record<string, never>;
  subscription_cancel_ended: { subscription: string };
  subscription_pause_ended: { subscription: string };
  subscription_already_paused: { subscription: string };
  subscription_pause_scheduled: Record<string, never>;
  subscription_not_paused: { subscription: string };
  subscription_feedback_option_inactive: { option: string };
  subscription_resume_send_invoice: Record<string, never>;
  subscription_discount_missing: { subscription: string };

  // Subscription schedules.
  schedule_first_phase_past: Record<string, never>;
  schedule_phase_ended: Record<string, never>;
  schedule_current_phase_moved: { start: number };
  schedule_current_phase_end_past: Record<string, never>;
  schedule_current_phase_missing: { start: number };
  schedule_subscription_managed: { subscription: string; schedule: string | null };
  schedule_subscription_ended: { subscription: string; status: string };
  schedule_from_subscription_conflict: { field: string };
  schedule_backdated: Record<string, never>;
  schedule_phase_items_missing: Record<string, never>;
  schedule_phase_currency_mismatch: { currency: string; priceCurrency: string };
  schedule_phase_gap: { end: number };
  schedule_phase_ends_before_start: { start: number };
  schedule_trial_end_outside_phase: { start: number; end: number };
  schedule_phase_anchor_trial: Record<string, never>;
  schedule_currency_mismatch: { currency: string };
  schedule_status_forbids: { action: string; status: string };

  // Payment methods.
  payment_method_type_unsupported: { type: string };
  card_network_unavailable: { network: string; brand: string };
  payment_method_not_saved: Record<string, never>;
  payment_method_used_unattached: Record<string, never>;
  payment_method_not_attached: Record<string, never>;
  payment_method_other_customer: { paymentMethod: string; customer: string };
  payment_method_already_attached: Record<string, never>;
  customer_payment_method_not_found: { customer: string; paymentMethod: string };
  last_payment_method: { paymentMethod: string };

  // Card payments: 402 `card_error`. A decline carries the issuer's answer and the objects the body shows.
  card_declined: CardDecline;
  card_expired: CardDecline;
  card_cvc_incorrect: CardDecline;
  card_processing_error: CardDecline;
  card_authentication_required: CardDecline;
  subscription_payment_requires_action: { paymentIntent: Stripe.PaymentIntent };
  card_expiry_month_invalid: Record<string, never>;
  card_expiry_year_invalid: Record<string, never>;
  card_number_invalid: Record<string, never>;
  card_number_incorrect: Record<string, never>;
  card_live_in_test_mode: Record<string, never>;
  card_cvc_invalid: Record<string, never>;
  card_number_in_live_mode: Record<string, never>;

  // SetupIntents.
  setup_intent_payment_method_type_refused: { paymentMethod: string; type: string; allowed: string[] };
  setup_intent_return_url_without_confirm: Record<string, never>;
  setup_intent_client_secret_mismatch: Record<string, never>;
  client_secret_mismatch: { object: string };
  setup_intent_payment_method_type_unsupported: { type: string; supported: string[] };
  return_url_invalid: { url: string };
  setup_intent_payment_method_missing: { setupIntent: Stripe.SetupIntent };
  setup_intent_not_requires_action: { setupIntent: Stripe.SetupIntent };
  setup_intent_authentication_failure: Record<string, never>;
  payment_intent_authentication_failure: Record<string, never>;
  setup_intent_not_open: {
    action: 'cancel' | 'confirm' | 'update';
    setupIntent: Stripe.SetupIntent;
    openStatuses: readonly string[];
  };

  // PaymentIntents.
  payment_intent_unexpected_state: {
    action: 'cancel' | 'capture' | 'confirm' | 'update';
    paymentIntent: Stripe.PaymentIntent;
    allowed: readonly string[];
  };
  payment_intent_payment_method_missing: { paymentIntent: Stripe.PaymentIntent };
  payment_intent_client_secret_mismatch: Record<string, never>;
  /** `off_session`, `return_url`, `error_on_requires_action`: only on a confirmation. */
  payment_intent_needs_confirm: { name: string };
  payment_intent_of_invoice: { action: 'cancel' | 'capture' | 'confirm' | 'update'; invoice: string };
  payment_intent_not_requires_action: { paymentIntent: Stripe.PaymentIntent };
  capture_amount_too_large: { amount: number; capturable: number };
  payment_intent_requires_action_refused: { paymentIntent: Stripe.PaymentIntent };
  customer_locked: { object: 'PaymentIntent' | 'Charge' };

  // Refunds.
  refund_target_missing: Record<string, never>;
  charge_already_refunded: { charge: string };
  refund_amount_too_large: { amount: number; available: number; currency: string; refundedBefore: boolean };
  charge_not_refundable: { charge: string; status: string };
  charge_not_captured: { charge: string };
  refund_not_cancelable: { status: string };
  refund_charge_of_other_intent: { charge: string; paymentIntent: string };
  payment_intent_nothing_to_refund: { paymentIntent: string; status: string };

  // Tax IDs.
  tax_id_owner_customer_account_unsupported: Record<string, never>;
  tax_id_owner_application_unsupported: Record<string, never>;
  tax_ids_too_many: { owner: 'customer' | 'account'; max: number };
  tax_id_invalid: { type: string };

  // Customer portal configurations.
  portal_configuration_default_deactivate: Record<string, never>;
  portal_configuration_inactive_default: { configuration: string };
  portal_cancel_always_invoice: Record<string, never>;
  portal_cancel_prorations_at_period_end: Record<string, never>;
  portal_update_nothing_allowed: Record<string, never>;
  portal_update_products_missing: Record<string, never>;
  portal_update_payment_method_disabled: Record<string, never>;
  portal_pause_options_too_many: { max: number };
  portal_pause_too_long: { max: number; interval: string };
  portal_pause_option_repeated: { option: string };
  portal_products_too_many: { max: number };
  portal_product_repeated: { product: string };
  portal_product_archived: { product: string };
  portal_price_other_product: { price: string; owner: string; product: string };
  portal_price_archived: { price: string };
  portal_price_one_time: { price: string };
  portal_quantity_maximum_below_minimum: { maximum: number; minimum: number };
  portal_feedback_option_inactive: { option: string };
  portal_pause_interval_options_unexpected: Record<string, never>;
  portal_pause_interval_options_missing: Record<string, never>;
  portal_price_interval_repeated: {
    other: string;
    price: string;
    product: string;
    interval: string;
    count: number;
  };

  // Customer portal sessions and their flows.
  portal_url_invalid: { field: string };
  portal_quantity_not_adjustable: { product: string };
  portal_confirm_items_count: Record<string, never>;
  portal_confirm_nothing: Record<string, never>;
  portal_price_not_offered: { price: string; configuration: string };
  portal_confirm_discounts_too_many: Record<string, never>;
  portal_discount_source_ambiguous: Record<string, never>;
  portal_product_not_offered: { product: string; subscription: string };
  portal_item_not_in_subscription: { item: string; subscription: string };
  portal_subscription_items_count: { subscription: string; count: number };
  portal_price_change_disallowed: { configuration: string };
  portal_price_currency_mismatch: { price: string; currency: string; subscriptionCurrency: string };
  portal_price_tax_behavior_mismatch: {
    price: string;
    taxBehavior: string | null;
    currentTaxBehavior: string | null;
  };
  portal_quantity_change_disallowed: { configuration: string };
  portal_flow_field_type_mismatch: { base: string; key: string };
  portal_flow_field_not_for_type: { base: string; key: string; type: string };
  portal_flow_feature_disabled: { configuration: string; feature: string; type: string };
  portal_configuration_inactive: { configuration: string };
  portal_default_configuration_missing: { mode: string };
  portal_recovery_expires_past: Record<string, never>;
  /** Too many sign-in codes asked for one address or from one client in the last hour. */
  portal_login_rate_limited: Record<string, never>;
  /** A sign-in code that does not match; `attempts_left` more tries before it locks. */
  portal_login_code_wrong: { attempts_left: number };
  /** Five wrong tries: the code no longer works, a new one must be asked for. */
  portal_login_code_locked: Record<string, never>;
  /** The code's ten minutes are over, or it was already used. */
  portal_login_code_expired: Record<string, never>;
  portal_subscription_cancel_pending: { subscription: string };
  portal_subscription_pause_not_active: { subscription: string; status: string };
  portal_subscription_pause_send_invoice: { subscription: string };
  portal_subscription_update_not_active: { subscription: string; status: string };
  portal_subscription_other_customer: { subscription: string; customer: string };
  portal_subscription_other_account: { subscription: string; account: string };
  portal_subscription_ended: { subscription: string; status: string };
  portal_subscription_action_unavailable: {
    subscription: string;
    action: 'cancel' | 'renew' | 'pause' | 'resume';
    reason: 'ended' | 'cancel_pending' | 'not_eligible';
  };
  portal_retention_unavailable: { subscription: string };
  portal_pause_duration_invalid: Record<string, never>;
  portal_subscription_scheduled: { subscription: string; schedule: string | null };
  portal_coupon_expired: { coupon: string };
  portal_promotion_code_inactive: { promotionCode: string };
  portal_promotion_code_expired: { promotionCode: string };
  portal_promotion_code_used_up: { promotionCode: string };
  portal_promotion_code_customer: { promotionCode: string; customer: string };
  portal_quantity_out_of_range: { product: string; min: number; max: number | null };
  portal_promotion_code_unknown: { code: string };
  portal_subscription_update_unsupported: { subscription: string; reason: PortalCancelOnlyReason };

  // Files and file links.
  file_part_expected: { field: string };
  file_link_expires_past: Record<string, never>;
  file_link_expired: Record<string, never>;
  file_purpose_unsupported: { purpose: string };
  file_purpose_mismatch: { file: string; purpose: string; field: string; needed: string };
  file_empty: Record<string, never>;
  file_too_large: { purpose: string; maxKb: number; size: number };
  file_type_refused: { purpose: string; allowed: readonly string[]; actual: string | null };
  file_svg_refused: { detail: string };
  file_link_missing: Record<string, never>;

  // Search queries.
  search_page_invalid: { page: string };
  search_field_unknown: { field: string; fields: string[] };
  search_metadata_syntax: Record<string, never>;
  search_boolean_expected: { field: string };
  search_integer_expected: { field: string };
  search_operator_unsupported: { field: string };
  search_value_unquoted: { field: string };
  search_string_expected: { position: number };
  search_string_unclosed: Record<string, never>;
  search_field_expected: { position: number };
  search_metadata_key_unclosed: Record<string, never>;
  search_operator_expected: { field: string };
  search_integer_out_of_range: { field: string };
  search_substring_too_short: Record<string, never>;
  search_nul_character: Record<string, never>;
  search_join_expected: { position: number };
  search_join_mixed: Record<string, never>;
  search_too_many_clauses: { max: number };

  // Events and webhook endpoints.
  event_type_wildcard_invalid: Record<string, never>;
  webhook_url_invalid: { url: string };
  webhook_url_not_http: { url: string };
  webhook_url_credentials: { url: string };
  webhook_endpoints_too_many: { max: number; mode: string };
  webhook_api_version_invalid: { value: string };
  webhook_event_type_unknown: { value: string };
}

export type ErrorCode = keyof ErrorCatalog;

/** The codes whose only argument is the refused value: a param schema's own refusal. */
export type ValueCode = {
  [C in ErrorCode]: ErrorCatalog[C] extends { value: string }
    ? { value: string } extends ErrorCatalog[C]
      ? C
      : never
    : never;
}[ErrorCode];

/**
 * A card refusal: the issuer's decline and the objects the error body shows beside it. `message`
 * is the payment simulator's English wording, which Stripe objects carry too
 * (`last_payment_error.message`); a translated rendering goes by the code and `declineCode`.
 */
export interface CardDecline {
  declineCode: string;
  message: string;
  adviceCode?: string;
  paymentIntent?: Stripe.PaymentIntent;
  setupIntent?: Stripe.SetupIntent;
  /** The card tried (with `payment_method_type: card` on the wire). */
  paymentMethod?: Stripe.PaymentMethod;
}

/** Why the portal can only cancel a subscription, not update it. */
export type PortalCancelOnlyReason = 'several_products' | 'usage_based' | 'send_invoice';
