import { ctxAt } from '../billing/subscriptions/time.ts';
import type { Ctx } from '../core/context.ts';
import { withBufferedEvents } from '../events/emit.ts';
import type { Db, Store } from '../store/database.ts';
import type { Scope } from '../store/objects.ts';
import {
  type Actor,
  actorFor,
  type Environment,
  NO_REQUEST,
  operationContext,
  type RequestInfo,
} from './context.ts';

/** How an automatic piece of work runs: at a moment of its own, with its events written together. */
export interface AutomaticOptions {
  /** The moment the work happens at (a renewal's due time); the server's clock when absent. */
  at?: number;
  /**
   * Takes the work inside its transaction before anything else runs (a row lock that another
   * process may hold); when it answers false the work is not done.
   */
  claim?: (db: Db) => Promise<boolean>;
}

/**
 * Runs operations: the one place that opens transactions for the API, the portal pages and the
 * workers. A write is one transaction for the change and its events (they commit together or not
 * at all); a read runs on committed data. Transports never open a transaction or build a context
 * themselves.
 */
export class Operations {
  constructor(
    readonly store: Store,
    readonly env: Environment,
  ) {}

  /** The context of an operation on a handle the caller already holds (idempotent requests). */
  context(db: Db, actor: Actor, request: RequestInfo = NO_REQUEST): Ctx {
    return operationContext(this.env, db, actor, request);
  }

  /** Work that only reads, on committed data (the store's reader). */
  read<T>(actor: Actor, request: RequestInfo, work: (ctx: Ctx) => Promise<T>): Promise<T> {
    return work(this.context(this.store.read, actor, request));
  }

  /** A change and its events, in one write transaction. */
  write<T>(actor: Actor, request: RequestInfo, work: (ctx: Ctx) => Promise<T>): Promise<T> {
    return this.store.write((tx) => work(this.context(tx, actor, request)));
  }

  /**
   * Automatic work on one account's objects (a renewal, an expiry, a sweep) in its own write
   * transaction: no request, its actor looked up in the store, dated `at` when given, with the
   * events it emits written together at the end and the objects it keeps changing read back from
   * memory (events/emit.ts `withBufferedEvents`). Answers whether the work ran.
   */
  automatic(
    scope: Scope,
    work: (ctx: Ctx) => Promise<unknown>,
    options: AutomaticOptions = {},
  ): Promise<boolean> {
    return this.store.write(async (tx) => {
      if (options.claim && !(await options.claim(tx))) return false;
      const ctx = this.context(tx, await actorFor(tx, scope));
      await withBufferedEvents(options.at === undefined ? ctx : ctxAt(ctx, options.at), work);
      return true;
    });
  }
}
