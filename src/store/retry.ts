import { errors } from '../core/errors.ts';
import { ConcurrentUpdate } from './read-versions.ts';

/** How often a transaction that lost a race is run again before the caller is told to retry. */
const ATTEMPTS = 10;

/** PostgreSQL's answers that mean "run the transaction again": serialization failure, deadlock. */
const RETRYABLE_CODES = new Set(['40001', '40P01']);

function lostRace(error: unknown): boolean {
  if (error instanceof ConcurrentUpdate) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && RETRYABLE_CODES.has(code);
}

/**
 * Runs a PostgreSQL write transaction, and again when it lost a race with another one on the same
 * objects (store/read-versions.ts), after a short random pause so the racers spread out; a run
 * after the first locks the objects it reads, so it waits its turn rather than racing again. The work
 * must be safe to run again: everything it changes is inside the transaction, which was rolled
 * back. After the last attempt the caller gets Stripe's `lock_timeout` (429, retry later).
 */
export async function retryingRaces<T>(run: (attempt: number) => Promise<T>): Promise<T> {
  for (let attempt = 1; ; attempt++) {
    try {
      return await run(attempt);
    } catch (error) {
      if (!lostRace(error)) throw error;
      if (attempt >= ATTEMPTS) throw errors.lockTimeout();
      await new Promise((resolve) => setTimeout(resolve, Math.random() * 10 * attempt));
    }
  }
}
