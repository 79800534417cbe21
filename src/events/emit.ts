import type Stripe from 'stripe';
import type { BufferedEvent, Ctx } from '../core/context.ts';
import { newId } from '../core/ids.ts';
import { API_VERSION } from '../core/version.ts';
import { insertObject, insertObjects, withObjectCache } from '../store/objects.ts';
import { endpointsFor, queueDeliveries } from '../webhooks/fanout.ts';
import { previousAttributes } from './diff.ts';

export type EventType = Stripe.Event['type'];

interface EmitOptions {
  /** The object before an update: `previous_attributes` is derived from it. */
  before?: object;
}

/**
 * Writes one event into the log on the caller's database handle, with a pending delivery for each
 * webhook endpoint that wants it, so that all of it commits or rolls back with the change it
 * describes.
 */
export async function emitEvent(
  ctx: Ctx,
  type: EventType,
  object: { id: string },
  options: EmitOptions = {},
): Promise<Stripe.Event> {
  const data: Stripe.Event.Data = { object: object as Stripe.Event.Data.Object };
  if (options.before) {
    data.previous_attributes = previousAttributes(
      options.before as Record<string, unknown>,
      object as Record<string, unknown>,
    ) as Stripe.Event.Data.PreviousAttributes;
  }
  const endpoints = await endpointsFor(ctx, type);
  const event = {
    id: newId('evt'),
    object: 'event',
    api_version: API_VERSION,
    created: ctx.clock.now(),
    data,
    livemode: ctx.scope.livemode,
    pending_webhooks: endpoints.length,
    request: { id: ctx.request.id, idempotency_key: ctx.request.idempotency_key },
    type,
    ...(ctx.connectedAccount ? { account: ctx.connectedAccount } : {}),
  } as Stripe.Event;
  const extra = { type, pending_webhooks: endpoints.length };
  if (!ctx.eventBuffer) await insertObject(ctx.db, 'events', ctx.scope, event, extra);
  else if (ctx.eventBuffer.push({ event, extra }) >= FLUSH_EVERY) await flushEvents(ctx, ctx.eventBuffer);
  await queueDeliveries(ctx, event.id, endpoints);
  return event;
}

/**
 * Runs work that emits many events (a clock advance renewing thousands of subscriptions) with its
 * events written together at the end, many rows per statement, in the same transaction: on
 * PostgreSQL each statement is a round trip. If the work fails, nothing is written at all.
 */
export async function withBufferedEvents<T>(ctx: Ctx, work: (ctx: Ctx) => Promise<T>): Promise<T> {
  if (ctx.eventBuffer) return work(ctx);
  const buffer: BufferedEvent[] = [];
  // The same run reads back the few objects it keeps changing: answered from memory.
  const result = await withObjectCache(ctx.db, () => work({ ...ctx, eventBuffer: buffer }));
  await flushEvents(ctx, buffer);
  return result;
}

/**
 * For work that may be undone by rolling back to a savepoint: buffered events are written first,
 * so that what the undone work buffers can be dropped with `dropBufferedEvents`.
 */
export async function flushBufferedEvents(ctx: Ctx): Promise<void> {
  if (ctx.eventBuffer?.length) await flushEvents(ctx, ctx.eventBuffer);
}

export function dropBufferedEvents(ctx: Ctx): void {
  if (ctx.eventBuffer) ctx.eventBuffer.length = 0;
}

/** Buffered events are written a few hundred at a time, so memory stays flat however many there are. */
const FLUSH_EVERY = 200;

async function flushEvents(ctx: Ctx, buffer: BufferedEvent[]): Promise<void> {
  const rows = buffer.splice(0, buffer.length);
  await insertObjects(
    ctx.db,
    'events',
    ctx.scope,
    rows.map((b) => ({ object: b.event, extra: b.extra })),
  );
}
