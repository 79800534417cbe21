import { type AddressView, addressLines } from '../components/address.tsx';
import {
  type InvoiceStatus,
  InvoiceStatusBadge,
  PaymentMethodSummary,
  type PaymentMethodView,
  type PriceView,
  priceText,
  type SubscriptionStatus,
  SubscriptionStatusBadge,
  taxIdTypeName,
} from '../components/billing.tsx';
import type { NoticeKind, PageChrome } from '../components/chrome.ts';
import { Layout } from '../components/layout.tsx';
import {
  Button,
  ButtonLink,
  Hidden,
  Lines,
  Link,
  Notice,
  PostForm,
  Section,
  SummaryList,
  useI18n,
} from '../components/ui.tsx';
import type { Money } from '../i18n/format.ts';
import { i18n, type MessageKey } from '../i18n/messages.ts';
import { renderDocument } from '../render.ts';

/** An action offered on a subscription: a link to that action's own page. */
export interface SubscriptionActionView {
  kind: 'update' | 'cancel' | 'renew' | 'pause' | 'resume' | 'cancel_scheduled_update';
  url: string;
}

export interface SubscriptionItemView {
  productName: string;
  description?: string | null;
  price: PriceView;
  quantity?: number | null;
}

export interface SubscriptionView {
  id: string;
  status: SubscriptionStatus;
  /** The first item leads; further items are listed under it. */
  items: SubscriptionItemView[];
  /** The next invoice: when and how much (after discounts), when one is due. */
  nextInvoice?: { date: number; amount: Money } | null;
  /** `trial_end` while trialing. */
  trialEnd?: number | null;
  /** When the subscription ends (`cancel_at`, or the period end with `cancel_at_period_end`). */
  cancelAt?: number | null;
  /** For a paused subscription: when it resumes by itself, if it does. */
  resumesAt?: number | null;
  /** A change waiting for the period end (schedule): the new price, from when. */
  scheduledChange?: { date: number; price: PriceView; productName: string } | null;
  /** Links to the actions allowed on this subscription; none while the portal is read-only. */
  actions?: SubscriptionActionView[];
}

export interface InvoiceRowView {
  id: string;
  number?: string | null;
  /** Unix seconds: finalization (or creation) date. */
  date: number;
  amount: Money;
  status: InvoiceStatus;
  /** An open invoice past its due date. */
  overdue?: boolean;
  /** The invoice's hosted page. */
  url: string;
}

export interface BillingSummaryView {
  name?: string | null;
  email?: string | null;
  phone?: string | null;
  address?: AddressView | null;
  shipping?: { name?: string | null; phone?: string | null; address?: AddressView | null } | null;
  taxIds?: { type: string; value: string }[];
  /** The billing information form; absent when nothing may be changed. */
  updateUrl?: string | null;
}

export interface PaymentMethodRowView extends PaymentMethodView {
  /** Posts to make it the default (shown on the others). */
  setDefaultUrl?: string | null;
  /** The removal confirmation page. */
  removeUrl?: string | null;
}

/** The portal homepage. A section whose value is null or absent is switched off. */
export interface HomeView {
  page: PageChrome;
  csrfToken: string;
  /** Shown after post/redirect/get. */
  notice?: NoticeKind | null;
  subscriptions?: SubscriptionView[] | null;
  paymentMethods?: { items: PaymentMethodRowView[]; addUrl?: string | null } | null;
  billing?: BillingSummaryView | null;
  invoices?: { items: InvoiceRowView[]; moreUrl?: string | null } | null;
  /** After a card was added: open invoices past due, offered for payment with links to their pages. */
  payInvoices?: PayInvoiceView[] | null;
}

/** An open invoice past due, linked to its page where it can be paid. */
export interface PayInvoiceView {
  number: string | null;
  amount: Money;
  url: string;
}

function PayInvoices(props: { items: PayInvoiceView[] }) {
  const i = useI18n();
  return (
    <Notice tone="info">
      <p>{i.t('home.payInvoices', { count: props.items.length })}</p>
      <ul class="notice__links">
        {props.items.map((inv) => (
          <li key={inv.url}>
            <Link href={inv.url}>
              {i.t('invoices.view', { number: inv.number ?? '' })} ({i.money(inv.amount)})
            </Link>
          </li>
        ))}
      </ul>
    </Notice>
  );
}

const NOTICES: Record<NoticeKind, MessageKey> = {
  billing_info_saved: 'notice.billingInfoSaved',
  card_added: 'notice.cardAdded',
  card_removed: 'notice.cardRemoved',
  default_card_set: 'notice.defaultCardSet',
  invoice_paid: 'notice.invoicePaid',
  authentication_failed: 'notice.authenticationFailed',
  subscription_canceled: 'notice.subscriptionCanceled',
  cancel_scheduled: 'notice.cancelScheduled',
  subscription_renewed: 'notice.subscriptionRenewed',
  subscription_paused: 'notice.subscriptionPaused',
  subscription_resumed: 'notice.subscriptionResumed',
  retention_accepted: 'notice.retentionAccepted',
  subscription_updated: 'notice.subscriptionUpdated',
  update_scheduled: 'notice.updateScheduled',
  scheduled_update_canceled: 'notice.scheduledUpdateCanceled',
};

const ACTIONS: Record<SubscriptionActionView['kind'], MessageKey> = {
  update: 'subscription.action.update',
  cancel: 'subscription.action.cancel',
  renew: 'subscription.action.renew',
  pause: 'subscription.action.pause',
  resume: 'subscription.action.resume',
  cancel_scheduled_update: 'subscription.action.cancelScheduledUpdate',
};

export function NoticeLine(props: { notice: NoticeKind | null | undefined }) {
  const i = useI18n();
  if (!props.notice) return null;
  return (
    <Notice tone={props.notice === 'authentication_failed' ? 'warning' : 'success'}>
      {i.t(NOTICES[props.notice])}
    </Notice>
  );
}

function SubscriptionCard(props: { sub: SubscriptionView }) {
  const i = useI18n();
  const { sub } = props;
  const [lead, ...rest] = sub.items;
  const notes: string[] = [];
  if (sub.status === 'trialing' && sub.trialEnd)
    notes.push(i.t('subscription.trialEnds', { date: i.date(sub.trialEnd) }));
  if (sub.cancelAt) notes.push(i.t('subscription.cancelsOn', { date: i.date(sub.cancelAt) }));
  if (sub.status === 'paused')
    notes.push(
      sub.resumesAt
        ? i.t('subscription.pausedUntil', { date: i.date(sub.resumesAt) })
        : i.t('subscription.paused'),
    );
  if (sub.status === 'past_due' || sub.status === 'unpaid') notes.push(i.t('subscription.pastDue'));
  return (
    <article class="card sub" aria-labelledby={`sub-${sub.id}`}>
      <div class="card__head">
        <h3 class="card__title" id={`sub-${sub.id}`}>
          {lead?.productName ?? i.t('subscription.untitled')}
        </h3>
        <SubscriptionStatusBadge status={sub.status} />
      </div>
      {lead ? (
        <p class="sub__price">
          {priceText(i, lead.price)}
          {lead.quantity && lead.quantity > 1 ? (
            <span class="sub__qty"> · {i.t('subscription.quantity', { count: lead.quantity })}</span>
          ) : null}
        </p>
      ) : null}
      {lead?.description ? <p class="muted">{lead.description}</p> : null}
      {rest.length > 0 ? (
        <ul class="sub__items">
          {rest.map((item) => (
            <li key={item.productName}>
              {item.productName} · {priceText(i, item.price)}
              {item.quantity && item.quantity > 1
                ? ` · ${i.t('subscription.quantity', { count: item.quantity })}`
                : ''}
            </li>
          ))}
        </ul>
      ) : null}
      {notes.length > 0 ? (
        <ul class="sub__notes">
          {notes.map((note) => (
            <li key={note}>{note}</li>
          ))}
        </ul>
      ) : null}
      {sub.scheduledChange ? (
        <p class="sub__scheduled">
          {i.t('subscription.scheduledChange', {
            date: i.date(sub.scheduledChange.date),
            product: sub.scheduledChange.productName,
            price: priceText(i, sub.scheduledChange.price),
          })}
        </p>
      ) : null}
      {sub.nextInvoice && sub.status !== 'paused' && !sub.cancelAt ? (
        <p class="sub__next muted">
          {i.t('subscription.nextInvoice', {
            date: i.date(sub.nextInvoice.date),
            amount: i.money(sub.nextInvoice.amount),
          })}
        </p>
      ) : null}
      {sub.actions && sub.actions.length > 0 ? (
        <ul class="actions">
          {sub.actions.map((action) => (
            <li key={action.kind}>
              <Link href={action.url} class="action-link">
                {i.t(ACTIONS[action.kind])}
                <Hidden>: {lead?.productName ?? ''}</Hidden>
              </Link>
            </li>
          ))}
        </ul>
      ) : null}
    </article>
  );
}

function Subscriptions(props: { subs: SubscriptionView[] }) {
  const i = useI18n();
  return (
    <Section id="subscriptions" title={i.t('home.subscriptions.title', { count: props.subs.length })}>
      {props.subs.length === 0 ? (
        <p class="muted">{i.t('home.subscriptions.none')}</p>
      ) : (
        <div class="stack">
          {props.subs.map((sub) => (
            <SubscriptionCard key={sub.id} sub={sub} />
          ))}
        </div>
      )}
    </Section>
  );
}

function PaymentMethods(props: { data: NonNullable<HomeView['paymentMethods']>; csrfToken: string }) {
  const i = useI18n();
  const { items, addUrl } = props.data;
  return (
    <Section id="payment-methods" title={i.t('home.paymentMethods.title')}>
      {items.length === 0 ? <p class="muted">{i.t('home.paymentMethods.none')}</p> : null}
      <ul class="list">
        {items.map((pm) => (
          <li class="list__row" key={pm.id}>
            <PaymentMethodSummary pm={pm} />
            <div class="list__actions">
              {!pm.isDefault && pm.setDefaultUrl ? (
                <PostForm action={pm.setDefaultUrl} csrfToken={props.csrfToken} class="inline-form">
                  <Button kind="link">
                    {i.t('paymentMethods.makeDefault')}
                    <Hidden>: {pm.last4 ?? ''}</Hidden>
                  </Button>
                </PostForm>
              ) : null}
              {pm.removeUrl ? (
                <Link href={pm.removeUrl} class="action-link action-link--danger">
                  {i.t('paymentMethods.remove')}
                  <Hidden>: {pm.last4 ?? ''}</Hidden>
                </Link>
              ) : null}
            </div>
          </li>
        ))}
      </ul>
      {addUrl ? (
        <p>
          <Link href={addUrl} class="add-link">
            <span aria-hidden="true">+ </span>
            {i.t('paymentMethods.add')}
          </Link>
        </p>
      ) : null}
    </Section>
  );
}

function Billing(props: { data: BillingSummaryView }) {
  const i = useI18n();
  const b = props.data;
  const rows: { label: string; value: preact.ComponentChildren }[] = [];
  if (b.name) rows.push({ label: i.t('billing.name'), value: b.name });
  if (b.email) rows.push({ label: i.t('billing.email'), value: b.email });
  if (b.phone) rows.push({ label: i.t('billing.phone'), value: b.phone });
  if (b.address)
    rows.push({ label: i.t('billing.address'), value: <Lines lines={addressLines(b.address, i)} /> });
  if (b.shipping?.address)
    rows.push({
      label: i.t('billing.shipping'),
      value: (
        <Lines
          lines={[
            b.shipping.name ?? '',
            ...addressLines(b.shipping.address, i),
            b.shipping.phone ?? '',
          ].filter(Boolean)}
        />
      ),
    });
  if (b.taxIds && b.taxIds.length > 0)
    rows.push({
      label: i.t('billing.taxIds'),
      value: <Lines lines={b.taxIds.map((t) => `${taxIdTypeName(i, t.type)}: ${t.value}`)} />,
    });
  return (
    <Section
      id="billing"
      title={i.t('home.billing.title')}
      action={
        b.updateUrl ? (
          <Link href={b.updateUrl} class="action-link">
            {i.t('home.billing.update')}
          </Link>
        ) : null
      }
    >
      {rows.length > 0 ? <SummaryList rows={rows} /> : <p class="muted">{i.t('home.billing.none')}</p>}
    </Section>
  );
}

/** Invoice rows as a table: date (link to the invoice), number, amount, status. */
export function InvoiceTable(props: { rows: InvoiceRowView[] }) {
  const i = useI18n();
  if (props.rows.length === 0) return <p class="muted">{i.t('invoices.none')}</p>;
  return (
    <table class="table">
      <caption class="visually-hidden">{i.t('invoices.title')}</caption>
      <thead>
        <tr>
          <th scope="col">{i.t('invoices.date')}</th>
          <th scope="col" class="table__number">
            {i.t('invoices.number')}
          </th>
          <th scope="col" class="table__amount">
            {i.t('invoices.amount')}
          </th>
          <th scope="col">{i.t('invoices.status')}</th>
        </tr>
      </thead>
      <tbody>
        {props.rows.map((row) => (
          <tr key={row.id}>
            <td>
              <Link href={row.url}>
                {i.date(row.date)}
                <Hidden> {i.t('invoices.view', { number: row.number ?? '' })}</Hidden>
              </Link>
            </td>
            <td class="table__number">{row.number ?? '—'}</td>
            <td class="table__amount">{i.money(row.amount)}</td>
            <td>
              <InvoiceStatusBadge status={row.status} overdue={row.overdue} />
            </td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

function Invoices(props: { data: NonNullable<HomeView['invoices']> }) {
  const i = useI18n();
  return (
    <Section id="invoices" title={i.t('invoices.title')}>
      <InvoiceTable rows={props.data.items} />
      {props.data.moreUrl ? (
        <p>
          <ButtonLink href={props.data.moreUrl} kind="secondary">
            {i.t('invoices.viewMore')}
          </ButtonLink>
        </p>
      ) : null}
    </Section>
  );
}

export function HomePage(props: { view: HomeView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('home.title')}>
      <h1 class="page-title">{i.t('home.title')}</h1>
      <NoticeLine notice={view.notice} />
      {view.payInvoices && view.payInvoices.length > 0 ? <PayInvoices items={view.payInvoices} /> : null}
      {view.subscriptions ? <Subscriptions subs={view.subscriptions} /> : null}
      {view.paymentMethods ? <PaymentMethods data={view.paymentMethods} csrfToken={view.csrfToken} /> : null}
      {view.billing ? <Billing data={view.billing} /> : null}
      {view.invoices ? <Invoices data={view.invoices} /> : null}
    </Layout>
  );
}

export const renderHomePage = (view: HomeView): string => renderDocument(<HomePage view={view} />);
