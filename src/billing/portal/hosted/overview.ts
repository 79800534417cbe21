import type Stripe from 'stripe';
import { currentAccount, findConnected } from '../../../accounts/service.ts';
import type { Ctx } from '../../../core/context.ts';
import { findObject, listObjects } from '../../../store/objects.ts';
import { requireCustomer } from '../../customers/service.ts';
import { previewInvoice } from '../../invoices/preview.ts';
import { ctxForCustomer } from '../../subscriptions/time.ts';
import { signedInByEmail } from '../login/login.ts';

type Session = Stripe.BillingPortal.Session;
type Configuration = Stripe.BillingPortal.Configuration;

/** Everything a hosted page needs to know about whom it serves. */
export interface PortalScope {
  session: Session;
  configuration: Configuration;
  customer: Stripe.Customer;
  /** The account whose business the pages show: `on_behalf_of`'s when set, else the session's. */
  business: Stripe.Account;
  /** "Now" on the customer's clock (its test clock's frozen time when it has one). */
  now: number;
  /** Opened from the login page or a recovery: the email signed the customer in, so it stays. */
  emailLocked: boolean;
  /** The session's flow has been completed (its change made). */
  flowCompleted: boolean;
}

type Flow = NonNullable<Session['flow']>;

/**
 * The flow the session's pages are still in, or null for the full portal: a session without a
 * flow, or one whose flow ended on the portal homepage, which opens the full portal from then on
 * in the same session (contract §4). A flow that ended on its confirmation page stays a flow.
 */
export function activeFlow(session: Session, flowCompleted: boolean): Flow | null {
  const flow = session.flow;
  if (!flow) return null;
  return flowCompleted && flow.after_completion.type === 'portal_homepage' ? null : flow;
}

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** The session's configuration, customer and business, each read in the session's own account and mode. */
export async function loadPortalScope(
  base: Ctx,
  session: Session,
  flowCompleted = false,
): Promise<PortalScope> {
  const customer = await requireCustomer(base, session.customer);
  const ctx = await ctxForCustomer(base, customer);
  const configId = idOf(session.configuration)!;
  const configuration = (await findObject<Configuration>(
    ctx.db,
    'billing_portal_configurations',
    ctx.scope,
    configId,
  ))!;
  const own = await currentAccount(ctx);
  const onBehalfOf = session.on_behalf_of
    ? await findConnected(
        ctx.db,
        { accountId: ctx.platformAccount, livemode: ctx.scope.livemode },
        session.on_behalf_of,
      )
    : undefined;
  return {
    session,
    configuration,
    customer,
    business: onBehalfOf ?? own,
    now: ctx.clock.now(),
    emailLocked: await signedInByEmail(ctx.db, session.id),
    flowCompleted,
  };
}

/** Portico rule: the portal lists these statuses (newest first) and hides ended or never-started ones. */
const LISTED: Stripe.Subscription.Status[] = ['active', 'trialing', 'past_due', 'unpaid', 'paused'];
/** A customer with more subscriptions than this sees the newest ones. */
const MAX_SUBSCRIPTIONS = 50;

/** Whether an object is the session's customer's (and, with `on_behalf_of`, that account's). */
export const ownedBy = (portal: PortalScope) => (object: { customer: unknown; on_behalf_of?: unknown }) =>
  idOf(object.customer as string) === portal.customer.id &&
  (portal.session.on_behalf_of === null ||
    idOf(object.on_behalf_of as string) === portal.session.on_behalf_of);

/** The customer's subscriptions the portal shows, filtered by the session's `on_behalf_of`. */
export async function portalSubscriptions(ctx: Ctx, portal: PortalScope): Promise<Stripe.Subscription[]> {
  const page = await listObjects<Stripe.Subscription>(
    ctx.db,
    'subscriptions',
    ctx.scope,
    { limit: MAX_SUBSCRIPTIONS },
    { customer: portal.customer.id, status: { in: LISTED } },
  );
  return page.data.filter(ownedBy(portal));
}

/** The subscription's next invoice as the engine would bill it, or null when none is coming. */
export async function upcomingInvoice(
  ctx: Ctx,
  portal: PortalScope,
  subscription: Stripe.Subscription,
): Promise<Stripe.Invoice | null> {
  if (subscription.status === 'paused' || subscription.cancel_at_period_end) return null;
  try {
    // The subscription and customer were just read: the preview does not read them again.
    return await previewInvoice(
      ctx,
      { subscription: subscription.id },
      { subscription, customer: portal.customer },
    );
  } catch {
    // A subscription the engine cannot preview (nothing more to bill) simply shows no next invoice.
    return null;
  }
}

/** Products of a subscription's items, by id. */
export async function productsOf(
  ctx: Ctx,
  subscriptions: Stripe.Subscription[],
): Promise<Map<string, Stripe.Product>> {
  const products = new Map<string, Stripe.Product>();
  for (const sub of subscriptions) {
    for (const item of sub.items.data) {
      const id = idOf(item.price.product);
      if (!id || products.has(id)) continue;
      const product = await findObject<Stripe.Product>(ctx.db, 'products', ctx.scope, id);
      if (product) products.set(id, product);
    }
  }
  return products;
}

/** The customer's saved payment methods (newest first). */
export async function portalPaymentMethods(ctx: Ctx, portal: PortalScope): Promise<Stripe.PaymentMethod[]> {
  const page = await listObjects<Stripe.PaymentMethod>(
    ctx.db,
    'payment_methods',
    ctx.scope,
    { limit: 100 },
    { customer: portal.customer.id },
  );
  return page.data;
}

/** One of the session's invoices (non-draft), or undefined. */
export async function portalInvoice(
  ctx: Ctx,
  portal: PortalScope,
  id: string,
): Promise<Stripe.Invoice | undefined> {
  const found = await findObject<Stripe.Invoice>(ctx.db, 'invoices', ctx.scope, id);
  return found && found.status !== 'draft' && ownedBy(portal)(found) ? found : undefined;
}
