import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { selectRows } from '../../store/run.ts';

/**
 * `customer.tax`, which Stripe includes only when `expand[]=tax` asks for it: the tax location
 * Portico can tell from the customer's own addresses (the billing address first, then the
 * shipping address) and the `tax[ip_address]` it was given. Portico computes no tax, so a known
 * location is `not_collecting` and an unknown one `unrecognized_location`; IP addresses are kept
 * but not located.
 */
export function customerTax(customer: Stripe.Customer, ipAddress: string | null): Stripe.Customer.Tax {
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
    ip_address: ipAddress,
    location,
    provider: 'stripe',
  };
}

/** The customer's `tax`, with the IP address kept beside it. */
export async function loadCustomerTax(ctx: Ctx, customer: Stripe.Customer): Promise<Stripe.Customer.Tax> {
  const rows = await selectRows(
    ctx.db,
    ctx.db
      .selectFrom('customers')
      .select('tax_ip_address')
      .where('account_id', '=', ctx.scope.accountId)
      .where('livemode', '=', ctx.scope.livemode ? 1 : 0)
      .where('id', '=', customer.id),
  );
  return customerTax(customer, rows[0]?.tax_ip_address ?? null);
}
