import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { requireFeedbackOption } from '../portal/feedback-options/service.ts';
import type { CancelSubscriptionParams } from './params.ts';

type Details = Stripe.Subscription.CancellationDetails;
type SentDetails = NonNullable<CancelSubscriptionParams['cancellation_details']>;

const PARAM = 'cancellation_details[feedback_option]';

/**
 * `cancellation_details` after a request: sent fields replace (`''` clears `comment` and
 * `feedback`), the rest stay. `feedback_option` must name an active feedback option of the mode,
 * the same rule the portal's configurations keep.
 */
export async function mergeCancellationDetails(
  ctx: Ctx,
  current: Details | null | undefined,
  sent: SentDetails,
): Promise<Details> {
  const details: Details = current
    ? { ...current }
    : { comment: null, feedback: null, feedback_option: null, reason: null };
  if (sent.comment !== undefined) details.comment = sent.comment;
  if (sent.feedback !== undefined) details.feedback = sent.feedback;
  if (sent.feedback_option !== undefined) {
    const option = await requireFeedbackOption(ctx, sent.feedback_option, PARAM);
    if (option.status !== 'active') {
      throw fail('subscription_feedback_option_inactive', { option: option.id }, PARAM);
    }
    details.feedback_option = option.id;
  }
  return details;
}
