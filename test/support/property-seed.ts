// Loaded before every test file (scripts/test.mjs passes it with --import): every fast-check
// property in the suite runs from one seed, so a failure reproduces exactly. The seed is fixed
// unless PORTICO_TEST_SEED names another; the runner prints the one in use. A property runs at
// most a minute: a failure found by then is reported with the smallest counterexample shrunk so
// far (bounded shrinking, seconds rather than minutes), while runs cut short on a slow, busy
// machine count as passed rather than turning CI red by chance.
import fc from 'fast-check';

export const DEFAULT_SEED = 20261028;
export const SEED = Number(process.env.PORTICO_TEST_SEED ?? DEFAULT_SEED);
const seed = SEED;
if (!Number.isSafeInteger(seed))
  throw new Error(`PORTICO_TEST_SEED must be an integer, got ${process.env.PORTICO_TEST_SEED}`);

fc.configureGlobal({ seed, interruptAfterTimeLimit: 60_000, markInterruptAsFailure: false });
