import { resolve } from 'node:path';

/** Where the data lives: an SQLite file (or memory) or a PostgreSQL connection string. */
export type StoreUrl =
  | { kind: 'sqlite'; path: string; display: string }
  | { kind: 'postgres'; url: string; display: string };

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
  };
}
