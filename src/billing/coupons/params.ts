import { type Infer, listParams, p } from '../../core/params.ts';

export const createCouponParams = p.object({
  amount_off: p.integer({ min: 1 }),
  applies_to: p.object({ products: p.array(p.string(), { max: 100 }) }),
  currency: p.string({
    max: 3,
    pattern: /^[A-Za-z]{3}$/,
    patternMessage: 'Invalid currency: use a three-letter ISO code',
  }),
  duration: p.enumOf(['forever', 'once', 'repeating']),
  duration_in_months: p.integer({ min: 1, max: 1200 }),
  expand: p.array(p.string()),
  id: p.string({
    max: 250,
    pattern: /^[A-Za-z0-9_-]+$/,
    patternMessage: 'Invalid id: use letters, digits, _ and -',
  }),
  max_redemptions: p.integer({ min: 1 }),
  metadata: p.metadata(),
  name: p.string({ max: 40 }),
  percent_off: p.decimal({ min: 0 }),
  redeem_by: p.integer({ min: 0 }),
});

export const updateCouponParams = p.object({
  expand: p.array(p.string()),
  metadata: p.metadata(),
  name: p.clearable(p.string({ max: 40 })),
});

export const listCouponParams = listParams({});

export type CreateCouponParams = Infer<typeof createCouponParams>;
export type UpdateCouponParams = Infer<typeof updateCouponParams>;
export type ListCouponParams = Infer<typeof listCouponParams>;
