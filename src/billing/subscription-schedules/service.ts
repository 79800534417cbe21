import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery } from '../../core/list.ts';
import { type Filter, listObjectTexts } from '../../store/objects.ts';
import { requireCustomer } from '../customers/service.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { cancel, release } from './lifecycle.ts';
import type { CancelScheduleParams, ListScheduleParams, ReleaseScheduleParams } from './params.ts';
import { idOf, isOpen, notOpen, requireSchedule } from './store.ts';

type Schedule = Stripe.SubscriptionSchedule;

async function openForChange(
  base: Ctx,
  id: string,
  action: string,
): Promise<{ ctx: Ctx; schedule: Schedule }> {
  const schedule = await requireSchedule(base, id);
  if (!isOpen(schedule)) throw notOpen(schedule, action);
  const customer = await requireCustomer(base, idOf(schedule.customer)!);
  return { ctx: await ctxForCustomer(base, customer), schedule };
}

/**
 * `POST /v1/subscription_schedules/:id/release`: the schedule stops; its subscription (if it has
 * started one) carries on alone and is named in `released_subscription`.
 */
export async function releaseSchedule(
  base: Ctx,
  id: string,
  params: ReleaseScheduleParams,
): Promise<Schedule> {
  const { ctx, schedule } = await openForChange(base, id, 'release');
  await release(ctx, schedule, structuredClone(schedule), {
    preserveCancelDate: params.preserve_cancel_date ?? false,
  });
  return schedule;
}

/**
 * `POST /v1/subscription_schedules/:id/cancel`: the schedule and its subscription end now. As on
 * Stripe, the unused time is credited (`prorate`) and a final invoice made (`invoice_now`) unless
 * either is set to false.
 */
export async function cancelSchedule(base: Ctx, id: string, params: CancelScheduleParams): Promise<Schedule> {
  const { ctx, schedule } = await openForChange(base, id, 'cancel');
  await cancel(ctx, schedule, structuredClone(schedule), {
    prorate: params.prorate ?? true,
    invoiceNow: params.invoice_now ?? true,
  });
  return schedule;
}

function bounds(column: string, value: ListScheduleParams['canceled_at'], where: Record<string, Filter>) {
  if (value === undefined) return;
  where[column] = typeof value === 'number' ? value : { range: value };
}

/**
 * `GET /v1/subscription_schedules`: by customer, by the dates they were canceled, completed or
 * released, and `scheduled` (true: not started yet; false: started).
 */
export async function listSchedules(
  ctx: Ctx,
  params: ListScheduleParams,
): Promise<JsonText<ListObject<Schedule>>> {
  if (params.customer_account !== undefined) {
    throw fail('customer_account_unsupported', {}, 'customer_account');
  }
  const where: Record<string, Filter> = {};
  if (params.customer !== undefined) where.customer = params.customer;
  if (params.scheduled === true) where.status = 'not_started';
  if (params.scheduled === false) where.status = { in: ['active', 'completed', 'released', 'canceled'] };
  bounds('canceled_at', params.canceled_at, where);
  bounds('completed_at', params.completed_at, where);
  bounds('released_at', params.released_at, where);
  const page = await listObjectTexts(ctx.db, 'subscription_schedules', ctx.scope, pageQuery(params), where);
  return listJson<Schedule>(page, '/v1/subscription_schedules');
}
