import type Stripe from 'stripe';
import type { ScheduleOwner } from '../../billing/portal/hosted/eligibility.ts';
import type { PortalScope } from '../../billing/portal/hosted/overview.ts';
import type {
  AddressView,
  BillingSummaryView,
  HomeView,
  InvoiceRowView,
  PageChrome,
  PaymentMethodRowView,
  PaymentMethodView,
  PriceView,
  SubscriptionView,
} from '../ui/index.ts';
import { sessionBase } from './chrome.ts';
import { payInvoicesView } from './payment-methods.ts';
import { subscriptionActionViews } from './subscription-actions.ts';

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

export function addressView(address: Stripe.Address | null | undefined): AddressView | null {
  if (!address) return null;
  return {
    line1: address.line1,
    line2: address.line2,
    city: address.city,
    state: address.state,
    postalCode: address.postal_code,
    country: address.country,
  };
}

export function priceView(price: Stripe.Price): PriceView {
  return {
    amount: { amount: price.unit_amount ?? 0, currency: price.currency },
    interval: (price.recurring?.interval ?? null) as PriceView['interval'],
    intervalCount: price.recurring?.interval_count ?? null,
  };
}

export function paymentMethodView(
  pm: Stripe.PaymentMethod,
  defaultId: string | null,
  now: number,
): PaymentMethodView {
  const card = pm.card;
  const expired =
    card !== null &&
    card !== undefined &&
    new Date(now * 1000) > new Date(Date.UTC(card.exp_year, card.exp_month, 1));
  return {
    id: pm.id,
    type: pm.type,
    brand: card?.brand ?? null,
    last4: card?.last4 ?? null,
    expMonth: card?.exp_month ?? null,
    expYear: card?.exp_year ?? null,
    isDefault: pm.id === defaultId,
    expired,
  };
}

export function invoiceRow(invoice: Stripe.Invoice, base: string, now: number): InvoiceRowView {
  return {
    id: invoice.id!,
    number: invoice.number,
    date: invoice.status_transitions?.finalized_at ?? invoice.created,
    amount: { amount: invoice.total, currency: invoice.currency },
    status: (invoice.status ?? 'draft') as InvoiceRowView['status'],
    overdue: invoice.status === 'open' && invoice.due_date !== null && invoice.due_date < now,
    // The invoice's own hosted page (readable without the session); the portal path redirects there.
    url: invoice.hosted_invoice_url
      ? new URL(invoice.hosted_invoice_url).pathname
      : `${base}/invoices/${invoice.id}`,
  };
}

/**
 * A subscription on the homepage; `extra`: the actions allowed on it (links to their pages) and,
 * when paused for a preset duration, when it resumes.
 */
export function subscriptionView(
  sub: Stripe.Subscription,
  products: Map<string, Stripe.Product>,
  upcoming: Stripe.Invoice | null,
  extra: Pick<SubscriptionView, 'actions' | 'scheduledChange' | 'nextInvoice'> & {
    pauseEnd?: number | null;
  } = {},
): SubscriptionView {
  const period = sub.items.data[0]?.current_period_end ?? null;
  return {
    id: sub.id,
    status: sub.status as SubscriptionView['status'],
    items: sub.items.data.map((item) => {
      const product = products.get(idOf(item.price.product) ?? '');
      return {
        productName: product?.name ?? item.price.nickname ?? item.price.id,
        description: product?.description ?? null,
        price: priceView(item.price),
        quantity: item.quantity ?? null,
      };
    }),
    nextInvoice: upcoming
      ? {
          date: upcoming.next_payment_attempt ?? upcoming.period_end ?? period ?? upcoming.created,
          amount: { amount: upcoming.amount_due, currency: upcoming.currency },
        }
      : null,
    trialEnd: sub.status === 'trialing' ? sub.trial_end : null,
    cancelAt: sub.cancel_at ?? (sub.cancel_at_period_end ? period : null),
    resumesAt: sub.status === 'paused' ? (extra.pauseEnd ?? null) : null,
    actions: extra.actions ?? [],
    ...(extra.scheduledChange !== undefined ? { scheduledChange: extra.scheduledChange } : {}),
    ...(extra.nextInvoice !== undefined ? { nextInvoice: extra.nextInvoice } : {}),
  };
}

export function billingSummary(portal: PortalScope, taxIds: Stripe.TaxId[]): BillingSummaryView {
  const c = portal.customer;
  const feature = portal.configuration.features.customer_update;
  return {
    name: c.name,
    email: c.email,
    phone: c.phone,
    address: addressView(c.address),
    shipping: c.shipping
      ? { name: c.shipping.name, phone: c.shipping.phone ?? null, address: addressView(c.shipping.address) }
      : null,
    taxIds: taxIds.map((t) => ({ type: t.type, value: t.value })),
    updateUrl:
      feature.enabled && feature.allowed_updates.length > 0
        ? `${sessionBase(portal.session.id)}/billing`
        : null,
  };
}

export interface HomeData {
  subscriptions: {
    subscription: Stripe.Subscription;
    upcoming: Stripe.Invoice | null;
    /** When a pause for a preset duration ends. */
    pauseEnd?: number | null;
    /** Who drives its schedule: a merchant's blocks cancelling, the portal's pending change does not. */
    scheduleOwner?: ScheduleOwner;
    /** The actions and pending change the portal offers on it (subscription updates). */
    offered?: Pick<SubscriptionView, 'actions' | 'scheduledChange' | 'nextInvoice'>;
  }[];
  products: Map<string, Stripe.Product>;
  paymentMethods: Stripe.PaymentMethod[];
  taxIds: Stripe.TaxId[];
  invoices: { data: Stripe.Invoice[]; hasMore: boolean };
  /** Open invoices past due, offered for payment after a card was added. */
  pastDue?: Stripe.Invoice[];
}

/** The homepage: each section present only when its feature is enabled (§9.4). */
export function homeView(
  portal: PortalScope,
  page: PageChrome,
  csrfToken: string,
  data: HomeData,
  notice: HomeView['notice'],
): HomeView {
  const base = sessionBase(portal.session.id);
  const features = portal.configuration.features;
  const defaultId = idOf(portal.customer.invoice_settings?.default_payment_method as string | null);
  const pmRows: PaymentMethodRowView[] = data.paymentMethods.map((pm) => ({
    ...paymentMethodView(pm, defaultId, portal.now),
    setDefaultUrl: pm.id === defaultId ? null : `${base}/payment-methods/${pm.id}/default`,
    removeUrl: `${base}/payment-methods/${pm.id}/remove`,
  }));
  return {
    page,
    csrfToken,
    notice: notice ?? null,
    subscriptions: data.subscriptions.map((s) =>
      subscriptionView(s.subscription, data.products, s.upcoming, {
        ...s.offered,
        // Changes of plan first, then renew, resume, pause and cancel.
        actions: [
          ...(s.offered?.actions ?? []),
          ...subscriptionActionViews(portal, s.subscription, base, s.scheduleOwner),
        ],
        pauseEnd: s.pauseEnd,
      }),
    ),
    paymentMethods: features.payment_method_update.enabled
      ? { items: pmRows, addUrl: `${base}/payment-methods/new` }
      : null,
    billing: billingSummary(portal, data.taxIds),
    invoices: features.invoice_history.enabled
      ? {
          items: data.invoices.data.map((inv) => invoiceRow(inv, base, portal.now)),
          moreUrl: data.invoices.hasMore ? `${base}/invoices` : null,
        }
      : null,
    payInvoices: payInvoicesView(data.pastDue ?? [], base),
  };
}
