import { type AddressView, addressLines } from '../components/address.tsx';
import {
  type InvoiceStatus,
  InvoiceStatusBadge,
  PaymentMethodSummary,
  type PaymentMethodView,
  taxIdTypeName,
} from '../components/billing.tsx';
import { CardFields, type CardValues, TestCards } from '../components/card-fields.tsx';
import type { FieldError, PageChrome } from '../components/chrome.ts';
import { Layout } from '../components/layout.tsx';
import {
  BackLink,
  Button,
  ButtonLink,
  ErrorSummary,
  errorFor,
  errorText,
  Hidden,
  Lines,
  Link,
  Notice,
  PostForm,
  useI18n,
} from '../components/ui.tsx';
import type { Money } from '../i18n/format.ts';
import { i18n } from '../i18n/messages.ts';
import { renderDocument } from '../render.ts';
import { type InvoiceRowView, InvoiceTable } from './home.tsx';

/** The invoice history, one page of it. */
export interface InvoiceListView {
  page: PageChrome;
  items: InvoiceRowView[];
  /** Links to the newer and older pages, when there are any. */
  newerUrl?: string | null;
  olderUrl?: string | null;
  backUrl?: string | null;
}

export function InvoiceListPage(props: { view: InvoiceListView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('invoices.title')}>
      <BackLink href={view.backUrl} />
      <h1 class="page-title">{i.t('invoices.title')}</h1>
      <InvoiceTable rows={view.items} />
      {view.newerUrl || view.olderUrl ? (
        <nav class="pager" aria-label={i.t('invoices.pagination')}>
          {view.newerUrl ? (
            <ButtonLink href={view.newerUrl}>
              <span aria-hidden="true">← </span>
              {i.t('invoices.newer')}
            </ButtonLink>
          ) : (
            <span />
          )}
          {view.olderUrl ? (
            <ButtonLink href={view.olderUrl}>
              {i.t('invoices.older')}
              <span aria-hidden="true"> →</span>
            </ButtonLink>
          ) : null}
        </nav>
      ) : null}
    </Layout>
  );
}

export const renderInvoiceListPage = (view: InvoiceListView): string =>
  renderDocument(<InvoiceListPage view={view} />);

export interface InvoiceLineView {
  description: string;
  quantity?: number | null;
  /** Unit price, when the line has one. */
  unitAmount?: Money | null;
  amount: Money;
  /** The service period (Unix seconds). */
  period?: { start: number; end: number } | null;
}

/** The part of the invoice the pay form acts on. Posts `payment_method=<id>` or `payment_method=new` with `card[…]`. */
export interface InvoicePayView {
  action: string;
  savedMethods: PaymentMethodView[];
  /** The method selected on display (the default, or the customer's last choice). */
  selected?: string | null;
  card?: CardValues;
  errors?: FieldError[];
}

/** The hosted invoice page: readable at its own URL without a portal session. */
export interface HostedInvoiceView {
  page: PageChrome;
  csrfToken: string;
  invoice: {
    number?: string | null;
    status: InvoiceStatus;
    /** Finalization date. */
    date: number;
    dueDate?: number | null;
    paidAt?: number | null;
    overdue?: boolean;
    /** What the business wrote on the invoice (`description`) and its footer. */
    memo?: string | null;
    footer?: string | null;
    business: { name: string; email?: string | null; phone?: string | null; address?: AddressView | null };
    customer: {
      name?: string | null;
      email?: string | null;
      address?: AddressView | null;
      shipping?: { name?: string | null; address?: AddressView | null } | null;
      taxIds?: { type: string; value: string }[];
    };
    lines: InvoiceLineView[];
    subtotal: Money;
    discounts?: { name: string; amount: Money }[];
    taxes?: { name: string; amount: Money }[];
    total: Money;
    amountDue: Money;
    amountPaid: Money;
    amountRemaining: Money;
    pdfUrl?: string | null;
    receiptUrl?: string | null;
  };
  /** The pay form, for an open invoice. */
  pay?: InvoicePayView | null;
  notice?: 'invoice_paid' | 'authentication_failed' | null;
}

function Party(props: { title: string; lines: string[] }) {
  return (
    <div class="party">
      <h2 class="party__title">{props.title}</h2>
      <p class="party__lines">
        <Lines lines={props.lines} />
      </p>
    </div>
  );
}

function Totals(props: { invoice: HostedInvoiceView['invoice'] }) {
  const i = useI18n();
  const inv = props.invoice;
  const rows: [string, string, string?][] = [[i.t('hostedInvoice.subtotal'), i.money(inv.subtotal)]];
  for (const d of inv.discounts ?? [])
    rows.push([d.name, i.money({ ...d.amount, amount: -Math.abs(d.amount.amount) })]);
  for (const t of inv.taxes ?? []) rows.push([t.name, i.money(t.amount)]);
  rows.push([i.t('hostedInvoice.total'), i.money(inv.total), 'strong']);
  if (inv.amountPaid.amount > 0) rows.push([i.t('hostedInvoice.amountPaid'), i.money(inv.amountPaid)]);
  if (inv.status !== 'paid' && inv.status !== 'void')
    rows.push([i.t('hostedInvoice.amountRemaining'), i.money(inv.amountRemaining), 'strong']);
  return (
    <dl class="totals">
      {rows.map(([label, value, weight]) => (
        <div class={`totals__row${weight ? ' totals__row--strong' : ''}`} key={label}>
          <dt>{label}</dt>
          <dd>{value}</dd>
        </div>
      ))}
    </dl>
  );
}

function PayForm(props: { pay: InvoicePayView; amount: Money; csrfToken: string; testMode: boolean }) {
  const i = useI18n();
  const { pay } = props;
  const selected =
    pay.selected ?? pay.savedMethods.find((m) => m.isDefault)?.id ?? pay.savedMethods[0]?.id ?? 'new';
  const choiceError = errorFor(pay.errors, 'payment_method');
  return (
    <section class="section" aria-labelledby="pay-title">
      <h2 class="section__title" id="pay-title">
        {i.t('hostedInvoice.payTitle')}
      </h2>
      {props.testMode ? <TestCards /> : null}
      <PostForm action={pay.action} csrfToken={props.csrfToken} class="form">
        <fieldset class="fieldset" aria-describedby={choiceError ? 'payment_method-error' : undefined}>
          <legend class="fieldset__legend">{i.t('hostedInvoice.chooseMethod')}</legend>
          {choiceError ? (
            <p class="field__error" id="payment_method-error">
              <Hidden>{i.t('errors.prefix')} </Hidden>
              {errorText(i, choiceError)}
            </p>
          ) : null}
          <div class="radios" id="payment_method">
            {pay.savedMethods.map((pm) => (
              <div class="radio" key={pm.id}>
                <input
                  class="radio__input"
                  type="radio"
                  id={`payment_method-${pm.id}`}
                  name="payment_method"
                  value={pm.id}
                  checked={selected === pm.id}
                />
                <label class="radio__label" for={`payment_method-${pm.id}`}>
                  <PaymentMethodSummary pm={pm} />
                </label>
              </div>
            ))}
            <div class="radio">
              <input
                class="radio__input"
                type="radio"
                id="payment_method-new"
                name="payment_method"
                value="new"
                checked={selected === 'new'}
              />
              <label class="radio__label" for="payment_method-new">
                {i.t('hostedInvoice.newCard')}
              </label>
            </div>
          </div>
          <div class="radio__conditional" id="new-card" data-reveal-for="payment_method-new">
            <CardFields prefix="card" values={pay.card} errors={pay.errors} />
          </div>
        </fieldset>
        <div class="form__actions">
          <Button>{i.t('hostedInvoice.pay', { amount: i.money(props.amount) })}</Button>
        </div>
      </PostForm>
    </section>
  );
}

export function HostedInvoicePage(props: { view: HostedInvoiceView }) {
  const { view } = props;
  const inv = view.invoice;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const title = inv.number
    ? i.t('hostedInvoice.title', { number: inv.number })
    : i.t('hostedInvoice.titleNoNumber');
  const headline =
    inv.status === 'paid'
      ? i.t('hostedInvoice.paidOn', { date: i.date(inv.paidAt ?? inv.date) })
      : inv.dueDate && inv.status === 'open'
        ? i.t('hostedInvoice.dueOn', { date: i.date(inv.dueDate) })
        : undefined;
  const customerLines = [
    inv.customer.name ?? '',
    ...(inv.customer.address ? addressLines(inv.customer.address, i) : []),
    inv.customer.email ?? '',
    ...(inv.customer.taxIds ?? []).map((t) => `${taxIdTypeName(i, t.type)}: ${t.value}`),
  ].filter(Boolean);
  const businessLines = [
    inv.business.name,
    ...(inv.business.address ? addressLines(inv.business.address, i) : []),
    inv.business.email ?? '',
    inv.business.phone ?? '',
  ].filter(Boolean);
  return (
    <Layout chrome={view.page} i18n={i} title={title}>
      {errorsOf(view).length > 0 ? <ErrorSummary errors={errorsOf(view)} /> : null}
      {view.notice === 'invoice_paid' ? <Notice>{i.t('notice.invoicePaid')}</Notice> : null}
      {view.notice === 'authentication_failed' ? (
        <Notice tone="warning">{i.t('notice.authenticationFailed')}</Notice>
      ) : null}
      <div class="invoice-head">
        <p class="invoice-head__amount">
          {i.money(inv.status === 'paid' ? inv.amountPaid : inv.amountRemaining)}
          <InvoiceStatusBadge status={inv.status} overdue={inv.overdue} />
        </p>
        <h1 class="page-title">{title}</h1>
        {headline ? <p class="muted">{headline}</p> : null}
        <ul class="actions">
          {inv.pdfUrl ? (
            <li>
              <Link href={inv.pdfUrl} class="action-link">
                {i.t('hostedInvoice.downloadPdf')}
              </Link>
            </li>
          ) : null}
          {inv.receiptUrl ? (
            <li>
              <Link href={inv.receiptUrl} class="action-link">
                {i.t('hostedInvoice.downloadReceipt')}
              </Link>
            </li>
          ) : null}
        </ul>
      </div>
      {view.pay && inv.status === 'open' ? (
        <PayForm
          pay={view.pay}
          amount={inv.amountRemaining}
          csrfToken={view.csrfToken}
          testMode={view.page.testMode}
        />
      ) : null}
      <section class="section" aria-labelledby="invoice-details-title">
        <h2 class="section__title" id="invoice-details-title">
          {i.t('hostedInvoice.details')}
        </h2>
        <dl class="summary summary--compact">
          {inv.number ? (
            <div class="summary__row">
              <dt class="summary__label">{i.t('invoices.number')}</dt>
              <dd class="summary__value mono">{inv.number}</dd>
            </div>
          ) : null}
          <div class="summary__row">
            <dt class="summary__label">{i.t('hostedInvoice.issued')}</dt>
            <dd class="summary__value">{i.date(inv.date)}</dd>
          </div>
          {inv.dueDate ? (
            <div class="summary__row">
              <dt class="summary__label">{i.t('hostedInvoice.due')}</dt>
              <dd class="summary__value">{i.date(inv.dueDate)}</dd>
            </div>
          ) : null}
        </dl>
        <div class="parties">
          <Party title={i.t('hostedInvoice.from')} lines={businessLines} />
          <Party title={i.t('hostedInvoice.billTo')} lines={customerLines} />
        </div>
        {inv.memo ? <p class="memo">{inv.memo}</p> : null}
        <table class="table lines">
          <caption class="visually-hidden">{i.t('hostedInvoice.lines')}</caption>
          <thead>
            <tr>
              <th scope="col">{i.t('hostedInvoice.description')}</th>
              <th scope="col" class="table__qty">
                {i.t('hostedInvoice.qty')}
              </th>
              <th scope="col" class="table__amount">
                {i.t('invoices.amount')}
              </th>
            </tr>
          </thead>
          <tbody>
            {inv.lines.map((line, index) => (
              <tr key={index}>
                <td>
                  <span class="lines__description">{line.description}</span>
                  {line.period ? (
                    <span class="lines__meta">
                      {i.t('hostedInvoice.period', {
                        start: i.date(line.period.start),
                        end: i.date(line.period.end),
                      })}
                    </span>
                  ) : null}
                  {line.unitAmount && (line.quantity ?? 1) > 1 ? (
                    <span class="lines__meta">
                      {i.t('hostedInvoice.unitPrice', { amount: i.money(line.unitAmount) })}
                    </span>
                  ) : null}
                </td>
                <td class="table__qty">{line.quantity ?? ''}</td>
                <td class="table__amount">{i.money(line.amount)}</td>
              </tr>
            ))}
          </tbody>
        </table>
        <Totals invoice={inv} />
        {inv.footer ? <p class="memo muted">{inv.footer}</p> : null}
      </section>
    </Layout>
  );
}

const errorsOf = (view: HostedInvoiceView) => view.pay?.errors ?? [];

export const renderHostedInvoicePage = (view: HostedInvoiceView): string =>
  renderDocument(<HostedInvoicePage view={view} />);
