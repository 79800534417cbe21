import type { Ctx } from '../../core/context.ts';
import { ctxAt } from '../subscriptions/time.ts';
import { earliestDue, runDueRow } from './due.ts';

/**
 * Advancing a test clock: everything due on it up to `target` runs in time order, each piece at
 * its own moment (events and objects dated on the clock). A piece that does not move its own next
 * action forward would loop; that is a bug, and it is reported rather than spun on.
 */
export async function runClockUntil(ctx: Ctx, clockId: string, target: number): Promise<void> {
  const done = new Set<string>();
  for (;;) {
    const group = await earliestDue(ctx, clockId, target);
    if (group.length === 0) return;
    for (const due of group) {
      const key = `${due.table}:${due.id}:${due.at}`;
      if (done.has(key))
        throw new Error(`billing engine: ${due.table} ${due.id} did not move past ${due.at}`);
      done.add(key);
      await runDueRow(ctxAt(ctx, due.at), due);
    }
  }
}
