import type Stripe from 'stripe';
import { currentAccount } from '../../accounts/service.ts';
import type { Ctx } from '../../core/context.ts';

/**
 * `GET /v1/balance`: the account's funds in the caller's mode. Portico has no payouts, fees or
 * settlement delay, so the rule is simple and honest: every succeeded charge's captured amount,
 * less what was refunded of it, is available at once, per currency; nothing is ever pending.
 * The account's default currency is always listed, at 0 when nothing was charged in it.
 */
export async function retrieveBalance(ctx: Ctx): Promise<Stripe.Balance> {
  const rows = await ctx.db
    .selectFrom('charges')
    .select('data')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .execute();
  const totals = new Map<string, number>();
  totals.set((await currentAccount(ctx)).default_currency ?? 'usd', 0);
  for (const row of rows) {
    const charge = JSON.parse(row.data) as Stripe.Charge;
    if (charge.status !== 'succeeded') continue;
    const net = charge.amount_captured - charge.amount_refunded;
    totals.set(charge.currency, (totals.get(charge.currency) ?? 0) + net);
  }
  const currencies = [...totals.keys()].sort();
  return {
    object: 'balance',
    available: currencies.map((currency) => ({
      amount: totals.get(currency)!,
      currency,
      source_types: { card: totals.get(currency)! },
    })),
    livemode: ctx.scope.livemode,
    pending: currencies.map((currency) => ({ amount: 0, currency, source_types: { card: 0 } })),
  };
}
