import { type Infer, listParams, p } from '../../core/params.ts';

const CODE = /^[A-Za-z0-9]+$/;
const currency = p.string({
  max: 3,
  pattern: /^[A-Za-z]{3}$/,
  patternMessage: 'Invalid currency: use a three-letter ISO code',
});

export const createPromotionCodeParams = p.object({
  promotion: p.required(p.object({ type: p.required(p.enumOf(['coupon'])), coupon: p.string() })),
  active: p.boolean(),
  code: p.string({ max: 500, pattern: CODE, patternMessage: 'Invalid code: use only letters and digits' }),
  customer: p.string(),
  customer_account: p.string(),
  expand: p.array(p.string()),
  expires_at: p.integer({ min: 0 }),
  max_redemptions: p.integer({ min: 1 }),
  metadata: p.metadata(),
  restrictions: p.object({
    first_time_transaction: p.boolean(),
    minimum_amount: p.integer({ min: 0 }),
    minimum_amount_currency: currency,
  }),
});

export const updatePromotionCodeParams = p.object({
  active: p.boolean(),
  expand: p.array(p.string()),
  metadata: p.metadata(),
});

export const listPromotionCodeParams = listParams({
  active: p.boolean(),
  code: p.string({ max: 500 }),
  coupon: p.string(),
  customer: p.string(),
  customer_account: p.string(),
});

export type CreatePromotionCodeParams = Infer<typeof createPromotionCodeParams>;
export type UpdatePromotionCodeParams = Infer<typeof updatePromotionCodeParams>;
export type ListPromotionCodeParams = Infer<typeof listPromotionCodeParams>;
