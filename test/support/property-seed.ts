// Loaded before every test file (scripts/test.mjs passes it with --import): every fast-check
// property in the suite runs from one seed, so a failure reproduces exactly. The seed is fixed
// unless PORTICO_TEST_SEED names another; the runner prints the one in use. Shrinking is bounded
// so a failing property reports in seconds rather than minutes.
import fc from 'fast-check';

export const DEFAULT_SEED = 20261028;
export const SEED = Number(process.env.PORTICO_TEST_SEED ?? DEFAULT_SEED);
const seed = SEED;
if (!Number.isSafeInteger(seed))
  throw new Error(`PORTICO_TEST_SEED must be an integer, got ${process.env.PORTICO_TEST_SEED}`);

fc.configureGlobal({ seed, interruptAfterTimeLimit: 30_000, markInterruptAsFailure: true });
