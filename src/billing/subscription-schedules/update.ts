import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCustomer } from '../customers/service.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { applyPhase, syncCancelDate } from './apply.ts';
import { begin, currentIndex, enter, finish, openSubscription } from './lifecycle.ts';
import type { PhaseParams, UpdateScheduleParams } from './params.ts';
import { buildPhases, type PhaseContext, samePhase } from './phases.ts';
import { mergeSettings } from './settings.ts';
import { idOf, isOpen, notOpen, requireSchedule, saveSchedule } from './store.ts';

type Schedule = Stripe.SubscriptionSchedule;
type Phase = Stripe.SubscriptionSchedule.Phase;

const stamp = (value: number | 'now' | undefined, now: number) => (value === 'now' ? now : value);

/** A schedule that has not started: its phases are replaced whole; `start_date=now` starts it. */
async function futurePhases(
  ctx: Ctx,
  found: Schedule,
  sent: PhaseParams[],
  pc: PhaseContext,
): Promise<Phase[]> {
  const firstStart = stamp(sent[0]!.start_date, pc.now) ?? found.phases[0]!.start_date;
  if (firstStart < pc.now) {
    throw fail('schedule_first_phase_past', {}, 'phases[0][start_date]');
  }
  return buildPhases(ctx, sent, firstStart, pc);
}

/**
 * An active schedule: phases that have ended may be left out (they are kept) or sent unchanged;
 * the current phase must be sent, keeping its start; it may end `now`, which begins the next one.
 * Returns the new phases and the index of the current one.
 */
async function activePhases(
  ctx: Ctx,
  found: Schedule,
  sent: PhaseParams[],
  pc: PhaseContext,
): Promise<{ phases: Phase[]; current: number }> {
  const currentStart = found.current_phase!.start_date;
  const firstStart = stamp(sent[0]!.start_date, pc.now) ?? currentStart;
  const built = await buildPhases(ctx, sent, firstStart, pc);
  const past = found.phases.filter((p) => p.end_date <= currentStart);
  const phases = [...past];
  let current = -1;
  for (const [i, phase] of built.entries()) {
    if (phase.end_date <= currentStart) {
      const stored = past.find((p) => p.start_date === phase.start_date);
      if (!stored || !samePhase(stored, phase)) {
        throw fail('schedule_phase_ended', {}, `phases[${i}]`);
      }
      continue;
    }
    if (phase.start_date < currentStart || (current < 0 && phase.start_date > currentStart)) {
      throw fail('schedule_current_phase_moved', { start: currentStart }, `phases[${i}][start_date]`);
    }
    if (phase.start_date === currentStart) {
      const endsNow = sent[i]!.end_date === 'now';
      if (phase.end_date < pc.now || (phase.end_date === pc.now && !endsNow)) {
        throw fail('schedule_current_phase_end_past', {}, `phases[${i}][end_date]`);
      }
      current = phases.length;
    }
    phases.push(phase);
  }
  if (current < 0) {
    throw fail('schedule_current_phase_missing', { start: currentStart }, 'phases');
  }
  return { phases, current };
}

/**
 * `POST /v1/subscription_schedules/:id`. `phases` replaces the phases (see above), `end_behavior`,
 * `default_settings` and `metadata` change what they name. Changes to the current phase are put
 * on the subscription now, prorated by `proration_behavior` (default `create_prorations`).
 */
export async function updateSchedule(base: Ctx, id: string, params: UpdateScheduleParams): Promise<Schedule> {
  const found = await requireSchedule(base, id);
  if (!isOpen(found)) throw notOpen(found, 'update');
  const customer = await requireCustomer(base, idOf(found.customer)!);
  const ctx = await ctxForCustomer(base, customer);
  const now = ctx.clock.now();
  const schedule = structuredClone(found);
  schedule.metadata = mergeMetadata(schedule.metadata ?? {}, params.metadata);
  if (params.end_behavior !== undefined) schedule.end_behavior = params.end_behavior;
  schedule.default_settings = await mergeSettings(
    ctx,
    schedule.default_settings,
    params.default_settings,
    customer,
  );
  const sub = await openSubscription(ctx, found);
  const pc: PhaseContext = {
    customer,
    now,
    defaults: schedule.default_settings,
    discounts: sub?.discounts.map((d) => idOf(d)!) ?? [],
    currency: sub?.currency ?? null,
    taxRates: found.phases.flatMap((ph) => [
      ...(ph.default_tax_rates ?? []),
      ...ph.items.flatMap((item) => item.tax_rates ?? []),
    ]),
  };
  let finishing = false;
  if (params.phases !== undefined && params.phases.length > 0) {
    if (found.status === 'not_started') {
      schedule.phases = await futurePhases(ctx, found, params.phases, pc);
      if (schedule.phases[0]!.start_date <= now) await begin(ctx, schedule, { offSession: false });
    } else {
      const { phases, current } = await activePhases(ctx, found, params.phases, pc);
      schedule.phases = phases;
      const phase = phases[current]!;
      if (phase.end_date > now) {
        await applyPhase(ctx, schedule, phase, {
          entering: false,
          previous: found.phases[currentIndex(found)],
          proration: params.proration_behavior ?? 'create_prorations',
          offSession: false,
        });
        schedule.current_phase = { start_date: phase.start_date, end_date: phase.end_date };
      } else if (current + 1 < phases.length) {
        await enter(ctx, schedule, current + 1, { proration: params.proration_behavior, offSession: false });
      } else finishing = true;
    }
  }
  if (finishing) {
    await finish(ctx, schedule, found);
    return schedule;
  }
  await syncCancelDate(ctx, schedule, found.end_behavior === 'cancel');
  await saveSchedule(ctx, schedule);
  await emitEvent(ctx, 'subscription_schedule.updated', schedule, { before: found });
  return schedule;
}
