import { resolve } from 'node:path';
import { type BillingSettings, DEFAULT_BILLING } from './billing/settings.ts';
import type { StoreUrl } from './store/database.ts';

/** Webhook delivery settings; retry delays are seconds after the previous failed attempt. */
export interface WebhookConfig {
  testRetries: number[];
  liveRetries: number[];
  timeoutMs: number;
  /** An endpoint whose deliveries have only failed for this long is disabled. */
  disableAfterSeconds: number;
  /** How often the delivery worker looks for due deliveries. */
  pollMs: number;
}

// Stripe retries live deliveries for up to three days; Portico's attempts come at 0, 1 min,
// 5 min, 30 min, 2 h, 5 h, 10 h, 24 h, 48 h and 72 h. Test mode retries sooner, so local work
// sees retries: +10 s, +1 min, +5 min, +1 h.
const LIVE_RETRIES = [60, 240, 1500, 5400, 10800, 18000, 50400, 86400, 86400];
const TEST_RETRIES = [10, 60, 300, 3600];

/** The mailer: SMTP when PORTICO_SMTP_URL is set, otherwise the development outbox. */
export interface MailConfig {
  /** `smtp://user:pass@host:port` or `smtps://…`; undefined: mails stay in the outbox, logged. */
  smtpUrl: string | undefined;
  /** The From header: `Name <address>` or a bare address. */
  from: string;
  /** Seconds to wait after each failed attempt; after the last, the mail is `failed`. */
  retries: number[];
  /** How often the mail worker looks for due mails. */
  pollMs: number;
}

// A mail that cannot be sent is tried again after 30 s, 2 min, 10 min, 1 h and 6 h.
const MAIL_RETRIES = [30, 120, 600, 3600, 21600];

export interface Config {
  port: number;
  host: string;
  store: StoreUrl;
  /** An sk_test_ key for the default account; generated and stored on first start when absent. */
  secretKey: string | undefined;
  /** An optional sk_live_ key for the default account. */
  liveSecretKey: string | undefined;
  publicUrl: string;
  /** Reject Stripe-Version headers other than the pinned one. */
  strictApiVersion: boolean;
  logRequests: boolean;
  webhooks: WebhookConfig;
  billing: BillingSettings;
  /**
   * Origins allowed to embed the hosted portal in a frame (CSP `frame-ancestors`); empty: none,
   * as on Stripe.
   */
  portalFrameAncestors: string[];
  /**
   * PORTICO_PORTAL_MULTI_ITEM_UPDATES: the hosted portal lets customers update subscriptions
   * with items of several products, item by item (Stripe's portal only cancels them). Off by
   * default.
   */
  portalMultiItemUpdates: boolean;
  /** How often the billing worker looks for due renewals, retries and drafts (ms). */
  billingPollMs: number;
  mail: MailConfig;
}

export class ConfigError extends Error {}

const KEY_PATTERN = /^sk_(test|live)_[A-Za-z0-9]{16,247}$/;

export function parseStoreUrl(value: string, variable = 'PORTICO_DATABASE_URL'): StoreUrl {
  if (value === 'sqlite::memory:') return { kind: 'sqlite', path: ':memory:', display: 'SQLite (in memory)' };
  if (value.startsWith('sqlite:')) {
    const path = value.slice('sqlite:'.length).replace(/^\/\/(?=\/)/, '');
    if (!path)
      throw new ConfigError(`${variable}: "sqlite:" needs a file path, e.g. sqlite:./data/portico.db`);
    return { kind: 'sqlite', path: resolve(path), display: `SQLite ${resolve(path)}` };
  }
  if (/^postgres(ql)?:\/\//.test(value)) {
    let parsed: URL;
    try {
      parsed = new URL(value);
    } catch {
      throw new ConfigError(`${variable}: "${value}" is not a valid postgres:// URL`);
    }
    const db = parsed.pathname.replace(/^\//, '') || '(default database)';
    const schema = parsed.searchParams.get('schema');
    if (schema !== null && !/^[a-z_][a-z0-9_]{0,62}$/.test(schema)) {
      throw new ConfigError(`${variable}: schema "${schema}" must be a lower-case SQL identifier`);
    }
    return {
      kind: 'postgres',
      url: value,
      display: `PostgreSQL ${parsed.hostname}:${parsed.port || 5432}/${db}`,
    };
  }
  throw new ConfigError(
    `${variable}: "${value}" is not supported; use sqlite:<path>, sqlite::memory: or postgres://...`,
  );
}

function parsePort(value: string | undefined): number {
  if (value === undefined || value === '') return 4242;
  if (!/^\d+$/.test(value) || Number(value) > 65535) {
    throw new ConfigError(`PORT: "${value}" is not a port number (0-65535)`);
  }
  return Number(value);
}

function parseKey(variable: string, value: string | undefined, mode: 'test' | 'live'): string | undefined {
  if (value === undefined || value === '') return undefined;
  if (!KEY_PATTERN.test(value) || !value.startsWith(`sk_${mode}_`)) {
    throw new ConfigError(
      `${variable}: expected an sk_${mode}_ key followed by at least 16 letters or digits`,
    );
  }
  return value;
}

function parseFlag(variable: string, value: string | undefined): boolean {
  if (value === undefined || value === '' || value === '0' || value === 'false') return false;
  if (value === '1' || value === 'true') return true;
  throw new ConfigError(`${variable}: "${value}" is not a boolean (use true or false)`);
}

function parsePublicUrl(value: string | undefined, port: number): string {
  if (value === undefined || value === '') return `http://localhost:${port}`;
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new ConfigError(`PORTICO_PUBLIC_URL: "${value}" is not an absolute URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new ConfigError(`PORTICO_PUBLIC_URL: "${value}" must be an http or https URL`);
  }
  return value.replace(/\/+$/, '');
}

function parseSeconds(variable: string, value: string | undefined, fallback: number[]): number[] {
  if (value === undefined || value === '') return fallback;
  const list = value.split(',').map((v) => Number(v.trim()));
  if (list.some((n) => !Number.isFinite(n) || n < 0)) {
    throw new ConfigError(`${variable}: "${value}" is not a comma-separated list of seconds`);
  }
  return list;
}

function parsePositive(variable: string, value: string | undefined, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0)
    throw new ConfigError(`${variable}: "${value}" is not a positive number`);
  return n;
}

export function webhookConfig(env: NodeJS.ProcessEnv): WebhookConfig {
  return {
    testRetries: parseSeconds('PORTICO_WEBHOOK_RETRIES_TEST', env.PORTICO_WEBHOOK_RETRIES_TEST, TEST_RETRIES),
    liveRetries: parseSeconds('PORTICO_WEBHOOK_RETRIES_LIVE', env.PORTICO_WEBHOOK_RETRIES_LIVE, LIVE_RETRIES),
    timeoutMs: parsePositive('PORTICO_WEBHOOK_TIMEOUT_MS', env.PORTICO_WEBHOOK_TIMEOUT_MS, 20_000),
    disableAfterSeconds:
      parsePositive('PORTICO_WEBHOOK_DISABLE_AFTER_HOURS', env.PORTICO_WEBHOOK_DISABLE_AFTER_HOURS, 72) *
      3600,
    pollMs: parsePositive('PORTICO_WEBHOOK_POLL_MS', env.PORTICO_WEBHOOK_POLL_MS, 100),
  };
}

export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  const port = parsePort(env.PORT);
  return {
    port,
    host: env.PORTICO_HOST || 'localhost',
    store: parseStoreUrl(env.PORTICO_DATABASE_URL || 'sqlite:./data/portico.db'),
    secretKey: parseKey('PORTICO_SECRET_KEY', env.PORTICO_SECRET_KEY, 'test'),
    liveSecretKey: parseKey('PORTICO_LIVE_SECRET_KEY', env.PORTICO_LIVE_SECRET_KEY, 'live'),
    publicUrl: parsePublicUrl(env.PORTICO_PUBLIC_URL, port),
    strictApiVersion: parseFlag('PORTICO_STRICT_API_VERSION', env.PORTICO_STRICT_API_VERSION),
    logRequests: parseFlag('PORTICO_LOG_REQUESTS', env.PORTICO_LOG_REQUESTS),
    webhooks: webhookConfig(env),
    billing: billingConfig(env),
    billingPollMs: parsePositive('PORTICO_BILLING_POLL_MS', env.PORTICO_BILLING_POLL_MS, 1000),
    portalFrameAncestors: parseOrigins('PORTICO_PORTAL_FRAME_ANCESTORS', env.PORTICO_PORTAL_FRAME_ANCESTORS),
    portalMultiItemUpdates: parseFlag(
      'PORTICO_PORTAL_MULTI_ITEM_UPDATES',
      env.PORTICO_PORTAL_MULTI_ITEM_UPDATES,
    ),
    mail: mailConfig(env),
  };
}

/** A bare address or `Name <address>`, as the From header takes it. */
const FROM = /^(?:[^<>]*<[^\s@<>]+@[^\s@<>]+>|[^\s@<>]+@[^\s@<>]+)$/;

export function mailConfig(env: NodeJS.ProcessEnv): MailConfig {
  const raw = env.PORTICO_SMTP_URL;
  let smtpUrl: string | undefined;
  if (raw !== undefined && raw !== '') {
    let url: URL | undefined;
    try {
      url = new URL(raw);
    } catch {
      url = undefined;
    }
    if (!url || (url.protocol !== 'smtp:' && url.protocol !== 'smtps:') || !url.hostname) {
      throw new ConfigError('PORTICO_SMTP_URL: expected smtp://host:port or smtps://user:password@host:port');
    }
    smtpUrl = raw;
  }
  const from = env.PORTICO_EMAIL_FROM || 'Portico <billing@localhost>';
  if (!FROM.test(from)) {
    throw new ConfigError(`PORTICO_EMAIL_FROM: "${from}" is not an address or "Name <address>"`);
  }
  return {
    smtpUrl,
    from,
    retries: parseSeconds('PORTICO_MAIL_RETRIES', env.PORTICO_MAIL_RETRIES, MAIL_RETRIES),
    pollMs: parsePositive('PORTICO_MAIL_POLL_MS', env.PORTICO_MAIL_POLL_MS, 500),
  };
}

/** A space- or comma-separated list of http(s) origins (`https://app.example.com`). */
function parseOrigins(variable: string, value: string | undefined): string[] {
  if (value === undefined || value.trim() === '') return [];
  return value
    .split(/[\s,]+/)
    .filter(Boolean)
    .map((item) => {
      let url: URL | undefined;
      try {
        url = new URL(item);
      } catch {
        url = undefined;
      }
      if (
        !url ||
        (url.protocol !== 'https:' && url.protocol !== 'http:') ||
        url.origin !== item.replace(/\/$/, '')
      ) {
        throw new ConfigError(`${variable}: "${item}" is not an origin such as https://app.example.com`);
      }
      return url.origin;
    });
}

/**
 * PORTICO_PAYMENT_RETRY_DAYS (e.g. `3,7,21`): days after the first failed attempt at which an
 * invoice payment is retried. PORTICO_AFTER_FINAL_RETRY: `cancel`, `unpaid` or `past_due`.
 * PORTICO_UPCOMING_RENEWAL_DAYS: days before an automatic renewal `invoice.upcoming` is sent.
 */
export function billingConfig(env: NodeJS.ProcessEnv): BillingSettings {
  const after = env.PORTICO_AFTER_FINAL_RETRY || DEFAULT_BILLING.afterFinalRetry;
  if (after !== 'cancel' && after !== 'unpaid' && after !== 'past_due') {
    throw new ConfigError(`PORTICO_AFTER_FINAL_RETRY: "${after}" must be cancel, unpaid or past_due`);
  }
  const raw = env.PORTICO_PAYMENT_RETRY_DAYS;
  let retryDays = DEFAULT_BILLING.retryDays;
  if (raw !== undefined && raw !== '') {
    retryDays = raw.split(',').map((d) => Number(d.trim()));
    if (!retryDays.every((d, i) => Number.isInteger(d) && d > 0 && (i === 0 || d > retryDays[i - 1]!))) {
      throw new ConfigError(
        `PORTICO_PAYMENT_RETRY_DAYS: "${raw}" must be increasing whole numbers of days, e.g. 3,7,21`,
      );
    }
  }
  const upcoming = env.PORTICO_UPCOMING_RENEWAL_DAYS;
  const upcomingDays =
    upcoming === undefined || upcoming === '' ? DEFAULT_BILLING.upcomingDays : Number(upcoming);
  if (!Number.isInteger(upcomingDays) || upcomingDays < 0 || upcomingDays > 45) {
    throw new ConfigError(
      `PORTICO_UPCOMING_RENEWAL_DAYS: "${upcoming}" must be a whole number of days from 0 to 45`,
    );
  }
  return { retryDays, afterFinalRetry: after, upcomingDays };
}
