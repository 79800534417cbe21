import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { wireDecimal } from '../../core/decimal.ts';
import { errors } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { emitEvent } from '../../events/emit.ts';
import { findObject, insertObject, updateObject } from '../../store/objects.ts';
import { selectRows } from '../../store/run.ts';
import type { LineInput } from '../invoices/lines.ts';

type InvoiceItem = Stripe.InvoiceItem;

export interface PendingItemInput {
  customer: Stripe.Customer;
  currency: string;
  amount: number;
  description: string | null;
  period: Stripe.InvoiceItem.Period;
  quantity: number;
  pricing: Stripe.InvoiceLineItem.Pricing | null;
  proration: boolean;
  discountable: boolean;
  subscription: string | null;
  subscriptionItem?: string;
  metadata?: Stripe.Metadata;
  /** A chosen id, when discounts must name the item before it is written. */
  id?: string;
  invoice?: string | null;
  discounts?: string[];
  /** The item's own tax rates (a proration carries its subscription item's); none: the invoice's. */
  taxRates?: Stripe.TaxRate[];
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

/** An invoice item object, dated now (the customer's clock time, through `ctx`). */
export function newInvoiceItem(ctx: Ctx, input: PendingItemInput): InvoiceItem {
  return {
    id: input.id ?? newId('ii'),
    object: 'invoiceitem',
    amount: input.amount,
    currency: input.currency,
    customer: input.customer.id,
    customer_account: null,
    date: ctx.clock.now(),
    description: input.description,
    discountable: input.discountable,
    discounts: input.discounts ?? [],
    invoice: input.invoice ?? null,
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
    tax_rates: input.taxRates ?? [],
    test_clock: idOf(input.customer.test_clock),
  };
}

export async function insertInvoiceItem(ctx: Ctx, item: InvoiceItem): Promise<void> {
  await insertObject(ctx.db, 'invoice_items', ctx.scope, item, indexed(item));
  await emitEvent(ctx, 'invoiceitem.created', item);
}

/** An invoice item waiting for the customer's next invoice (prorations, one-off charges). */
export async function createPendingItem(ctx: Ctx, input: PendingItemInput): Promise<InvoiceItem> {
  const item = newInvoiceItem(ctx, input);
  await insertInvoiceItem(ctx, item);
  return item;
}

export async function saveInvoiceItem(ctx: Ctx, item: InvoiceItem): Promise<void> {
  await updateObject(ctx.db, 'invoice_items', ctx.scope, item, indexed(item));
}

/** Deleted items keep their row (so their id stays taken) and answer 404 from then on. */
export async function markItemDeleted(ctx: Ctx, id: string): Promise<Stripe.DeletedInvoiceItem> {
  const gone: Stripe.DeletedInvoiceItem = { id, object: 'invoiceitem', deleted: true };
  await updateObject(ctx.db, 'invoice_items', ctx.scope, gone, { deleted: 1 });
  return gone;
}

/** An invoice item for a path (404) or a param (400); deleted items count as missing. */
export async function requireInvoiceItem(ctx: Ctx, id: string, param?: string): Promise<InvoiceItem> {
  const found = await findObject<InvoiceItem | Stripe.DeletedInvoiceItem>(
    ctx.db,
    'invoice_items',
    ctx.scope,
    id,
  );
  if (!found || found.deleted)
    throw param ? errors.noSuchParam('invoiceitem', id, param) : errors.noSuchPath('invoiceitem', id);
  return found;
}

/**
 * The customer's pending items that go on an invoice for `subscription`, oldest first: items of
 * that subscription and items of none (Stripe adds those to the next invoice a subscription makes);
 * for an invoice without a subscription, items of none (`onlySubscription`: of that subscription
 * alone, for a one-off invoice that names it). With `currency`, only those in it (an
 * invoice has one currency; the others wait for one in theirs).
 */
export async function pendingItems(
  ctx: Ctx,
  customer: string,
  subscription: string | null,
  currency?: string,
  options: { onlySubscription?: boolean } = {},
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
    subscription === null
      ? q.where('subscription', 'is', null)
      : options.onlySubscription
        ? q.where('subscription', '=', subscription)
        : q.where((eb) => eb.or([eb('subscription', '=', subscription), eb('subscription', 'is', null)]));
  const rows = await selectRows(ctx.db, q.orderBy('created').orderBy('seq'));
  const items = rows.map((r) => JSON.parse(r.data) as InvoiceItem);
  return currency === undefined ? items : items.filter((item) => item.currency === currency);
}

/** The invoice line that bills an invoice item. */
export function itemLine(item: InvoiceItem): LineInput {
  const subscription = item.parent?.subscription_details ?? null;
  return {
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
    discounts: (item.discounts ?? []).map((d) => (typeof d === 'string' ? d : d.id)),
    taxRates: item.tax_rates ?? [],
  };
}

/** Puts pending items on an invoice; returns them as invoice lines. */
export async function claimItems(ctx: Ctx, items: InvoiceItem[], invoiceId: string): Promise<LineInput[]> {
  const lines: LineInput[] = [];
  for (const item of items) {
    const claimed: InvoiceItem = { ...item, invoice: invoiceId };
    await saveInvoiceItem(ctx, claimed);
    lines.push(itemLine(claimed));
  }
  return lines;
}
