import { sql } from 'kysely';
import type { Ctx } from '../core/context.ts';
import { isRefusal } from '../core/errors.ts';
import { dropBufferedEvents, flushBufferedEvents } from '../events/emit.ts';
import { flushDeferredWrites, forgetObjectCache } from '../store/objects.ts';

/** What `undoable` answers when the work was refused and rolled back. */
export class Undone {
  constructor(readonly refusal: unknown) {}
}

/**
 * Runs work inside a savepoint of the current transaction. If the work is refused (a coded
 * refusal, not a bug), everything it did is rolled back, including what it buffered (events,
 * deferred writes, the run's object cache), and the refusal is answered as `Undone`; the
 * transaction goes on. Anything else thrown propagates. Buffered events and deferred writes
 * are written before the savepoint, so a rollback undoes exactly the work's own.
 */
export async function undoable<T>(ctx: Ctx, work: () => Promise<T>): Promise<T | Undone> {
  await flushBufferedEvents(ctx);
  await flushDeferredWrites(ctx.db);
  await sql`savepoint portico_undoable`.execute(ctx.db);
  try {
    const value = await work();
    await sql`release savepoint portico_undoable`.execute(ctx.db);
    return value;
  } catch (error) {
    if (!isRefusal(error)) throw error;
    await sql`rollback to savepoint portico_undoable`.execute(ctx.db);
    await sql`release savepoint portico_undoable`.execute(ctx.db);
    dropBufferedEvents(ctx);
    forgetObjectCache(ctx.db);
    return new Undone(error);
  }
}
