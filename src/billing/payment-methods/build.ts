import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { fail } from '../../core/errors.ts';
import { newId } from '../../core/ids.ts';
import { mergeMetadata } from '../../core/metadata.ts';
import { type CheckedCard, cardDetails } from './card.ts';
import type { BillingDetailsParams } from './params.ts';
import type { StoredPaymentMethod } from './store.ts';

type Address = Stripe.Address;

// No white space or control characters, one @, a dot in the domain (the customers' rule).
const EMAIL = /^[^\s@\p{Cc}]+@[^\s@\p{Cc}]+\.[^\s@\p{Cc}]+$/u;

/** Stripe shows a billing address with every field null rather than a null address. */
const emptyAddress = (): Address => ({
  city: null,
  country: null,
  line1: null,
  line2: null,
  postal_code: null,
  state: null,
});

export function emptyBillingDetails(): Stripe.PaymentMethod.BillingDetails {
  return { address: emptyAddress(), email: null, name: null, phone: null, tax_id: null };
}

/** Applies `billing_details` params: fields given replace, `''` clears, the rest stay. */
export function applyBillingDetails(
  current: Stripe.PaymentMethod.BillingDetails,
  params: BillingDetailsParams | undefined,
): Stripe.PaymentMethod.BillingDetails {
  if (!params) return current;
  if (params.email && !EMAIL.test(params.email)) {
    throw fail('email_invalid', { email: params.email }, 'billing_details[email]');
  }
  const next = structuredClone(current);
  if (params.email !== undefined) next.email = params.email;
  if (params.name !== undefined) next.name = params.name;
  if (params.phone !== undefined) next.phone = params.phone;
  if (params.tax_id !== undefined) next.tax_id = params.tax_id;
  if (params.address === null) next.address = emptyAddress();
  else if (params.address) {
    const address = { ...(next.address ?? emptyAddress()) };
    for (const [key, value] of Object.entries(params.address)) {
      if (value === undefined) continue;
      address[key as keyof Address] = key === 'country' && value ? value.toUpperCase() : value;
    }
    next.address = address;
  }
  return next;
}

/** Which address fields the card's checks can run on. */
export function addressGiven(details: Stripe.PaymentMethod.BillingDetails) {
  return { line1: Boolean(details.address?.line1), postalCode: Boolean(details.address?.postal_code) };
}

export interface NewCardOptions {
  billingDetails?: BillingDetailsParams;
  metadata?: Record<string, string | null> | null;
  allowRedisplay?: Stripe.PaymentMethod.AllowRedisplay;
  preferredNetwork?: string;
  created: number;
}

/** A new, unattached card payment method. */
export function newCardPaymentMethod(
  ctx: Ctx,
  checked: CheckedCard,
  options: NewCardOptions,
): StoredPaymentMethod {
  const billing = applyBillingDetails(emptyBillingDetails(), options.billingDetails);
  const preferred = options.preferredNetwork ?? null;
  if (preferred !== null && preferred !== checked.card.brand) {
    throw fail(
      'card_network_unavailable',
      { network: preferred, brand: checked.card.brand },
      'card[networks][preferred]',
    );
  }
  const object: Stripe.PaymentMethod = {
    id: newId('pm'),
    object: 'payment_method',
    allow_redisplay: options.allowRedisplay ?? 'unspecified',
    billing_details: billing,
    card: cardDetails(checked, ctx.scope.accountId, addressGiven(billing), preferred),
    created: options.created,
    customer: null,
    customer_account: null,
    livemode: ctx.scope.livemode,
    metadata: mergeMetadata({}, options.metadata),
    type: 'card',
  };
  return { object, detached: false, setUpOffSession: false, testCard: checked.card.number };
}
