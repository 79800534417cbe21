import type { WebhookConfig } from '../config.ts';
import type { Db, Store } from '../store/database.ts';
import type { DeliveryStatus } from '../store/schema.ts';
import { signatureHeader } from './signature.ts';

/**
 * Delivers pending webhook deliveries. Every `pollMs` it claims due rows by setting a lease (on
 * PostgreSQL with SKIP LOCKED, so several processes never take the same row), posts each event
 * signed with its endpoint's secret, records the attempt, and schedules the next try or settles
 * the delivery. A process that dies holds its claims only until their lease runs out; then any
 * process picks them up again, so nothing is lost, at the cost of a possible duplicate (receivers
 * deduplicate on `event.id`, as with Stripe).
 */
const BATCH = 50;
const CONCURRENCY = 32;
/** Stripe's own User-Agent for webhook requests. */
const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';

interface Claimed {
  id: string;
  event_id: string;
  endpoint_id: string;
  livemode: number;
  attempts: number;
}

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> | undefined;
  private stopped = false;

  constructor(
    private readonly store: Store,
    private readonly config: WebhookConfig,
    private readonly log: (line: string) => void,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.poll(), this.config.pollMs);
    this.timer.unref();
  }

  /** Stops claiming and waits for the deliveries in flight. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.running;
  }

  /** One pass: claims and delivers until nothing is due. Passes never overlap. */
  poll(): Promise<void> {
    if (!this.running && !this.stopped) {
      this.running = this.drain()
        .catch((e) => this.log(`portico: webhook delivery pass failed: ${(e as Error).stack ?? e}`))
        .finally(() => {
          this.running = undefined;
        });
    }
    return this.running ?? Promise.resolve();
  }

  private async drain(): Promise<void> {
    while (!this.stopped) {
      const claimed = await this.claim();
      if (claimed.length === 0) return;
      let next = 0;
      const lane = async () => {
        while (next < claimed.length) await this.deliver(claimed[next++]!);
      };
      await Promise.all(Array.from({ length: Math.min(CONCURRENCY, claimed.length) }, lane));
      if (claimed.length < BATCH) return;
    }
  }

  private async claim(): Promise<Claimed[]> {
    const now = Date.now();
    // Long enough for one attempt; after that a crashed claimer's rows are free again.
    const lease = now + this.config.timeoutMs + 1000;
    return this.store.write(async (tx) => {
      let due = tx
        .selectFrom('webhook_deliveries')
        .select('seq')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where('lease_until', '<', now)
        .orderBy('next_attempt_at')
        .limit(BATCH);
      if (this.store.dialect === 'postgres') due = due.forUpdate().skipLocked();
      return tx
        .updateTable('webhook_deliveries')
        .set({ lease_until: lease })
        .where('seq', 'in', due)
        .returning(['id', 'event_id', 'endpoint_id', 'livemode', 'attempts'])
        .execute();
    });
  }

  private async deliver(delivery: Claimed): Promise<void> {
    const db = this.store.read;
    const [event, endpoint] = await Promise.all([
      db.selectFrom('events').select('data').where('id', '=', delivery.event_id).executeTakeFirst(),
      db
        .selectFrom('webhook_endpoints')
        .select(['data', 'secret', 'status', 'deleted'])
        .where('id', '=', delivery.endpoint_id)
        .executeTakeFirst(),
    ]);
    // Disabling or deleting an endpoint stops its retries.
    if (!event || !endpoint || endpoint.deleted || endpoint.status !== 'enabled') {
      await this.store.write((tx) => this.settle(tx, delivery, 'canceled'));
      return;
    }
    const url = (JSON.parse(endpoint.data) as { url: string }).url;
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': USER_AGENT,
          'stripe-signature': signatureHeader(event.data, endpoint.secret),
        },
        body: event.data,
        redirect: 'manual',
        signal: AbortSignal.timeout(this.config.timeoutMs),
      });
      statusCode = response.status;
      await response.body?.cancel();
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (e) {
      const cause = (e as Error & { cause?: { code?: string } }).cause;
      error =
        (e as Error).name === 'TimeoutError'
          ? `timed out after ${this.config.timeoutMs} ms`
          : (cause?.code ?? String(e));
    }
    const finished = Date.now();
    await this.store.write(async (tx) => {
      await tx
        .insertInto('webhook_attempts')
        .values({
          delivery_id: delivery.id,
          created: started,
          status_code: statusCode,
          error,
          duration_ms: finished - started,
        })
        .execute();
      if (error === null) await this.succeed(tx, delivery);
      else await this.fail(tx, delivery, finished, url);
    });
  }

  private async settle(
    tx: Db,
    delivery: Claimed,
    status: DeliveryStatus,
    attempts = delivery.attempts,
  ): Promise<void> {
    await tx
      .updateTable('webhook_deliveries')
      .set({ status, attempts, lease_until: 0 })
      .where('id', '=', delivery.id)
      .execute();
  }

  private async succeed(tx: Db, delivery: Claimed): Promise<void> {
    await this.settle(tx, delivery, 'succeeded', delivery.attempts + 1);
    await tx
      .updateTable('webhook_endpoints')
      .set({ failing_since: null })
      .where('id', '=', delivery.endpoint_id)
      .execute();
    // `pending_webhooks` counts the endpoints still waiting for this event.
    const event = await tx
      .selectFrom('events')
      .select('data')
      .where('id', '=', delivery.event_id)
      .executeTakeFirst();
    if (event) {
      const object = JSON.parse(event.data) as { pending_webhooks: number };
      object.pending_webhooks = Math.max(0, object.pending_webhooks - 1);
      await tx
        .updateTable('events')
        .set({ data: JSON.stringify(object) })
        .where('id', '=', delivery.event_id)
        .execute();
    }
  }

  private async fail(tx: Db, delivery: Claimed, now: number, url: string): Promise<void> {
    const attempts = delivery.attempts + 1;
    const schedule = delivery.livemode ? this.config.liveRetries : this.config.testRetries;
    if (attempts <= schedule.length) {
      await tx
        .updateTable('webhook_deliveries')
        .set({ attempts, lease_until: 0, next_attempt_at: now + schedule[attempts - 1]! * 1000 })
        .where('id', '=', delivery.id)
        .execute();
    } else await this.settle(tx, delivery, 'failed', attempts);
    // An endpoint that has done nothing but fail for long enough is disabled, as Stripe does.
    const endpoint = await tx
      .selectFrom('webhook_endpoints')
      .select(['failing_since', 'data'])
      .where('id', '=', delivery.endpoint_id)
      .executeTakeFirst();
    if (!endpoint) return;
    const since = endpoint.failing_since ?? now;
    if (now - since < this.config.disableAfterSeconds * 1000) {
      if (endpoint.failing_since === null) {
        await tx
          .updateTable('webhook_endpoints')
          .set({ failing_since: now })
          .where('id', '=', delivery.endpoint_id)
          .execute();
      }
      return;
    }
    const object = { ...(JSON.parse(endpoint.data) as object), status: 'disabled' };
    await tx
      .updateTable('webhook_endpoints')
      .set({ status: 'disabled', data: JSON.stringify(object) })
      .where('id', '=', delivery.endpoint_id)
      .execute();
    this.log(
      `portico: webhook endpoint ${delivery.endpoint_id} (${url}) disabled: its deliveries have failed since ${new Date(since).toISOString()}`,
    );
  }
}
