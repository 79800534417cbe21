import type Stripe from 'stripe';
import { toAddress } from '../customers/service.ts';
import type { CreateInvoiceParams, UpdateInvoiceParams } from './params.ts';

/**
 * An invoice's `rendering` and `shipping_details`, as Stripe stores and returns them. Portico's
 * PDF keeps its own layout: the rendering settings are kept for clients that read them back.
 */

type RenderingParams = NonNullable<CreateInvoiceParams['rendering']>;

/** `rendering` after `params` (fields not sent keep their value; `''` clears a clearable one). */
export function renderingAfter(
  current: Stripe.Invoice.Rendering | null,
  params: RenderingParams,
): Stripe.Invoice.Rendering {
  const was = current ?? { amount_tax_display: null, pdf: null, template: null, template_version: null };
  return {
    amount_tax_display:
      params.amount_tax_display !== undefined ? params.amount_tax_display : was.amount_tax_display,
    pdf: params.pdf !== undefined ? { page_size: params.pdf.page_size ?? null } : was.pdf,
    template: params.template !== undefined ? params.template : was.template,
    template_version: params.template_version !== undefined ? params.template_version : was.template_version,
  };
}

type ShippingParams = NonNullable<UpdateInvoiceParams['shipping_details']>;

export function shippingDetailsOf(params: ShippingParams): Stripe.Invoice.ShippingDetails {
  return {
    address: toAddress(params.address),
    carrier: null,
    name: params.name,
    phone: params.phone ?? null,
    tracking_number: null,
  };
}
