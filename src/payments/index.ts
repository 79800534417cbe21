import type { Processor } from './processor.ts';
import { simulator } from './simulator.ts';

export type {
  ChargeRequest,
  Decision,
  Decline,
  Processor,
  ProcessorCard,
  SetupRequest,
} from './processor.ts';

/**
 * The processor billing talks to. Cards exist in test mode only (live mode refuses card numbers
 * and has no test cards), so the test-card simulator is the only one there is.
 */
export const processor: Processor = simulator;
