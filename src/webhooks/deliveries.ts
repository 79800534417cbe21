import type { Ctx } from '../core/context.ts';
import { errors } from '../core/errors.ts';
import { type Infer, p } from '../core/params.ts';

/**
 * Delivery attempts of an event (not a Stripe endpoint): `GET /v1/portico/webhook_deliveries?event=`
 * answers each endpoint's delivery with its status and every attempt, so a developer can see why
 * a webhook did not arrive.
 */
export const listDeliveryParams = p.object({ event: p.required(p.string()) });
export type ListDeliveryParams = Infer<typeof listDeliveryParams>;

export interface DeliveryAttempt {
  created: number;
  status_code: number | null;
  error: string | null;
  duration_ms: number;
}

export interface Delivery {
  id: string;
  object: 'portico.webhook_delivery';
  event: string;
  webhook_endpoint: string;
  status: string;
  /** Unix seconds of the next attempt while the delivery is pending; null once settled. */
  next_attempt: number | null;
  attempts: DeliveryAttempt[];
}

export async function listDeliveries(
  ctx: Ctx,
  params: ListDeliveryParams,
): Promise<{ object: 'list'; data: Delivery[]; has_more: false; url: string }> {
  const event = await ctx.db
    .selectFrom('events')
    .select('id')
    .where('id', '=', params.event)
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .executeTakeFirst();
  if (!event) throw errors.noSuchParam('event', params.event, 'event');
  const rows = await ctx.db
    .selectFrom('webhook_deliveries')
    .selectAll()
    .where('event_id', '=', params.event)
    .orderBy('seq')
    .execute();
  const attempts = rows.length
    ? await ctx.db
        .selectFrom('webhook_attempts')
        .selectAll()
        .where(
          'delivery_id',
          'in',
          rows.map((r) => r.id),
        )
        .orderBy('seq')
        .execute()
    : [];
  const data = rows.map(
    (r): Delivery => ({
      id: r.id,
      object: 'portico.webhook_delivery',
      event: r.event_id,
      webhook_endpoint: r.endpoint_id,
      status: r.status,
      next_attempt: r.status === 'pending' ? Math.ceil(r.next_attempt_at / 1000) : null,
      attempts: attempts
        .filter((a) => a.delivery_id === r.id)
        .map((a) => ({
          created: Math.floor(a.created / 1000),
          status_code: a.status_code,
          error: a.error,
          duration_ms: a.duration_ms,
        })),
    }),
  );
  return { object: 'list', data, has_more: false, url: '/v1/portico/webhook_deliveries' };
}
