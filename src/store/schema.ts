import type { Generated } from 'kysely';

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

export interface CouponRow extends ObjectRow {
  deleted: number;
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

export interface SettingRow {
  name: string;
  value: string;
}

export interface Tables {
  accounts: AccountRow;
  api_keys: ApiKeyRow;
  customers: CustomerRow;
  products: ProductRow;
  prices: PriceRow;
  coupons: CouponRow;
  promotion_codes: PromotionCodeRow;
  test_clocks: ObjectRow;
  events: EventRow;
  idempotency_keys: IdempotencyRow;
  settings: SettingRow;
  webhook_endpoints: WebhookEndpointRow;
  webhook_deliveries: WebhookDeliveryRow;
  webhook_attempts: WebhookAttemptRow;
}

/** The resource tables that hold Stripe objects with the shared columns. */
export type ObjectTable =
  | 'accounts'
  | 'coupons'
  | 'customers'
  | 'products'
  | 'prices'
  | 'promotion_codes'
  | 'test_clocks'
  | 'events'
  | 'webhook_endpoints';
