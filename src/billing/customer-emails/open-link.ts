import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import type { PortalMailLinkRow } from '../../store/schema.ts';
import { liveCustomer, markSessionOrigin } from '../portal/login/login.ts';
import { createSession } from '../portal/sessions/service.ts';
import { customerNow } from '../test-clocks/lookup.ts';

/**
 * Follows a mailed link (the context is the link's account): while it works and its customer
 * exists, opens a new session of the account's default portal configuration, on the
 * payment-method flow for a failed-payment link, on the homepage otherwise, and emits
 * `billing_portal.session.created` as the API would. Undefined for a link that no longer works;
 * the configuration's refusals (no default, the flow's feature off) are thrown as the API's.
 */
export async function openMailLink(
  ctx: Ctx,
  link: PortalMailLinkRow,
): Promise<Stripe.BillingPortal.Session | undefined> {
  const customer = await liveCustomer(ctx, link.customer);
  if (!customer || (await customerNow(ctx, customer)) >= link.expires_at) return undefined;
  const session = await createSession(ctx, {
    customer: customer.id,
    ...(link.flow === 'payment_method_update' ? { flow_data: { type: 'payment_method_update' } } : {}),
  });
  // The link reached the customer's mailbox, as a sign-in code does: the session cannot change
  // the address it was mailed to.
  await markSessionOrigin(ctx, session.id, 'mail_link');
  return session;
}
