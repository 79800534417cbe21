import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { newId } from '../core/ids.ts';
import { API_VERSION } from '../core/version.ts';
import { insertObject } from '../store/objects.ts';
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
  await insertObject(ctx.db, 'events', ctx.scope, event, { type, pending_webhooks: endpoints.length });
  await queueDeliveries(ctx, event.id, endpoints);
  return event;
}
