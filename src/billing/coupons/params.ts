import { type Infer, listParams, p } from '../../core/params.ts';
import { checkCurrency, currency } from '../prices/params.ts';

/** `currency_options[<cur>][amount_off]`: the same discount in other currencies. */
const currencyOptions = p.record(p.object({ amount_off: p.required(p.integer({ min: 1 })) }), (code, path) =>
  checkCurrency(code.toLowerCase(), path),
);

export const createCouponParams = p.object({
  amount_off: p.amount({ min: 1 }),
  applies_to: p.object({ products: p.array(p.string(), { max: 100 }) }),
  currency: currency(),
  currency_options: currencyOptions,
  duration: p.enumOf(['forever', 'once', 'repeating']),
  duration_in_months: p.integer({ min: 1, max: 1200 }),
  expand: p.array(p.string()),
  id: p.string({
    max: 250,
    pattern: /^[A-Za-z0-9_-]+$/,
    invalid: 'object_id_invalid',
  }),
  max_redemptions: p.integer({ min: 1 }),
  metadata: p.metadata(),
  name: p.string({ max: 40 }),
  percent_off: p.decimal({ min: 0 }),
  redeem_by: p.integer({ min: 0 }),
});

export const updateCouponParams = p.object({
  currency_options: currencyOptions,
  expand: p.array(p.string()),
  metadata: p.metadata(),
  name: p.clearable(p.string({ max: 40 })),
});

export const listCouponParams = listParams({});

export type CreateCouponParams = Infer<typeof createCouponParams>;
export type UpdateCouponParams = Infer<typeof updateCouponParams>;
export type ListCouponParams = Infer<typeof listCouponParams>;
