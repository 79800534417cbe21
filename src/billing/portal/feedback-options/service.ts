import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { errors } from '../../../core/errors.ts';
import { newId } from '../../../core/ids.ts';
import type { JsonText } from '../../../core/json.ts';
import { type ListObject, listJson, pageQuery } from '../../../core/list.ts';
import { type Filter, findObject, listObjectTexts, updateObject } from '../../../store/objects.ts';
import type {
  CreateFeedbackOptionParams,
  ListFeedbackOptionParams,
  UpdateFeedbackOptionParams,
} from './params.ts';

type FeedbackOption = Stripe.Billing.FeedbackOption;

/** Stripe does not publish this prefix; Portico's ids are opaque either way. */
export const FEEDBACK_OPTION_PREFIX = 'bfo';

export async function createFeedbackOption(
  ctx: Ctx,
  params: CreateFeedbackOptionParams,
): Promise<FeedbackOption> {
  const option: FeedbackOption = {
    id: newId(FEEDBACK_OPTION_PREFIX),
    object: 'billing.feedback_option',
    description: params.description,
    livemode: ctx.scope.livemode,
    status: 'active',
    status_transitions: { deactivated_at: null },
  };
  // The object has no `created`, but the row keeps one so lists walk newest first.
  await ctx.db
    .insertInto('billing_feedback_options')
    .values({
      id: option.id,
      account_id: ctx.scope.accountId,
      livemode: ctx.scope.livemode ? 1 : 0,
      created: ctx.clock.now(),
      data: JSON.stringify(option),
      status: option.status,
    })
    .execute();
  return option;
}

/** A feedback option for a path (404) or a param (400). */
export async function requireFeedbackOption(ctx: Ctx, id: string, param?: string): Promise<FeedbackOption> {
  const found = await findObject<FeedbackOption>(ctx.db, 'billing_feedback_options', ctx.scope, id);
  if (!found) {
    throw param ? errors.noSuchParam('feedback_option', id, param) : errors.noSuchPath('feedback_option', id);
  }
  return found;
}

export async function updateFeedbackOption(
  ctx: Ctx,
  id: string,
  params: UpdateFeedbackOptionParams,
): Promise<FeedbackOption> {
  const option = await requireFeedbackOption(ctx, id);
  if (params.description !== undefined) option.description = params.description;
  await updateObject(ctx.db, 'billing_feedback_options', ctx.scope, option);
  return option;
}

/** Deactivating is final (there is no reactivation); doing it twice keeps the first time. */
export async function deactivateFeedbackOption(ctx: Ctx, id: string): Promise<FeedbackOption> {
  const option = await requireFeedbackOption(ctx, id);
  if (option.status === 'inactive') return option;
  option.status = 'inactive';
  option.status_transitions = { deactivated_at: ctx.clock.now() };
  await updateObject(ctx.db, 'billing_feedback_options', ctx.scope, option, { status: 'inactive' });
  return option;
}

export async function listFeedbackOptions(
  ctx: Ctx,
  params: ListFeedbackOptionParams,
): Promise<JsonText<ListObject<FeedbackOption>>> {
  const where: Record<string, Filter> = {};
  if (params.status !== undefined) where.status = params.status;
  const page = await listObjectTexts(ctx.db, 'billing_feedback_options', ctx.scope, pageQuery(params), where);
  return listJson<FeedbackOption>(page, '/v1/billing/feedback_options');
}
