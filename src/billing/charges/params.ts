import { type Infer, listParams, p, searchParams } from '../../core/params.ts';

/** Charge params, as typed by stripe@23.1.0's ChargeUpdateParams and friends. */

export const updateChargeParams = p.object({
  customer: p.string({ max: 5000 }),
  description: p.clearable(p.string({ max: 1000 })),
  expand: p.array(p.string()),
  fraud_details: p.object({ user_report: p.required(p.clearable(p.enumOf(['fraudulent', 'safe']))) }),
  metadata: p.metadata(),
  receipt_email: p.string({ max: 800 }),
});

export const listChargeParams = listParams({
  customer: p.string(),
  payment_intent: p.string(),
  transfer_group: p.string(),
});

export const searchChargeParams = searchParams();

export type UpdateChargeParams = Infer<typeof updateChargeParams>;
export type ListChargeParams = Infer<typeof listChargeParams>;
export type SearchChargeParams = Infer<typeof searchChargeParams>;
