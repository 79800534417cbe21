import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { wireDecimal } from '../../core/decimal.ts';
import { newId } from '../../core/ids.ts';
import { emitEvent } from '../../events/emit.ts';
import { insertObject, updateObject } from '../../store/objects.ts';
import { selectRows } from '../../store/run.ts';
import type { LineInput } from '../invoices/lines.ts';

type InvoiceItem = Stripe.InvoiceItem;

export interface PendingItemInput {
  customer: Stripe.Customer;
  currency: string;
  amount: number;
  description: string;
  period: Stripe.InvoiceItem.Period;
  quantity: number;
  pricing: Stripe.InvoiceLineItem.Pricing | null;
  proration: boolean;
  discountable: boolean;
  subscription: string | null;
  subscriptionItem?: string;
  metadata?: Stripe.Metadata;
}

const idOf = (v: unknown) =>
  v === null || v === undefined ? null : typeof v === 'string' ? v : (v as { id: string }).id;

function indexed(item: InvoiceItem) {
  return {
    customer: idOf(item.customer) ?? '',
    invoice: idOf(item.invoice),
    subscription: item.parent?.subscription_details?.subscription ?? null,
  };
}

/** An invoice item waiting for the customer's next invoice (prorations, one-off charges). */
export async function createPendingItem(ctx: Ctx, input: PendingItemInput): Promise<InvoiceItem> {
  const item: InvoiceItem = {
    id: newId('ii'),
    object: 'invoiceitem',
    amount: input.amount,
    currency: input.currency,
    customer: input.customer.id,
    customer_account: null,
    date: ctx.clock.now(),
    description: input.description,
    discountable: input.discountable,
    discounts: [],
    invoice: null,
    livemode: ctx.scope.livemode,
    metadata: input.metadata ?? {},
    parent: input.subscription
      ? {
          type: 'subscription_details',
          subscription_details: {
            subscription: input.subscription,
            ...(input.subscriptionItem ? { subscription_item: input.subscriptionItem } : {}),
          },
        }
      : null,
    period: input.period,
    pricing: input.pricing,
    proration: input.proration,
    quantity: input.quantity,
    quantity_decimal: wireDecimal(String(input.quantity)),
    tax_rates: [],
    test_clock: idOf(input.customer.test_clock),
  };
  await insertObject(ctx.db, 'invoice_items', ctx.scope, item, indexed(item));
  await emitEvent(ctx, 'invoiceitem.created', item);
  return item;
}

/**
 * The customer's pending items that go on an invoice for `subscription` (items of that
 * subscription, or of none when the invoice has no subscription), oldest first.
 */
export async function pendingItems(
  ctx: Ctx,
  customer: string,
  subscription: string | null,
): Promise<InvoiceItem[]> {
  let q = ctx.db
    .selectFrom('invoice_items')
    .select('data')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
    .where('customer', '=', customer)
    .where('invoice', 'is', null)
    .where('deleted', '=', 0);
  q =
    subscription === null ? q.where('subscription', 'is', null) : q.where('subscription', '=', subscription);
  const rows = await selectRows(ctx.db, q.orderBy('created').orderBy('seq'));
  return rows.map((r) => JSON.parse(r.data) as InvoiceItem);
}

/** Puts pending items on an invoice; returns them as invoice lines. */
export async function claimItems(ctx: Ctx, items: InvoiceItem[], invoiceId: string): Promise<LineInput[]> {
  const lines: LineInput[] = [];
  for (const item of items) {
    const claimed: InvoiceItem = { ...item, invoice: invoiceId };
    await updateObject(ctx.db, 'invoice_items', ctx.scope, claimed, indexed(claimed));
    const subscription = item.parent?.subscription_details ?? null;
    lines.push({
      amount: item.amount,
      description: item.description ?? '',
      period: item.period,
      quantity: item.quantity,
      pricing: item.pricing,
      discountable: item.discountable,
      proration: item.proration,
      subscription: subscription?.subscription ?? null,
      subscriptionItem: subscription?.subscription_item,
      invoiceItem: item.id,
      metadata: item.metadata ?? {},
    });
  }
  return lines;
}
