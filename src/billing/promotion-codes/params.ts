import { type Infer, listParams, p } from '../../core/params.ts';
import { checkCurrency, currency } from '../prices/params.ts';

const CODE = /^[A-Za-z0-9]+$/;
/** `restrictions[currency_options][<cur>][minimum_amount]`: the minimum in other currencies. */
const currencyOptions = p.record(p.object({ minimum_amount: p.integer({ min: 0 }) }), (code, path) =>
  checkCurrency(code.toLowerCase(), path),
);

export const createPromotionCodeParams = p.object({
  promotion: p.required(p.object({ type: p.required(p.enumOf(['coupon'])), coupon: p.string() })),
  active: p.boolean(),
  code: p.string({ max: 500, pattern: CODE, invalid: 'promotion_code_format_invalid' }),
  customer: p.string(),
  customer_account: p.string(),
  expand: p.array(p.string()),
  expires_at: p.integer({ min: 0 }),
  max_redemptions: p.integer({ min: 1 }),
  metadata: p.metadata(),
  restrictions: p.object({
    currency_options: currencyOptions,
    first_time_transaction: p.boolean(),
    minimum_amount: p.integer({ min: 0 }),
    minimum_amount_currency: currency(),
  }),
});

export const updatePromotionCodeParams = p.object({
  active: p.boolean(),
  expand: p.array(p.string()),
  metadata: p.metadata(),
  restrictions: p.object({ currency_options: currencyOptions }),
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
