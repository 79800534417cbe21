import { type Infer, p } from '../../../core/params.ts';
import { pageParams } from '../list-params.ts';

/** What customers read when they cancel: 1 to 100 characters. */
const description = () => p.string({ max: 100 });

export const createFeedbackOptionParams = p.object({
  description: p.required(description()),
  expand: p.array(p.string()),
});

export const updateFeedbackOptionParams = p.object({
  description: description(),
  expand: p.array(p.string()),
});

export const listFeedbackOptionParams = pageParams({
  status: p.enumOf(['active', 'inactive']),
});

export type CreateFeedbackOptionParams = Infer<typeof createFeedbackOptionParams>;
export type UpdateFeedbackOptionParams = Infer<typeof updateFeedbackOptionParams>;
export type ListFeedbackOptionParams = Infer<typeof listFeedbackOptionParams>;
