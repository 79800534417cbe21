import type Stripe from 'stripe';
import type { PendingChange } from '../../billing/portal/hosted/portal-schedules.ts';
import type { ChangePreview, UpdateTarget } from '../../billing/portal/hosted/subscription-update.ts';
import type { PlanChoiceView, PlanLineView, PreviewLineView, UpdatePreviewView } from '../ui/index.ts';
import { priceView } from './home.ts';

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

type Interval = 'day' | 'week' | 'month' | 'year';

/** A product's name for a price (the price's nickname or id when the product is gone). */
export function productName(products: Map<string, Stripe.Product>, price: Stripe.Price): string {
  return products.get(idOf(price.product) ?? '')?.name ?? price.nickname ?? price.id;
}

export function planLine(
  products: Map<string, Stripe.Product>,
  price: Stripe.Price,
  quantity: number,
): PlanLineView {
  return { productName: productName(products, price), price: priceView(price), quantity };
}

export function pendingLine(target: UpdateTarget, pending: PendingChange): PlanLineView {
  return planLine(target.products, pending.price, pending.quantity);
}

/** The intervals the choices come in, in a fixed order (monthly before yearly). */
export function intervalsOf(target: UpdateTarget): Interval[] {
  const order: Interval[] = ['day', 'week', 'month', 'year'];
  const present = new Set(target.choices.map((c) => c.price.recurring?.interval as Interval));
  return order.filter((i) => present.has(i));
}

/**
 * The plan choices shown: those of one interval when the customer picked one (the current
 * plan's interval by default), all of them otherwise.
 */
export function choicesView(
  target: UpdateTarget,
  interval: Interval | null,
  checked: string,
): PlanChoiceView[] {
  return target.choices
    .filter((c) => interval === null || c.price.recurring?.interval === interval)
    .map((c) => ({
      priceId: c.price.id,
      productName: productName(target.products, c.price),
      description: target.products.get(c.product.product)?.description ?? null,
      price: priceView(c.price),
      current: c.current,
      checked: c.price.id === checked,
    }));
}

/** What is charged or credited today, line by line, from the invoice made now. */
function todayLines(invoice: Stripe.Invoice, from: PlanLineView, to: PlanLineView): PreviewLineView[] {
  const lines: PreviewLineView[] = [];
  const currency = invoice.currency;
  const sum = (filter: (l: Stripe.InvoiceLineItem) => boolean) =>
    invoice.lines.data.filter(filter).reduce((total, l) => total + l.amount, 0);
  const isProration = (l: Stripe.InvoiceLineItem) =>
    l.parent?.subscription_item_details?.proration ?? l.parent?.invoice_item_details?.proration ?? false;
  const unused = sum((l) => isProration(l) && l.amount < 0);
  const remaining = sum((l) => isProration(l) && l.amount >= 0);
  const period = sum((l) => !isProration(l));
  if (unused !== 0)
    lines.push({ kind: 'unused', productName: from.productName, amount: { amount: unused, currency } });
  if (remaining !== 0) {
    lines.push({ kind: 'remaining', productName: to.productName, amount: { amount: remaining, currency } });
  }
  if (period !== 0)
    lines.push({ kind: 'period', productName: to.productName, amount: { amount: period, currency } });
  const discount = invoice.total - invoice.subtotal;
  if (discount !== 0)
    lines.push({ kind: 'discount', productName: '', amount: { amount: discount, currency } });
  return lines;
}

/** The review page of a change, from its preview. */
export function previewView(
  target: UpdateTarget,
  preview: ChangePreview,
): Pick<
  UpdatePreviewView,
  'from' | 'to' | 'promotionCode' | 'today' | 'next' | 'nextLines' | 'scheduledAt' | 'trialEnd' | 'replaces'
> {
  const { change } = preview;
  const from = planLine(target.products, target.item.price, target.item.quantity ?? 1);
  const to = planLine(target.products, change.price, change.quantity);
  const now = preview.now;
  const upcoming = preview.upcoming;
  const prorated = upcoming?.lines.data.some(
    (l) => l.parent?.subscription_item_details?.proration ?? l.parent?.invoice_item_details?.proration,
  );
  return {
    nextLines: upcoming && prorated ? todayLines(upcoming, from, to) : null,
    from,
    to,
    promotionCode: change.codeText,
    today: now
      ? { lines: todayLines(now, from, to), total: { amount: now.total, currency: now.currency } }
      : null,
    next: preview.next
      ? { amount: { amount: preview.next.amount, currency: preview.next.currency }, date: preview.next.date }
      : null,
    scheduledAt: preview.scheduledAt,
    trialEnd: preview.trialEnd,
    replaces: target.pending ? pendingLine(target, target.pending) : null,
  };
}
