import type { Ctx } from '../core/context.ts';
import { type AppError, fail } from '../core/errors.ts';
import { existsInOtherMode } from '../store/objects.ts';
import type { ObjectTable } from '../store/schema.ts';

/**
 * The refusal for an object in the path that this key cannot see, saying so when the other mode
 * holds it (as Stripe does for a test id used with a live key, and the reverse).
 */
export async function missingObject(
  ctx: Ctx,
  table: ObjectTable,
  kind: string,
  id: string,
): Promise<AppError<'resource_missing'>> {
  const elsewhere = await existsInOtherMode(ctx.db, table, ctx.scope, id);
  const otherMode = ctx.scope.livemode ? 'test' : 'live';
  return fail('resource_missing', elsewhere ? { kind, id, otherMode } : { kind, id }, 'id');
}
