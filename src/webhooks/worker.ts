import type { Logger } from 'pino';
import type { WebhookConfig } from '../config.ts';
import type { Db, Store } from '../store/database.ts';
import { signatureHeader } from './signature.ts';

/**
 * Delivers pending webhook deliveries. Up to CONCURRENCY requests are in flight at a time; every
 * `pollMs` (and whenever a request finishes) free slots are filled by claiming due rows with a
 * lease (on PostgreSQL with SKIP LOCKED, so several processes never take the same row). Each row
 * is claimed just before its request starts, so a slow receiver holds its own slot and nobody
 * else's. Finished attempts are recorded in batches, one transaction per flush: the attempts, the
 * next try or the outcome, `pending_webhooks`, and endpoints that have failed for too long. A
 * process that dies holds its claims only until their lease runs out; then any process delivers
 * them, so nothing is lost, at the cost of a possible duplicate (receivers deduplicate on
 * `event.id`, as with Stripe).
 */
const CONCURRENCY = 32;
/** How long stopping waits for requests in flight before abandoning them. */
const STOP_GRACE_MS = 1000;
/** Stripe's own User-Agent for webhook requests. */
const USER_AGENT = 'Stripe/1.0 (+https://stripe.com/docs/webhooks)';

interface Claimed {
  id: string;
  event_id: string;
  endpoint_id: string;
  livemode: number;
  attempts: number;
}

interface Endpoint {
  url: string;
  secret: string;
}

type Outcome =
  | { delivery: Claimed; kind: 'canceled' }
  | {
      delivery: Claimed;
      kind: 'succeeded' | 'failed';
      started: number;
      finished: number;
      statusCode: number | null;
      error: string | null;
    };

export class DeliveryWorker {
  private timer: NodeJS.Timeout | undefined;
  private stopped = false;
  private inFlight = 0;
  /** The last claim filled every free slot, so more may be due right now. */
  private backlog = false;
  private claiming: Promise<void> | undefined;
  private attempts = new Set<Promise<void>>();
  /** Finished attempts waiting to be recorded, with the endpoints they were made to. */
  private finished: { outcome: Outcome; endpoint: Endpoint | undefined }[] = [];
  private flushing: Promise<void> | undefined;
  // Stopping gives requests in flight a moment to finish, then aborts the rest rather than wait
  // out a slow receiver: their claims lapse with the lease and they are made again after restart.
  private readonly halt = new AbortController();

  constructor(
    private readonly store: Store,
    private readonly config: WebhookConfig,
    private readonly log: Logger,
  ) {}

  start(): void {
    this.timer = setInterval(() => this.tick(), this.config.pollMs);
    this.timer.unref();
  }

  /** Stops claiming, lets quick requests finish, abandons slow ones, records what finished. */
  async stop(): Promise<void> {
    this.stopped = true;
    clearInterval(this.timer);
    await this.claiming;
    let timer: NodeJS.Timeout | undefined;
    const grace = new Promise((resolve) => {
      timer = setTimeout(resolve, Math.min(STOP_GRACE_MS, this.config.timeoutMs));
    });
    await Promise.race([Promise.all(this.attempts), grace]);
    clearTimeout(timer);
    this.halt.abort();
    await Promise.all(this.attempts);
    await this.flushing;
    await this.flush();
  }

  /** Each tick records what has finished and fills free slots with due deliveries. */
  private tick(): void {
    void this.flush();
    this.fillSlots();
  }

  /** Claims for the free slots; claims never overlap. */
  private fillSlots(): void {
    if (this.claiming || this.stopped) return;
    this.claiming = this.fill()
      .catch((err) => this.log.error({ err }, 'webhook delivery failed'))
      .finally(() => {
        this.claiming = undefined;
      });
  }

  private async fill(): Promise<void> {
    while (!this.stopped && this.inFlight < CONCURRENCY) {
      const free = CONCURRENCY - this.inFlight;
      const claimed = await this.claim(free);
      this.backlog = claimed.length === free;
      if (claimed.length === 0) return;
      const [events, endpoints] = await this.load(claimed);
      for (const delivery of claimed) {
        const endpoint = endpoints.get(delivery.endpoint_id);
        this.inFlight++;
        const attempt = this.attempt(delivery, events.get(delivery.event_id), endpoint)
          .then((outcome) => {
            if (outcome) this.finished.push({ outcome, endpoint });
          })
          .finally(() => {
            this.inFlight--;
            this.attempts.delete(attempt);
            // With a backlog, a freed slot is filled at once rather than at the next tick.
            if (this.backlog) this.fillSlots();
          });
        this.attempts.add(attempt);
      }
    }
  }

  private flush(): Promise<void> {
    if (this.flushing || this.finished.length === 0) return this.flushing ?? Promise.resolve();
    const batch = this.finished;
    this.finished = [];
    this.flushing = this.store
      .write((tx) => this.record(tx, batch))
      .catch((err) => this.log.error({ err }, 'recording webhook deliveries failed'))
      .finally(() => {
        this.flushing = undefined;
      });
    return this.flushing;
  }

  private async claim(limit: number): Promise<Claimed[]> {
    const now = Date.now();
    // Long enough for one attempt and its recording at the next tick; after that a crashed
    // claimer's rows are free again.
    const lease = now + this.config.timeoutMs + this.config.pollMs + 2000;
    return this.store.write(async (tx) => {
      let due = tx
        .selectFrom('webhook_deliveries')
        .select('seq')
        .where('status', '=', 'pending')
        .where('next_attempt_at', '<=', now)
        .where('lease_until', '<', now)
        .orderBy('next_attempt_at')
        .limit(limit);
      if (this.store.dialect === 'postgres') due = due.forUpdate().skipLocked();
      return tx
        .updateTable('webhook_deliveries')
        .set({ lease_until: lease })
        .where('seq', 'in', due)
        .returning(['id', 'event_id', 'endpoint_id', 'livemode', 'attempts'])
        .execute();
    });
  }

  /** The batch's events (as stored JSON) and live endpoints, two queries for the whole batch. */
  private async load(claimed: Claimed[]): Promise<[Map<string, string>, Map<string, Endpoint>]> {
    const db = this.store.read;
    const [events, endpoints] = await Promise.all([
      db
        .selectFrom('events')
        .select(['id', 'data'])
        .where('id', 'in', [...new Set(claimed.map((d) => d.event_id))])
        .execute(),
      db
        .selectFrom('webhook_endpoints')
        .select(['id', 'data', 'secret', 'status', 'deleted'])
        .where('id', 'in', [...new Set(claimed.map((d) => d.endpoint_id))])
        .execute(),
    ]);
    const live = new Map<string, Endpoint>();
    for (const e of endpoints) {
      // Disabling or deleting an endpoint stops its retries.
      if (e.deleted || e.status !== 'enabled') continue;
      const { url } = JSON.parse(e.data) as { url: string };
      live.set(e.id, {
        url,
        secret: e.secret,
      });
    }
    return [new Map(events.map((e) => [e.id, e.data])), live];
  }

  /** One request; undefined when abandoned by `stop` (the claim lapses and it is made again). */
  private async attempt(
    delivery: Claimed,
    body: string | undefined,
    endpoint: Endpoint | undefined,
  ): Promise<Outcome | undefined> {
    if (body === undefined || !endpoint) return { delivery, kind: 'canceled' };
    const started = Date.now();
    let statusCode: number | null = null;
    let error: string | null = null;
    try {
      const response = await fetch(endpoint.url, {
        method: 'POST',
        headers: {
          'content-type': 'application/json; charset=utf-8',
          'user-agent': USER_AGENT,
          'stripe-signature': signatureHeader(body, endpoint.secret),
        },
        body,
        redirect: 'manual',
        signal: AbortSignal.any([AbortSignal.timeout(this.config.timeoutMs), this.halt.signal]),
      });
      statusCode = response.status;
      await response.body?.cancel();
      if (statusCode < 200 || statusCode >= 300) error = `HTTP ${statusCode}`;
    } catch (e) {
      if (this.halt.signal.aborted) return undefined;
      const cause = (e as Error & { cause?: { code?: string } }).cause?.code;
      error =
        (e as Error).name === 'TimeoutError'
          ? `timed out after ${this.config.timeoutMs} ms`
          : (cause ?? String(e));
    }
    return {
      delivery,
      kind: error === null ? 'succeeded' : 'failed',
      started,
      finished: Date.now(),
      statusCode,
      error,
    };
  }

  private async record(tx: Db, batch: { outcome: Outcome; endpoint: Endpoint | undefined }[]): Promise<void> {
    const outcomes = batch.map((b) => b.outcome);
    const endpoints = new Map<string, Endpoint>();
    for (const b of batch) if (b.endpoint) endpoints.set(b.outcome.delivery.endpoint_id, b.endpoint);
    const attempted = outcomes.filter((o) => o.kind !== 'canceled');
    if (attempted.length > 0) {
      await tx
        .insertInto('webhook_attempts')
        .values(
          attempted.map((o) => ({
            delivery_id: o.delivery.id,
            created: o.started,
            status_code: o.statusCode,
            error: o.error,
            duration_ms: o.finished - o.started,
          })),
        )
        .execute();
    }
    const ids = (kind: Outcome['kind']) => outcomes.filter((o) => o.kind === kind).map((o) => o.delivery.id);
    const canceled = ids('canceled');
    if (canceled.length) {
      await tx
        .updateTable('webhook_deliveries')
        .set({ status: 'canceled', lease_until: 0 })
        .where('id', 'in', canceled)
        .execute();
    }
    const succeeded = ids('succeeded');
    if (succeeded.length) {
      await tx
        .updateTable('webhook_deliveries')
        .set((eb) => ({ status: 'succeeded', lease_until: 0, attempts: eb('attempts', '+', 1) }))
        .where('id', 'in', succeeded)
        .execute();
    }
    const now = Date.now();
    for (const o of attempted) {
      if (o.kind !== 'failed') continue;
      const attempts = o.delivery.attempts + 1;
      const schedule = o.delivery.livemode ? this.config.liveRetries : this.config.testRetries;
      const retry = attempts <= schedule.length;
      await tx
        .updateTable('webhook_deliveries')
        .set({
          status: retry ? 'pending' : 'failed',
          attempts,
          lease_until: 0,
          next_attempt_at: retry ? o.finished + schedule[attempts - 1]! * 1000 : o.finished,
        })
        .where('id', '=', o.delivery.id)
        .execute();
    }
    await this.countDelivered(tx, outcomes);
    await this.trackEndpoints(tx, attempted, endpoints, now);
  }

  /** `pending_webhooks` counts the endpoints still waiting for an event. */
  private async countDelivered(tx: Db, outcomes: Outcome[]): Promise<void> {
    const delivered = new Map<string, number>();
    for (const o of outcomes) {
      if (o.kind === 'succeeded')
        delivered.set(o.delivery.event_id, (delivered.get(o.delivery.event_id) ?? 0) + 1);
    }
    if (delivered.size === 0) return;
    let query = tx
      .selectFrom('events')
      .select(['id', 'data'])
      .where('id', 'in', [...delivered.keys()]);
    // Another process may be counting down the same event: lock the rows until the update.
    if (this.store.dialect === 'postgres') query = query.forUpdate();
    const events = await query.execute();
    for (const event of events) {
      const object = JSON.parse(event.data) as { pending_webhooks: number };
      object.pending_webhooks = Math.max(0, object.pending_webhooks - delivered.get(event.id)!);
      await tx
        .updateTable('events')
        .set({ data: JSON.stringify(object), pending_webhooks: object.pending_webhooks })
        .where('id', '=', event.id)
        .execute();
    }
  }

  /**
   * An endpoint's run of failures starts at its first failed attempt and ends at a success; one
   * that has done nothing but fail for `disableAfterSeconds` is disabled, as Stripe does. Decided
   * in SQL, so processes sharing the database agree.
   */
  private async trackEndpoints(
    tx: Db,
    attempted: Extract<Outcome, { started: number }>[],
    endpoints: Map<string, Endpoint>,
    now: number,
  ): Promise<void> {
    const succeeded = new Set(
      attempted.filter((o) => o.kind === 'succeeded').map((o) => o.delivery.endpoint_id),
    );
    const failing = [
      ...new Set(
        attempted
          .filter((o) => o.kind === 'failed' && !succeeded.has(o.delivery.endpoint_id))
          .map((o) => o.delivery.endpoint_id),
      ),
    ];
    if (succeeded.size) {
      await tx
        .updateTable('webhook_endpoints')
        .set({ failing_since: null })
        .where('id', 'in', [...succeeded])
        .where('failing_since', 'is not', null)
        .execute();
    }
    if (failing.length === 0) return;
    await tx
      .updateTable('webhook_endpoints')
      .set({ failing_since: now })
      .where('id', 'in', failing)
      .where('failing_since', 'is', null)
      .execute();
    const expired = await tx
      .selectFrom('webhook_endpoints')
      .select(['id', 'data', 'failing_since'])
      .where('id', 'in', failing)
      .where('status', '=', 'enabled')
      .where('failing_since', '<=', now - this.config.disableAfterSeconds * 1000)
      .execute();
    for (const endpoint of expired) {
      const data = JSON.stringify({ ...(JSON.parse(endpoint.data) as object), status: 'disabled' });
      await tx
        .updateTable('webhook_endpoints')
        .set({ status: 'disabled', data })
        .where('id', '=', endpoint.id)
        .execute();
      const url = endpoints.get(endpoint.id)?.url ?? '';
      this.log.warn(
        { endpoint: endpoint.id, url },
        `webhook endpoint ${endpoint.id} (${url}) disabled: its deliveries have failed since ${new Date(endpoint.failing_since!).toISOString()}`,
      );
    }
  }
}
