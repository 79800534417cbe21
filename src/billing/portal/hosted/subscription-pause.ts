import type Stripe from 'stripe';
import type { Ctx } from '../../../core/context.ts';
import { fail } from '../../../core/errors.ts';
import { addInterval } from '../../math/periods.ts';
import { pauseSubscription, resumeSubscription } from '../../subscriptions/pause.ts';
import { clearPauseEnd, schedulePauseEnd } from '../../subscriptions/pause-end.ts';
import type { PortalScope } from './overview.ts';
import { requireActionable } from './subscription-actions.ts';

/**
 * Pausing and resuming in the hosted portal (contract §9.7), through the API's pause and resume:
 * no invoices while paused; an indefinite pause lasts until the customer presses Resume, a
 * preset one resumes by itself when it has elapsed (`pause-end.ts`).
 */

type Interval = 'day' | 'week' | 'month' | 'year';

/** One duration the customer may choose; `resumesAt` null for an indefinite pause. */
export interface PauseChoice {
  /** The form's value: `indefinite`, or `<interval>-<count>` (`month-1`). */
  key: string;
  interval: Interval | null;
  count: number | null;
  resumesAt: number | null;
}

/** The durations the configuration offers, each with the moment billing would resume if chosen now. */
export function pauseChoices(config: Stripe.BillingPortal.Configuration, now: number): PauseChoice[] {
  const duration = config.features.subscription_pause.duration;
  if (duration.type !== 'interval_options') {
    return [{ key: 'indefinite', interval: null, count: null, resumesAt: null }];
  }
  return duration.interval_options.map((option) => {
    const interval = option.interval as Interval;
    return {
      key: `${interval}-${option.interval_count}`,
      interval,
      count: option.interval_count,
      resumesAt: addInterval(now, interval, option.interval_count, 1),
    };
  });
}

/**
 * Pauses for the chosen duration, as `POST /v1/subscriptions/:id/pause` does by default (the
 * unused time of the period credited as a pending item; `customer.subscription.paused`), and
 * records when a preset pause ends. A duration the configuration does not offer is refused.
 */
export async function pauseFromPortal(
  ctx: Ctx,
  portal: PortalScope,
  id: string,
  key: string | undefined,
): Promise<{ subscription: Stripe.Subscription; resumesAt: number | null }> {
  await requireActionable(ctx, portal, id, 'pause');
  const choice = pauseChoices(portal.configuration, ctx.clock.now()).find((c) => c.key === key);
  if (!choice) throw fail('portal_pause_duration_invalid', {}, 'duration');
  const subscription = await pauseSubscription(ctx, id, {});
  if (choice.resumesAt !== null) await schedulePauseEnd(ctx, subscription, choice.resumesAt);
  return { subscription, resumesAt: choice.resumesAt };
}

/**
 * Resumes now, as `POST /v1/subscriptions/:id/resume` does by default: a new period from now,
 * invoiced and charged at once (`customer.subscription.resumed`). A payment that fails leaves it
 * paused with the invoice open, as the API would.
 */
export async function resumeFromPortal(
  ctx: Ctx,
  portal: PortalScope,
  id: string,
): Promise<Stripe.Subscription> {
  await requireActionable(ctx, portal, id, 'resume');
  const resumed = await resumeSubscription(ctx, id, {});
  if (resumed.status !== 'paused') await clearPauseEnd(ctx, id);
  return resumed;
}
