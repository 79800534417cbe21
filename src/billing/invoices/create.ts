import type Stripe from 'stripe';
import { currentAccount } from '../../accounts/service.ts';
import type { Ctx } from '../../core/context.ts';
import { errors, fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { requireCustomer } from '../customers/service.ts';
import { redeemDiscounts } from '../discounts/redeem.ts';
import { pendingItems } from '../invoice-items/store.ts';
import { subscriptionPaymentMethod } from '../subscriptions/payment.ts';
import { ctxForCustomer } from '../subscriptions/time.ts';
import { applicableTaxRates } from '../tax-rates/service.ts';
import { checkCollection } from './collection.ts';
import { createDraft } from './draft.ts';
import type { CreateInvoiceParams } from './params.ts';
import { renderingAfter, shippingDetailsOf } from './rendering.ts';

export function refuseAccountsV2(value: string | undefined): void {
  if (value !== undefined) {
    throw fail('customer_account_unsupported', {}, 'customer_account');
  }
}

/**
 * The currency of a one-off invoice: the one asked for, else that of the oldest pending item it
 * takes, else the customer's, else the account's default.
 */
async function invoiceCurrency(
  ctx: Ctx,
  params: CreateInvoiceParams,
  customer: Stripe.Customer,
  include: boolean,
): Promise<string> {
  if (params.currency !== undefined) return params.currency;
  if (include) {
    const [oldest] = await pendingItems(ctx, customer.id, null);
    if (oldest) return oldest.currency;
  }
  return customer.currency ?? (await currentAccount(ctx)).default_currency ?? 'usd';
}

/**
 * `POST /v1/invoices`: a one-off draft for a customer (`billing_reason: manual`), dated on the
 * customer's clock. Pending invoice items go on it only with `pending_invoice_items_behavior=
 * include` (the default is `exclude`). With `auto_advance`, the engine finalizes it an hour after
 * creation and, when charged automatically, collects it.
 */
export async function createInvoice(base: Ctx, params: CreateInvoiceParams): Promise<Stripe.Invoice> {
  refuseAccountsV2(params.customer_account);
  if (params.customer === undefined) throw errors.parameterMissing('customer');
  const customer = await requireCustomer(base, params.customer, 'customer');
  const ctx = await ctxForCustomer(base, customer);
  const now = ctx.clock.now();
  const method = params.collection_method ?? 'charge_automatically';
  checkCollection(method, params, now);
  const include = params.pending_invoice_items_behavior === 'include';
  const currency = await invoiceCurrency(ctx, params, customer, include);
  const defaultPaymentMethod =
    params.default_payment_method === undefined
      ? null
      : await subscriptionPaymentMethod(ctx, params.default_payment_method, customer);
  const defaultTaxRates = params.default_tax_rates
    ? await applicableTaxRates(ctx, params.default_tax_rates, 'default_tax_rates')
    : [];
  const id = newId('in');
  // A promotion code's minimum amount is checked against what the invoice will bill.
  const amount = include
    ? (await pendingItems(ctx, customer.id, null, currency)).reduce((sum, item) => sum + item.amount, 0)
    : 0;
  const discounts = params.discounts
    ? await redeemDiscounts(
        ctx,
        params.discounts,
        { customer: customer.id, currency, amount, existing: [] },
        { invoice: id, invoiceItem: null },
        'discounts',
      )
    : [];
  return createDraft(ctx, {
    id,
    customer,
    currency,
    billingReason: 'manual',
    lines: [],
    includePending: include,
    collectionMethod: method,
    daysUntilDue: params.days_until_due ?? null,
    dueDate: params.due_date ?? null,
    defaultPaymentMethod,
    discounts,
    defaultTaxRates,
    period: { start: now, end: now },
    autoAdvance: params.auto_advance ?? false,
    description: params.description ?? null,
    metadata: mergeMetadata({}, params.metadata),
    footer: params.footer ?? null,
    statementDescriptor: params.statement_descriptor ?? null,
    customFields: params.custom_fields ?? null,
    rendering: params.rendering ? renderingAfter(null, params.rendering) : null,
    shippingDetails: params.shipping_details ? shippingDetailsOf(params.shipping_details) : null,
  });
}
