import assert from 'node:assert/strict';
import Stripe from 'stripe';
import type { WebhookConfig } from '../../src/config.ts';
import type { Delivery } from '../../src/webhooks/deliveries.ts';
import type { Received, Receiver } from './receiver.ts';

/**
 * Webhook settings small enough for tests: retries within a second, a short timeout, a fast poll,
 * and no endpoint disabled unless a test asks for it.
 */
export function fastWebhooks(overrides: Partial<WebhookConfig> = {}): WebhookConfig {
  return {
    testRetries: [0.2, 0.4],
    liveRetries: [0.2, 0.4],
    timeoutMs: 500,
    disableAfterSeconds: 3600,
    pollMs: 20,
    ...overrides,
  };
}

/** The SDK's own verifier, used for every delivery a test looks at. */
const verifier = new Stripe('sk_test_verifier_only_never_sent');

export function verify(request: Received, secret: string): Stripe.Event {
  const header = request.headers['stripe-signature'];
  assert.equal(typeof header, 'string', 'a delivery carries one Stripe-Signature header');
  return verifier.webhooks.constructEvent(request.body, header as string, secret);
}

/** Every request the receiver got, verified with `secret` (which throws on a bad signature). */
export function verifiedEvents(receiver: Receiver, secret: string): Stripe.Event[] {
  return receiver.received.map((r) => verify(r, secret));
}

/** Polls `check` until it returns a value other than undefined/false, or fails after `ms`. */
export async function waitUntil<T>(
  check: () => T | undefined | false | Promise<T | undefined | false>,
  message: string | (() => string),
  ms = 10_000,
  interval = 20,
): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await check();
    if (value !== undefined && value !== false) return value;
    if (Date.now() > deadline) {
      assert.fail(`not within ${ms} ms: ${typeof message === 'function' ? message() : message}`);
    }
    await new Promise((r) => setTimeout(r, interval));
  }
}

/** Waits until the receiver holds (verified) deliveries of every event id given; returns them all. */
export async function waitForEvents(
  receiver: Receiver,
  secret: string,
  ids: string[],
  ms = 10_000,
): Promise<Stripe.Event[]> {
  return waitUntil(
    () => {
      const events = verifiedEvents(receiver, secret);
      const got = new Set(events.map((e) => e.id));
      return ids.every((id) => got.has(id)) ? events : undefined;
    },
    () => {
      const got = new Set(verifiedEvents(receiver, secret).map((e) => e.id));
      return `received ${ids.filter((id) => got.has(id)).length} of ${ids.length} events (${receiver.received.length} requests)`;
    },
    ms,
  );
}

/** Portico's own GET /v1/portico/webhook_deliveries?event=…, through the SDK's rawRequest. */
export async function listDeliveries(
  stripe: Stripe,
  event: string,
  options?: Stripe.RawRequestOptions,
): Promise<Delivery[]> {
  const list = (await stripe.rawRequest(
    'GET',
    `/v1/portico/webhook_deliveries?event=${encodeURIComponent(event)}`,
    undefined,
    options,
  )) as { object: string; data: Delivery[] };
  assert.equal(list.object, 'list');
  return list.data;
}

/** The deliveries of an event once none is pending any more. */
export async function settledDeliveries(
  stripe: Stripe,
  event: string,
  ms = 10_000,
  options?: Stripe.RawRequestOptions,
): Promise<Delivery[]> {
  let last: Delivery[] = [];
  return waitUntil(
    async () => {
      last = await listDeliveries(stripe, event, options);
      return last.every((d) => d.status !== 'pending') ? last : undefined;
    },
    () => `deliveries of ${event} still pending: ${JSON.stringify(last)}`,
    ms,
  );
}

/** The event ids a receiver got, with how often each arrived. */
export function countById(events: Stripe.Event[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const e of events) counts.set(e.id, (counts.get(e.id) ?? 0) + 1);
  return counts;
}

/** All of the account's events of the given types, oldest first. */
export async function allEvents(
  stripe: Stripe,
  types: string[],
  options?: Stripe.RequestOptions,
): Promise<Stripe.Event[]> {
  const all = await stripe.events.list({ limit: 100, types }, options).autoPagingToArray({ limit: 10_000 });
  return all.reverse();
}
