import type { Generated, Kysely } from 'kysely';

/**
 * Columns every resource table shares: what is filtered, ordered or scoped on, plus the Stripe
 * object as JSON text. `seq` is the creation sequence that breaks ties between objects created in
 * the same second, so list order is stable.
 */
export interface ObjectRow {
  seq: Generated<number>;
  id: string;
  account_id: string;
  /** 0 or 1: SQLite cannot bind booleans, so both dialects use integers. */
  livemode: number;
  created: number;
  data: string;
}

export interface CustomerRow extends ObjectRow {
  email: string | null;
  /** The clock's id, or '' for none. */
  test_clock: string;
  deleted: number;
  /** `tax[ip_address]`, shown in `customer.tax` only when expanded. */
  tax_ip_address: string | null;
}

export interface ProductRow extends ObjectRow {
  active: number;
  shippable: number | null;
  type: string;
  url: string | null;
  deleted: number;
}

export interface PriceRow extends ObjectRow {
  product: string;
  active: number;
  type: string;
  currency: string;
  lookup_key: string | null;
  recurring_interval: string | null;
  usage_type: string | null;
}

/** Engine rows: `test_clock` is '' for none; `next_action_at` is when the engine next has work. */
export interface SubscriptionRow extends ObjectRow {
  customer: string;
  status: string;
  collection_method: string;
  test_clock: string;
  next_action_at: number | null;
  current_period_start: number | null;
  current_period_end: number | null;
}

/** Schedule rows: `test_clock` is '' for none; `next_action_at` is when the engine next has work. */
export interface SubscriptionScheduleRow extends ObjectRow {
  customer: string;
  subscription: string | null;
  status: string;
  test_clock: string;
  next_action_at: number | null;
  canceled_at: number | null;
  completed_at: number | null;
  /** The portal configuration whose change the schedule holds until the period end (null: not the portal's). */
  portal_configuration: Generated<string | null>;
  released_at: number | null;
}

export interface SubscriptionItemRow extends ObjectRow {
  subscription: string;
  price: string;
  deleted: number;
}

export interface InvoiceRow extends ObjectRow {
  customer: string;
  subscription: string | null;
  status: string;
  /** Null only for rows written before the column existed and not yet filled. */
  collection_method: string | null;
  due_date: number | null;
  test_clock: string;
  next_action_at: number | null;
  deleted: number;
}

export interface InvoiceItemRow extends ObjectRow {
  customer: string;
  /** Null while the item is pending (not yet on an invoice). */
  invoice: string | null;
  subscription: string | null;
  deleted: number;
}

export interface PaymentIntentRow extends ObjectRow {
  customer: string | null;
  invoice: string | null;
  amount: number | null;
  status: string | null;
}

export interface ChargeRow extends ObjectRow {
  customer: string | null;
  payment_intent: string | null;
  amount: number | null;
  status: string | null;
  /** 1 once the charge is refunded in full. */
  refunded: number;
}

export interface RefundRow extends ObjectRow {
  charge: string | null;
  payment_intent: string | null;
  status: string | null;
}

export interface DiscountRow extends ObjectRow {
  customer: string | null;
  subscription: string | null;
}

/** `test_card` is the public test number the simulator decides by; never part of the object. */
export interface PaymentMethodRow extends ObjectRow {
  customer: string | null;
  type: string;
  allow_redisplay: string;
  /** 1 once detached: the payment method can never be used again. */
  detached: number;
  /** 1 once a SetupIntent prepared it for payments without the customer present. */
  set_up_off_session: number;
  test_card: string | null;
}

export interface SetupIntentRow extends ObjectRow {
  customer: string | null;
  payment_method: string | null;
  status: string;
}

export interface CouponRow extends ObjectRow {
  deleted: number;
}

export interface TaxRateRow extends ObjectRow {
  active: number;
  inclusive: number;
}

export interface PromotionCodeRow extends ObjectRow {
  code_key: string;
  coupon: string;
  customer: string | null;
  active: number;
}

export interface EventRow extends ObjectRow {
  type: string;
  pending_webhooks: number;
}

/** A platform account owns itself (account_id = id); a connected account is owned by its platform. */
export interface AccountRow extends ObjectRow {
  is_platform: number;
  deleted: number;
}

export interface ApiKeyRow {
  /** SHA-256 of the key: the key itself is never stored. */
  key_hash: string;
  account_id: string;
  livemode: number;
  created: number;
  last4: string;
  /** A restricted key's permissions as JSON; null for a secret key. */
  permissions: string | null;
}

export interface IdempotencyRow {
  account_id: string;
  livemode: number;
  key: string;
  fingerprint: string;
  status: number;
  body: string;
  request_id: string;
  created: number;
}

export interface WebhookEndpointRow extends ObjectRow {
  status: 'enabled' | 'disabled';
  secret: string;
  connect: number;
  deleted: number;
  failing_since: number | null;
}

export type DeliveryStatus = 'pending' | 'succeeded' | 'failed' | 'canceled';

export interface WebhookDeliveryRow {
  seq: Generated<number>;
  id: string;
  event_id: string;
  endpoint_id: string;
  account_id: string;
  livemode: number;
  status: DeliveryStatus;
  attempts: number;
  /** Milliseconds since the epoch, as are the other times of delivery. */
  next_attempt_at: number;
  lease_until: number;
  created: number;
}

export interface WebhookAttemptRow {
  seq: Generated<number>;
  delivery_id: string;
  created: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

/** A publishable key (`pk_`), one per account and mode, kept in plain text: it is public. */
export interface PublishableKeyRow {
  key: string;
  account_id: string;
  livemode: number;
  created: number;
}

export interface SettingRow {
  name: string;
  value: string;
}

export interface FeedbackOptionRow extends ObjectRow {
  status: 'active' | 'inactive';
}

export interface PortalConfigurationRow extends ObjectRow {
  active: number;
  is_default: number;
  /** The id in the login page URL; null while the login page is off. */
  login_page: string | null;
}

/** A portal session: its URL's secret is kept only as a SHA-256 hash; times on the customer's clock. */
export interface PortalSessionRow extends ObjectRow {
  token_hash: string;
  customer: string;
  configuration: string;
  last_activity_at: number | null;
  expires_at: number;
  /** When the row may be deleted; null while it can still be recovered with no deadline. */
  prune_at: number | null;
  /** SHA-256 of the browser cookie the URL was exchanged for; null while the URL is unvisited. */
  cookie_hash: string | null;
  /** When the session's flow was completed; null before (or without a flow). */
  flow_completed_at: number | null;
  /**
   * `api`; `login_page` / `recovery` for sessions opened with an emailed code; `mail_link` for
   * those opened from a link in a customer mail.
   */
  origin: Generated<SessionOrigin>;
}

export type SessionOrigin = 'api' | 'login_page' | 'recovery' | 'mail_link';

/** An account's customer email switches (1 on, 0 off); no row: the defaults. */
export interface CustomerEmailSettingsRow {
  account_id: string;
  finalized_invoices: number;
  successful_payments: number;
  failed_payments: number;
  trial_ending: number;
  /** Unix seconds on the server's clock. */
  updated: number;
}

/** What a mailed portal link opens: the payment-method flow, or the portal's homepage. */
export type MailLinkFlow = 'payment_method_update' | 'home';

/** A stable link in a customer mail; only the SHA-256 of its secret is kept. */
export interface PortalMailLinkRow {
  id: string;
  account_id: string;
  livemode: number;
  customer: string;
  flow: MailLinkFlow;
  token_hash: string;
  /** On the customer's clock. */
  created: number;
  expires_at: number;
}

export type MailStatus = 'pending' | 'sent' | 'failed';

/** A mail waiting in, or sent from, the outbox; times of delivery are milliseconds. */
export interface MailOutboxRow {
  seq: Generated<number>;
  id: string;
  account_id: string;
  livemode: number;
  /** Unix seconds on the server's clock. */
  created: number;
  recipient: string;
  /** Which mail (src/mail/templates.ts) and its locale; `data` its arguments as JSON. */
  template: string;
  locale: string;
  data: string;
  status: MailStatus;
  attempts: number;
  next_attempt_at: number;
  lease_until: number;
  last_error: string | null;
  sent_at: number | null;
}

/** A one-time sign-in code: only its salted hash is kept. Times are Unix seconds. */
export interface LoginCodeRow {
  seq: Generated<number>;
  id: string;
  account_id: string;
  livemode: number;
  purpose: 'login' | 'recovery';
  configuration: string;
  /** The expired session a recovery replaces. */
  session: string | null;
  /** The address typed (lower-cased), known or not. */
  email: string;
  /** The customer the code signs in; null for an address that matches none. */
  customer: string | null;
  /** SHA-256 of the login cookie of the browser that asked: only that browser may enter the code. */
  browser_hash: string;
  /** The client address that asked, for its send limit. */
  client: string;
  code_hash: string;
  /** On the customer's clock (the server's for an unknown address). */
  created: number;
  /** On the server's clock, for the per-client limit. */
  requested_at: number;
  expires_at: number;
  attempts: number;
  used_at: number | null;
}

export interface TestClockRow extends ObjectRow {
  deleted: number;
}

/** `owner` is `self`, a connected account's id or a customer's id. */
export interface TaxIdRow extends ObjectRow {
  owner: string;
}

/** Listed by customer and by invoice. */
export interface CreditNoteRow extends ObjectRow {
  customer: string;
  invoice: string;
}

/** A customer's balance transactions, filtered by the invoice they concern. */
export interface CustomerBalanceTransactionRow extends ObjectRow {
  customer: string;
  invoice: string | null;
}

export interface FileRow extends ObjectRow {
  purpose: string;
}

/** A file's bytes, kept apart from its object so lists never read them. */
export interface FileContentRow {
  file_id: string;
  content: Buffer;
}

export interface FileLinkRow extends ObjectRow {
  file: string;
  /** The secret part of the link's public URL. */
  token: string;
}

/** A pause with a preset duration: when it ends (`next_action_at`, null once done). */
export interface SubscriptionPauseEndRow {
  seq: Generated<number>;
  /** The subscription's id. */
  id: string;
  account_id: string;
  livemode: number;
  test_clock: string;
  next_action_at: number | null;
  /** The pause it ends: `status_details.paused.transitioned_at` when it began. */
  paused_at: number;
}

/** A retention coupon's offer, answered once per subscription. */
export interface PortalRetentionOfferRow {
  account_id: string;
  livemode: number;
  subscription: string;
  coupon: string;
  outcome: 'accepted' | 'declined';
  answered_at: number;
}

export interface Tables {
  accounts: AccountRow;
  api_keys: ApiKeyRow;
  publishable_keys: PublishableKeyRow;
  customers: CustomerRow;
  products: ProductRow;
  prices: PriceRow;
  subscriptions: SubscriptionRow;
  subscription_items: SubscriptionItemRow;
  subscription_schedules: SubscriptionScheduleRow;
  invoices: InvoiceRow;
  invoice_items: InvoiceItemRow;
  payment_intents: PaymentIntentRow;
  charges: ChargeRow;
  refunds: RefundRow;
  discounts: DiscountRow;
  payment_methods: PaymentMethodRow;
  setup_intents: SetupIntentRow;
  coupons: CouponRow;
  promotion_codes: PromotionCodeRow;
  tax_rates: TaxRateRow;
  test_clocks: TestClockRow;
  tax_ids: TaxIdRow;
  credit_notes: CreditNoteRow;
  customer_balance_transactions: CustomerBalanceTransactionRow;
  files: FileRow;
  file_contents: FileContentRow;
  file_links: FileLinkRow;
  events: EventRow;
  idempotency_keys: IdempotencyRow;
  settings: SettingRow;
  webhook_endpoints: WebhookEndpointRow;
  webhook_deliveries: WebhookDeliveryRow;
  webhook_attempts: WebhookAttemptRow;
  billing_feedback_options: FeedbackOptionRow;
  billing_portal_configurations: PortalConfigurationRow;
  billing_portal_sessions: PortalSessionRow;
  mail_outbox: MailOutboxRow;
  portal_login_codes: LoginCodeRow;
  subscription_pause_ends: SubscriptionPauseEndRow;
  portal_retention_offers: PortalRetentionOfferRow;
  customer_email_settings: CustomerEmailSettingsRow;
  portal_mail_links: PortalMailLinkRow;
}

/** The resource tables that hold Stripe objects with the shared columns. */
export type ObjectTable =
  | 'accounts'
  | 'coupons'
  | 'customers'
  | 'products'
  | 'prices'
  | 'subscriptions'
  | 'subscription_items'
  | 'subscription_schedules'
  | 'invoices'
  | 'invoice_items'
  | 'payment_intents'
  | 'charges'
  | 'refunds'
  | 'discounts'
  | 'payment_methods'
  | 'setup_intents'
  | 'promotion_codes'
  | 'tax_rates'
  | 'test_clocks'
  | 'tax_ids'
  | 'credit_notes'
  | 'customer_balance_transactions'
  | 'files'
  | 'file_links'
  | 'events'
  | 'webhook_endpoints'
  | 'billing_feedback_options'
  | 'billing_portal_configurations';

export type Dialect = 'sqlite' | 'postgres';
/** A handle on the database, or a transaction on it. */
export type Db = Kysely<Tables>;
