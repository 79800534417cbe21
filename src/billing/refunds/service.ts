import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { type Filter, listObjectTexts } from '../../store/objects.ts';
import { createRefund } from './create.ts';
import type { CreateRefundParams, ListRefundParams, UpdateRefundParams } from './params.ts';
import { requireRefund, saveRefund } from './store.ts';

type Refund = Stripe.Refund;

/**
 * `POST /v1/refunds`. `refund_application_fee` and `reverse_transfer` are accepted and change
 * nothing: Portico takes no application fees and makes no transfers.
 */
export function createRefundFromApi(ctx: Ctx, params: CreateRefundParams): Promise<Refund> {
  return createRefund(ctx, {
    charge: params.charge,
    payment_intent: params.payment_intent,
    amount: params.amount,
    reason: params.reason,
    metadata: params.metadata,
    instructions_email: params.instructions_email,
  });
}

export function retrieveRefund(ctx: Ctx, id: string): Promise<Refund> {
  return requireRefund(ctx, id);
}

/** `POST /v1/refunds/:id`: metadata only, as on Stripe; `refund.updated`. */
export async function updateRefund(ctx: Ctx, id: string, params: UpdateRefundParams): Promise<Refund> {
  const before = await requireRefund(ctx, id);
  const refund: Refund = { ...before, metadata: mergeMetadata(before.metadata ?? {}, params.metadata) };
  await saveRefund(ctx, refund);
  await emitEvent(ctx, 'refund.updated', refund, { before });
  return refund;
}

/**
 * `POST /v1/refunds/:id/cancel`: Stripe cancels only refunds waiting for an action
 * (`requires_action`); card refunds succeed at once, so every refund here is refused.
 */
export async function cancelRefund(ctx: Ctx, id: string): Promise<Refund> {
  const refund = await requireRefund(ctx, id);
  throw fail('refund_not_cancelable', { status: refund.status ?? 'succeeded' });
}

/** `GET /v1/refunds`: newest first, by `charge`, `payment_intent` and `created`. */
export async function listRefunds(ctx: Ctx, params: ListRefundParams): Promise<JsonText<ListObject<Refund>>> {
  const where: Record<string, Filter> = {};
  if (params.charge !== undefined) where.charge = params.charge;
  if (params.payment_intent !== undefined) where.payment_intent = params.payment_intent;
  const page = await listObjectTexts(ctx.db, 'refunds', ctx.scope, pageQuery(params), where);
  return listJson<Refund>(page, '/v1/refunds');
}
