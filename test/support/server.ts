import Stripe from 'stripe';
import { type App, createApp } from '../../src/app.ts';
import { billingConfig, type Config, mailConfig, parseStoreUrl, webhookConfig } from '../../src/config.ts';
import type { Clock } from '../../src/core/clock.ts';
import { freshStore, type TestStore } from './store.ts';

/** A real Portico listening on an ephemeral loopback port, on a fresh store. */
export interface TestServer {
  app: App;
  port: number;
  baseUrl: string;
  /** The default account's generated test key. */
  key: string;
  store: TestStore;
  /** The official SDK pointed at this server. */
  stripe(key?: string, options?: Stripe.StripeConfig): Stripe;
  close(): Promise<void>;
}

export interface StartOptions {
  clock?: Clock;
  config?: Partial<Config>;
  /** Reuse a store (e.g. to restart on the same data); a fresh one otherwise. */
  store?: TestStore;
  /** Where the server's log lines go; nowhere by default. */
  log?: (line: string) => void;
}

export function testConfig(storeUrl: string, overrides: Partial<Config> = {}): Config {
  return {
    port: 0,
    host: '127.0.0.1',
    store: parseStoreUrl(storeUrl),
    secretKey: undefined,
    liveSecretKey: undefined,
    publicUrl: 'http://localhost:4242',
    strictApiVersion: false,
    logRequests: false,
    webhooks: webhookConfig({}),
    billing: billingConfig({}),
    billingPollMs: 1000,
    portalFrameAncestors: [],
    mail: mailConfig({}),
    portalMultiItemUpdates: false,
    ...overrides,
  };
}

export function sdk(port: number, key: string, options: Stripe.StripeConfig = {}): Stripe {
  return new Stripe(key, { host: '127.0.0.1', port, protocol: 'http', maxNetworkRetries: 0, ...options });
}

export async function startServer(options: StartOptions = {}): Promise<TestServer> {
  const store = options.store ?? freshStore();
  const app = await createApp(testConfig(store.url, options.config), {
    clock: options.clock,
    log: options.log ?? (process.env.PORTICO_TEST_LOG ? (line) => console.error(line) : () => undefined),
  });
  await app.server.listen({ port: 0, host: '127.0.0.1' });
  const address = app.server.server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    app,
    port,
    baseUrl: `http://127.0.0.1:${port}`,
    key: app.boot.secretKey,
    store,
    stripe: (key, opts) => sdk(port, key ?? app.boot.secretKey, opts),
    async close() {
      await app.close();
      if (!options.store) await store.dispose();
    },
  };
}

/** A raw HTTP call, for what the SDK cannot send (bad bodies, odd headers). */
export async function call(
  server: TestServer,
  method: string,
  path: string,
  init: { body?: string | Buffer; headers?: Record<string, string>; key?: string | null } = {},
): Promise<{
  status: number;
  headers: Headers;
  json: Record<string, unknown> & { error?: Record<string, string> };
}> {
  const headers: Record<string, string> = { ...init.headers };
  const key = init.key === undefined ? server.key : init.key;
  if (key !== null) headers.authorization ??= `Bearer ${key}`;
  if (init.body !== undefined) headers['content-type'] ??= 'application/x-www-form-urlencoded';
  const body =
    typeof init.body === 'string' || init.body === undefined ? init.body : new Uint8Array(init.body);
  const response = await fetch(`${server.baseUrl}${path}`, { method, headers, body });
  const text = await response.text();
  return { status: response.status, headers: response.headers, json: JSON.parse(text) };
}
