import { type Infer, listParams, p } from '../../core/params.ts';

export const createClockParams = p.object({
  frozen_time: p.required(p.integer({ min: 0 })),
  customer: p.string(),
  expand: p.array(p.string()),
  name: p.string({ max: 300 }),
});

export const advanceClockParams = p.object({
  frozen_time: p.required(p.integer({ min: 0 })),
  expand: p.array(p.string()),
});

export const listClockParams = listParams({});

export type CreateClockParams = Infer<typeof createClockParams>;
export type AdvanceClockParams = Infer<typeof advanceClockParams>;
export type ListClockParams = Infer<typeof listClockParams>;
