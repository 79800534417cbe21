import type Stripe from 'stripe';

/**
 * `customer.tax`, which Stripe includes only when `expand[]=tax` asks for it: the tax location
 * Portico can tell from the customer's own addresses (the billing address first, then the
 * shipping address). Portico computes no tax, so a known location is `not_collecting` and an
 * unknown one `unrecognized_location`; an IP address is not located, and not kept.
 */
export function customerTax(customer: Stripe.Customer): Stripe.Customer.Tax {
  const billing = customer.address?.country ? customer.address : null;
  const shipping = customer.shipping?.address?.country ? customer.shipping.address : null;
  const found = billing ?? shipping;
  const location: Stripe.Customer.Tax.Location | null = found
    ? {
        country: found.country!,
        source: billing ? 'billing_address' : 'shipping_destination',
        state: found.state ?? null,
      }
    : null;
  return {
    automatic_tax: location ? 'not_collecting' : 'unrecognized_location',
    ip_address: null,
    location,
    provider: 'stripe',
  };
}
