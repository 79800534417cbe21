import { type Infer, listParams, p } from '../../core/params.ts';

/** Refund params, as typed by stripe@23.1.0's RefundCreateParams and friends. */

export const createRefundParams = p.object({
  amount: p.integer({ min: 1 }),
  charge: p.string({ max: 5000 }),
  expand: p.array(p.string()),
  instructions_email: p.string({ max: 800 }),
  metadata: p.metadata(),
  payment_intent: p.string({ max: 5000 }),
  reason: p.enumOf(['duplicate', 'fraudulent', 'requested_by_customer']),
  refund_application_fee: p.boolean(),
  reverse_transfer: p.boolean(),
});

export const updateRefundParams = p.object({
  expand: p.array(p.string()),
  metadata: p.metadata(),
});

export const listRefundParams = listParams({
  charge: p.string(),
  payment_intent: p.string(),
});

export type CreateRefundParams = Infer<typeof createRefundParams>;
export type UpdateRefundParams = Infer<typeof updateRefundParams>;
export type ListRefundParams = Infer<typeof listRefundParams>;
