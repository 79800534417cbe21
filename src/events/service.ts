import type Stripe from 'stripe';
import type { Ctx } from '../core/context.ts';
import { errors, fail } from '../core/errors.ts';
import type { JsonText } from '../core/json.ts';
import { type ListObject, listJson, pageQuery, type RangeFilter } from '../core/list.ts';
import { type Infer, listParams, p } from '../core/params.ts';
import { type Filter, findObject, listObjectTexts } from '../store/objects.ts';

/** Events are served for 30 days, as on Stripe. */
export const EVENT_RETENTION_SECONDS = 30 * 24 * 60 * 60;

export const listEventParams = listParams({
  delivery_success: p.boolean(),
  type: p.string(),
  types: p.array(p.string(), { max: 20 }),
});
export type ListEventParams = Infer<typeof listEventParams>;

export async function retrieveEvent(ctx: Ctx, id: string): Promise<Stripe.Event> {
  const event = await findObject<Stripe.Event>(ctx.db, 'events', ctx.scope, id);
  if (!event || event.created < ctx.clock.now() - EVENT_RETENTION_SECONDS)
    throw errors.noSuchPath('event', id);
  return event;
}

/** `type` may end in `*` for a group (`customer.*`); `types[]` lists exact names. */
function typeFilter(params: ListEventParams): Filter | undefined {
  if (params.type !== undefined && params.types !== undefined)
    throw errors.parametersExclusive('type', 'types');
  if (params.types !== undefined) return { in: params.types };
  const type = params.type;
  if (type === undefined) return undefined;
  const star = type.indexOf('*');
  if (star < 0) return type;
  if (star !== type.length - 1) {
    throw fail('event_type_wildcard_invalid', {}, 'type');
  }
  return { prefix: type.slice(0, -1) };
}

export async function listEvents(
  ctx: Ctx,
  params: ListEventParams,
): Promise<JsonText<ListObject<Stripe.Event>>> {
  const where: Record<string, Filter> = {};
  const type = typeFilter(params);
  if (type !== undefined) where.type = type;
  // Delivered to every endpoint that wanted it (true), or still waiting for, or given up on, one.
  if (params.delivery_success !== undefined) where.pending_webhooks = params.delivery_success ? 0 : { gt: 0 };
  const query = pageQuery(params);
  const oldest = ctx.clock.now() - EVENT_RETENTION_SECONDS;
  const created: RangeFilter = { ...query.created };
  if (created.gte === undefined || created.gte < oldest) created.gte = oldest;
  const page = await listObjectTexts(ctx.db, 'events', ctx.scope, { ...query, created }, where);
  return listJson<Stripe.Event>(page, '/v1/events');
}
