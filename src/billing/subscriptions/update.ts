import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { emitEvent } from '../../events/emit.ts';
import { requireCustomer } from '../customers/service.ts';
import { applicableTaxRates } from '../tax-rates/service.ts';
import { checkPeriodAmount, itemsAfter } from './amount-cap.ts';
import { subscriptionAfter } from './apply-plan.ts';
import { resolveItemDiscounts } from './discounts.ts';
import { issueInvoice, periodLines, productNames } from './invoicing.ts';
import { pricesNamed, type ResolvedItemEntry, resolveItemEntries } from './item-changes.ts';
import type { UpdateSubscriptionParams } from './params.ts';
import { paymentError } from './payment.ts';
import { type ChangePlan, planChange } from './plan.ts';
import { itemPrice, type PriceOptions } from './prices.ts';
import { createProrationItems } from './proration.ts';
import { PENDING_UPDATE_SECONDS } from './schedule.ts';
import { statusAfterPayment } from './status.ts';
import { requireSubscription, saveSubscription } from './store.ts';
import { ctxForCustomer } from './time.ts';
import { checkUpdateParams } from './update-checks.ts';
import { applyFieldParams } from './update-fields.ts';

/**
 * `POST /v1/subscriptions/:id`: checks the params, loads what they name, plans the change
 * (`planChange`: items, trial, cycle, prorations, an invoice now or not), builds the subscription
 * it leaves, sets the other fields, then stores the prorations, makes the invoice and saves.
 */
export async function updateSubscription(
  base: Ctx,
  id: string,
  params: UpdateSubscriptionParams,
  options: PriceOptions = {},
): Promise<Stripe.Subscription> {
  const before = await requireSubscription(base, id);
  const customer = await requireCustomer(base, String(before.customer));
  const ctx = await ctxForCustomer(base, customer);
  const now = ctx.clock.now();
  checkUpdateParams(params, before, now);
  const items = params.items ? await resolveItems(ctx, before, params, options) : undefined;
  if (items) checkPeriodAmount(itemsAfter(before, items));
  const names = await productNames(ctx, before, pricesNamed(items));
  const plan = planChange(
    before,
    {
      items,
      prorationBehavior: params.proration_behavior,
      prorationDate: params.proration_date,
      trialEnd: params.trial_end,
      billingCycleAnchor: params.billing_cycle_anchor,
    },
    now,
    {
      productNames: names,
      // A change that waits for its payment is invoiced at once, so it can be paid.
      defaultProrationBehavior:
        params.payment_behavior === 'pending_if_incomplete' ? 'always_invoice' : 'create_prorations',
    },
  );
  const sub = subscriptionAfter(before, plan, now);
  await applyFieldParams(ctx, sub, before, customer, params, now);
  return carryOut(ctx, { before, sub, plan, customer, names, params });
}

/** `items[]` with its prices loaded (or made from `price_data`) and its own discounts redeemed. */
function resolveItems(
  ctx: Ctx,
  sub: Stripe.Subscription,
  params: UpdateSubscriptionParams,
  options: PriceOptions,
): Promise<ResolvedItemEntry[]> {
  return resolveItemEntries(sub, params.items ?? [], {
    param: 'items',
    price: (entry, path) => itemPrice(ctx, entry, path, options),
    // `items[][discounts]` replaces the item's own discounts (`''` removes them).
    discounts: async (item, entry, path) => {
      if (entry.discounts === undefined) return undefined;
      if (!entry.discounts) return [];
      const target = {
        customer: String(sub.customer),
        subscription: sub.id,
        currency: sub.currency,
        amount: 0,
      };
      return resolveItemDiscounts(ctx, entry.discounts, item, target, `${path}[discounts]`);
    },
    // `items[][tax_rates]` replaces the item's own rates (`''` removes them: the defaults apply).
    taxRates: async (item, entry, path) =>
      entry.tax_rates === undefined
        ? undefined
        : entry.tax_rates
          ? applicableTaxRates(ctx, entry.tax_rates, `${path}[tax_rates]`, item.tax_rates)
          : [],
  });
}

interface Change {
  before: Stripe.Subscription;
  sub: Stripe.Subscription;
  plan: ChangePlan;
  customer: Stripe.Customer;
  names: Map<string, string>;
  params: UpdateSubscriptionParams;
}

/**
 * Carries a planned change out: its prorations become pending items, an invoice due now is made
 * (and charged), then the subscription is saved, or with `pending_if_incomplete` and an unpaid
 * invoice, left as it was with the change pending.
 */
async function carryOut(ctx: Ctx, change: Change): Promise<Stripe.Subscription> {
  const { before, sub, plan, params } = change;
  await createProrationItems(ctx, sub, change.customer, plan.prorations);
  if (plan.invoice) {
    const { period, billsNewPeriod } = plan.invoice;
    const { invoice, outcome } = await issueInvoice(ctx, sub, {
      billingReason: 'subscription_update',
      lines: billsNewPeriod ? periodLines(sub, period, change.names) : [],
      period,
      immediate: true,
      collect: params.payment_behavior !== 'default_incomplete',
      offSession: params.off_session ?? false,
    });
    if (outcome) {
      const failing = outcome.outcome !== 'paid';
      if (failing && params.payment_behavior === 'error_if_incomplete') throw paymentError(outcome);
      if (failing && params.payment_behavior === 'pending_if_incomplete') {
        return keepPending(ctx, before, sub, invoice);
      }
      sub.status = statusAfterPayment(sub.status, invoice, outcome);
    }
  }
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
  return sub;
}

/**
 * `payment_behavior=pending_if_incomplete` and the change's invoice was not paid: the subscription
 * stays as it was, with the change in `pending_update` until that invoice is paid (then it
 * applies) or 23 hours pass (then it expires and the invoice is voided).
 */
async function keepPending(
  ctx: Ctx,
  before: Stripe.Subscription,
  changed: Stripe.Subscription,
  invoice: Stripe.Invoice,
): Promise<Stripe.Subscription> {
  const sub = structuredClone(before);
  sub.latest_invoice = invoice.id;
  sub.pending_update = {
    billing_cycle_anchor:
      changed.billing_cycle_anchor === before.billing_cycle_anchor ? null : changed.billing_cycle_anchor,
    cancel_at_period_end: null,
    discount: null,
    discounts: null,
    expires_at: ctx.clock.now() + PENDING_UPDATE_SECONDS,
    metadata: null,
    subscription_items: changed.items.data,
    trial_end: changed.trial_end === before.trial_end ? null : changed.trial_end,
    trial_from_plan: null,
  };
  await saveSubscription(ctx, sub, before);
  await emitEvent(ctx, 'customer.subscription.updated', sub, { before });
  return sub;
}
