import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId, randomBase62 } from '../../core/ids.ts';
import type { JsonText } from '../../core/json.ts';
import { type ListObject, listJson, pageQuery } from '../../core/list.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { emitEvent } from '../../events/emit.ts';
import { type Filter, findObject, insertObject, listObjectTexts, updateObject } from '../../store/objects.ts';
import { requireCoupon } from '../coupons/service.ts';
import { requireCustomer } from '../customers/service.ts';
import type {
  CreatePromotionCodeParams,
  ListPromotionCodeParams,
  UpdatePromotionCodeParams,
} from './params.ts';

type PromotionCode = Stripe.PromotionCode;

/** Customers of Accounts v2 (`customer_account`) do not exist in Portico yet. */
function refuseCustomerAccount(value: string | undefined): void {
  if (value !== undefined) {
    throw fail('customer_account_unsupported', {}, 'customer_account');
  }
}

/** Codes are unique, whatever their case, among the account's active codes. */
async function checkCodeFree(ctx: Ctx, code: string, except?: string): Promise<void> {
  let query = ctx.db
    .selectFrom('promotion_codes')
    .select('id')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('code_key', '=', code.toLowerCase())
    .where('active', '=', 1);
  if (except) query = query.where('id', '!=', except);
  if (await query.executeTakeFirst()) {
    throw fail('promotion_code_taken', { code }, 'code');
  }
}

/**
 * `restrictions.currency_options`: the minimum amount in other currencies than
 * `minimum_amount_currency`, which must be set for them to mean anything.
 */
function minimumOptions(
  code: PromotionCode,
  options: Record<string, { minimum_amount?: number }>,
): Record<string, Stripe.PromotionCode.Restrictions.CurrencyOptions> {
  const own = code.restrictions.minimum_amount_currency;
  const param = 'restrictions[currency_options]';
  if (own === null) {
    throw fail('promotion_code_currency_options_need_minimum', {}, param);
  }
  const out: Record<string, Stripe.PromotionCode.Restrictions.CurrencyOptions> = {};
  for (const [key, option] of Object.entries(options)) {
    const currency = key.toLowerCase();
    if (currency === own) {
      throw fail('promotion_code_currency_option_duplicate', { currency: own }, `${param}[${key}]`);
    }
    if (option.minimum_amount === undefined)
      throw errors.parameterMissing(`${param}[${key}][minimum_amount]`);
    out[currency] = { minimum_amount: option.minimum_amount };
  }
  return out;
}

function indexed(code: PromotionCode) {
  const coupon = code.promotion.coupon;
  const customer = code.customer;
  return {
    code_key: code.code.toLowerCase(),
    coupon: typeof coupon === 'string' ? coupon : (coupon?.id ?? ''),
    customer: typeof customer === 'string' ? customer : (customer?.id ?? null),
    active: code.active ? 1 : 0,
  };
}

export async function createPromotionCode(
  ctx: Ctx,
  params: CreatePromotionCodeParams,
): Promise<PromotionCode> {
  refuseCustomerAccount(params.customer_account);
  const couponId = params.promotion.coupon;
  if (couponId === undefined) throw errors.parameterMissing('promotion[coupon]');
  const coupon = await requireCoupon(ctx, couponId, 'promotion[coupon]');
  if (params.customer !== undefined) await requireCustomer(ctx, params.customer, 'customer');
  const now = ctx.clock.now();
  if (params.expires_at !== undefined) {
    if (params.expires_at <= now) throw fail('promotion_code_expires_past', {}, 'expires_at');
    if (coupon.redeem_by !== null && params.expires_at > coupon.redeem_by) {
      throw fail('promotion_code_expires_after_coupon', {}, 'expires_at');
    }
  }
  const restrictions = params.restrictions ?? {};
  if ((restrictions.minimum_amount === undefined) !== (restrictions.minimum_amount_currency === undefined)) {
    throw fail(
      'promotion_code_minimum_incomplete',
      {},
      restrictions.minimum_amount === undefined
        ? 'restrictions[minimum_amount]'
        : 'restrictions[minimum_amount_currency]',
    );
  }
  const active = params.active ?? true;
  const code = params.code ?? randomBase62(8).toUpperCase();
  if (active) await checkCodeFree(ctx, code);
  const promotionCode: PromotionCode = {
    id: newId('promo'),
    object: 'promotion_code',
    active,
    code,
    created: now,
    customer: params.customer ?? null,
    customer_account: null,
    expires_at: params.expires_at ?? null,
    livemode: ctx.scope.livemode,
    max_redemptions: params.max_redemptions ?? null,
    metadata: mergeMetadata({}, params.metadata),
    promotion: { type: 'coupon', coupon: coupon.id },
    restrictions: {
      first_time_transaction: restrictions.first_time_transaction ?? false,
      minimum_amount: restrictions.minimum_amount ?? null,
      minimum_amount_currency: restrictions.minimum_amount_currency ?? null,
    },
    times_redeemed: 0,
  };
  if (restrictions.currency_options) {
    promotionCode.restrictions.currency_options = minimumOptions(
      promotionCode,
      restrictions.currency_options,
    );
  }
  await insertObject(ctx.db, 'promotion_codes', ctx.scope, promotionCode, indexed(promotionCode));
  await emitEvent(ctx, 'promotion_code.created', promotionCode);
  return promotionCode;
}

export async function requirePromotionCode(ctx: Ctx, id: string, param?: string): Promise<PromotionCode> {
  const found = await findObject<PromotionCode>(ctx.db, 'promotion_codes', ctx.scope, id);
  if (!found)
    throw param ? errors.noSuchParam('promotion_code', id, param) : errors.noSuchPath('promotion_code', id);
  return found;
}

export async function updatePromotionCode(
  ctx: Ctx,
  id: string,
  params: UpdatePromotionCodeParams,
): Promise<PromotionCode> {
  const before = await requirePromotionCode(ctx, id);
  const code = structuredClone(before);
  if (params.active !== undefined) {
    if (params.active && !before.active) await checkCodeFree(ctx, before.code, id);
    code.active = params.active;
  }
  code.metadata = mergeMetadata(code.metadata ?? {}, params.metadata);
  const options = params.restrictions?.currency_options;
  if (options) {
    code.restrictions.currency_options = {
      ...code.restrictions.currency_options,
      ...minimumOptions(code, options),
    };
  }
  await updateObject(ctx.db, 'promotion_codes', ctx.scope, code, indexed(code));
  await emitEvent(ctx, 'promotion_code.updated', code, { before });
  return code;
}

export async function listPromotionCodes(
  ctx: Ctx,
  params: ListPromotionCodeParams,
): Promise<JsonText<ListObject<PromotionCode>>> {
  refuseCustomerAccount(params.customer_account);
  const where: Record<string, Filter> = {};
  if (params.active !== undefined) where.active = params.active ? 1 : 0;
  if (params.code !== undefined) where.code_key = params.code.toLowerCase();
  if (params.coupon !== undefined) where.coupon = params.coupon;
  if (params.customer !== undefined) where.customer = params.customer;
  const page = await listObjectTexts(ctx.db, 'promotion_codes', ctx.scope, pageQuery(params), where);
  return listJson<PromotionCode>(page, '/v1/promotion_codes');
}
