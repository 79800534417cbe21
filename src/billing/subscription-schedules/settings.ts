import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { subscriptionPaymentMethod } from '../subscriptions/payment.ts';
import type { DefaultSettingsParams } from './params.ts';

type Settings = Stripe.SubscriptionSchedule.DefaultSettings;

/** The settings of a schedule no one has set: what a new subscription would have. */
export function emptySettings(): Settings {
  return {
    application_fee_percent: null,
    automatic_tax: { disabled_reason: null, enabled: false, liability: null },
    billing_cycle_anchor: 'automatic',
    billing_thresholds: null,
    collection_method: 'charge_automatically',
    default_payment_method: null,
    description: null,
    invoice_settings: {
      account_tax_ids: null,
      custom_fields: null,
      days_until_due: null,
      description: null,
      footer: null,
      issuer: { type: 'self' },
    },
    on_behalf_of: null,
    transfer_data: null,
  };
}

/**
 * `default_settings` applies to every phase that does not set the same thing itself. A field sent
 * replaces the stored one; the others stay.
 */
export async function mergeSettings(
  ctx: Ctx,
  current: Settings,
  params: DefaultSettingsParams | undefined,
  customer: Stripe.Customer,
): Promise<Settings> {
  if (!params) return current;
  const next = structuredClone(current);
  if (params.billing_cycle_anchor !== undefined) next.billing_cycle_anchor = params.billing_cycle_anchor;
  if (params.collection_method !== undefined) next.collection_method = params.collection_method;
  if (params.description !== undefined) next.description = params.description;
  if (params.invoice_settings?.days_until_due !== undefined) {
    next.invoice_settings.days_until_due = params.invoice_settings.days_until_due;
  }
  if (params.default_payment_method !== undefined) {
    next.default_payment_method = await subscriptionPaymentMethod(
      ctx,
      params.default_payment_method,
      customer,
      'default_settings[default_payment_method]',
    );
  }
  if (next.collection_method === 'charge_automatically') {
    if (params.invoice_settings?.days_until_due !== undefined) {
      throw fail(
        'send_invoice_only',
        { field: 'days_until_due' },
        'default_settings[invoice_settings][days_until_due]',
      );
    }
    next.invoice_settings.days_until_due = null;
  }
  return next;
}
