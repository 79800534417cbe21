import type Stripe from 'stripe';
import { wireDecimal } from '../../core/decimal.ts';
import { newId } from '../../core/ids.ts';

/** What billing code says an invoice line is; `invoiceLine` turns it into Stripe's object. */
export interface LineInput {
  amount: number;
  description: string;
  period: Stripe.InvoiceLineItem.Period;
  quantity: number | null;
  /** The price billed, as Stripe shows it on lines and invoice items. */
  pricing: Stripe.InvoiceLineItem.Pricing | null;
  discountable: boolean;
  proration: boolean;
  subscription: string | null;
  /** Set for lines that bill a subscription item (its cycle, or a proration of it). */
  subscriptionItem?: string;
  /** Set for lines that come from an invoice item (pending items, prorations). */
  invoiceItem?: string;
  metadata?: Stripe.Metadata;
  /** The line's own discounts (an invoice item's `discounts`), applied before the invoice's. */
  discounts?: string[];
  /**
   * The line's own tax rates (its invoice item's or its subscription item's); when none, the
   * invoice's `default_tax_rates` apply.
   */
  taxRates?: Stripe.TaxRate[];
  /** A chosen id (previews use `il_tmp_…`); a new `il_…` otherwise. */
  id?: string;
}

function parent(line: LineInput): Stripe.InvoiceLineItem.Parent {
  if (line.subscriptionItem) {
    return {
      type: 'subscription_item_details',
      invoice_item_details: null,
      subscription_item_details: {
        invoice_item: line.invoiceItem ?? null,
        proration: line.proration,
        proration_details: { credited_items: null },
        subscription: line.subscription,
        subscription_item: line.subscriptionItem,
      },
    };
  }
  return {
    type: 'invoice_item_details',
    subscription_item_details: null,
    invoice_item_details: {
      invoice_item: line.invoiceItem ?? '',
      proration: line.proration,
      proration_details: { credited_items: null },
      subscription: line.subscription,
    },
  };
}

export function invoiceLine(
  line: LineInput,
  invoiceId: string,
  currency: string,
  livemode: boolean,
): Stripe.InvoiceLineItem {
  return {
    id: line.id ?? newId('il'),
    object: 'line_item',
    amount: line.amount,
    currency,
    description: line.description,
    discount_amounts: [],
    discountable: line.discountable,
    discounts: [...(line.discounts ?? [])],
    invoice: invoiceId,
    livemode,
    metadata: line.metadata ?? {},
    parent: parent(line),
    period: line.period,
    pretax_credit_amounts: [],
    pricing: line.pricing,
    quantity: line.quantity,
    quantity_decimal: line.quantity === null ? null : wireDecimal(String(line.quantity)),
    subscription: line.subscription,
    subtotal: line.amount,
    taxes: [],
  };
}

/** How a line or invoice item names its price. */
export function pricingOf(price: Stripe.Price): Stripe.InvoiceLineItem.Pricing {
  return {
    type: 'price_details',
    price_details: {
      price: price.id,
      product: typeof price.product === 'string' ? price.product : price.product.id,
    },
    unit_amount_decimal: price.unit_amount_decimal,
  };
}

/** The product a line bills, for coupons that apply to some products only. */
export function lineProduct(line: Stripe.InvoiceLineItem): string | null {
  return line.pricing?.price_details?.product ?? null;
}
