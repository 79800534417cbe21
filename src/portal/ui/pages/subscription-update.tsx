import { type PriceView, priceText } from '../components/billing.tsx';
import type { FieldError, PageChrome } from '../components/chrome.ts';
import { Layout } from '../components/layout.tsx';
import {
  BackLink,
  Badge,
  Button,
  ButtonLink,
  ErrorSummary,
  errorFor,
  errorText,
  Link,
  Notice,
  PostForm,
  SummaryList,
  TextField,
  useI18n,
} from '../components/ui.tsx';
import { fieldId } from '../components/urls.ts';
import type { Money } from '../i18n/format.ts';
import { i18n, type MessageKey } from '../i18n/messages.ts';
import { renderDocument } from '../render.ts';

/** Why a subscription cannot be changed here (the domain's `UpdateBlock`). */
export type UpdateBlockReason =
  | 'status'
  | 'cancel_pending'
  | 'several_products'
  | 'usage_based'
  | 'send_invoice'
  | 'foreign_schedule'
  | 'tax_unspecified'
  | 'product_not_offered'
  | 'nothing_to_change';

const BLOCKS: Record<UpdateBlockReason, MessageKey> = {
  status: 'update.blocked.status',
  cancel_pending: 'unavailable.cancelPending',
  several_products: 'update.blocked.several_products',
  usage_based: 'update.blocked.usage_based',
  send_invoice: 'update.blocked.send_invoice',
  foreign_schedule: 'update.blocked.foreign_schedule',
  tax_unspecified: 'update.blocked.tax_unspecified',
  product_not_offered: 'update.blocked.product_not_offered',
  nothing_to_change: 'update.blocked.nothing_to_change',
};

/** One price the customer may pick. */
export interface PlanChoiceView {
  priceId: string;
  productName: string;
  description?: string | null;
  price: PriceView;
  current: boolean;
  checked: boolean;
}

/** A plan as a summary shows it: product, price, quantity. */
export interface PlanLineView {
  productName: string;
  price: PriceView;
  quantity: number;
}

/**
 * Choose a plan, a quantity and a promotion code. A GET form to the review page (nothing
 * changes until the customer confirms there); `intervals` are links that filter the plans.
 */
export interface UpdatePlanView {
  page: PageChrome;
  /** The review page the form leads to (GET). */
  action: string;
  cancelUrl?: string | null;
  /** Monthly / yearly (when both exist), as links to this page filtered. */
  intervals?: { label: 'month' | 'year' | 'week' | 'day'; url: string; selected: boolean }[] | null;
  choices: PlanChoiceView[];
  /** Quantity input, when it may change. */
  quantity?: { value: number; min: number; max: number | null } | null;
  /** The promotion code field, when codes are allowed. */
  promotionCode?: { value: string | null } | null;
  /** A change already waiting for the period end, which a new one replaces. */
  pending?: { line: PlanLineView; date: number } | null;
  /** Multi-item updates: the item being changed, sent back with the form. */
  itemId?: string | null;
  /** Multi-item updates: the subscription's items, as links to this page for each. */
  items?: { label: string; url: string; selected: boolean }[] | null;
  errors?: FieldError[];
}

export function UpdatePlanPage(props: { view: UpdatePlanView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const errors = view.errors ?? [];
  const priceError = errorFor(errors, 'price');
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('update.title')}>
      <BackLink href={view.cancelUrl} />
      <ErrorSummary
        errors={errors}
        labels={{ quantity: i.t('update.quantity'), promotion_code: i.t('update.promotionCode') }}
      />
      <h1 class="page-title">{i.t('update.title')}</h1>
      {view.pending ? (
        <Notice tone="info">
          {i.t('update.pendingReplaced', {
            product: view.pending.line.productName,
            price: priceText(i, view.pending.line.price),
            date: i.date(view.pending.date),
          })}
        </Notice>
      ) : null}
      {view.items && view.items.length > 1 ? (
        <nav class="segmented" aria-label={i.t('update.title')}>
          {view.items.map((item) => (
            <a
              key={item.url}
              href={item.url}
              class={`segmented__option${item.selected ? ' segmented__option--selected' : ''}`}
              aria-current={item.selected ? 'page' : undefined}
            >
              {item.label}
            </a>
          ))}
        </nav>
      ) : null}
      {view.intervals && view.intervals.length > 1 ? (
        <nav class="segmented" aria-label={i.t('update.interval.legend')}>
          {view.intervals.map((option) => (
            <a
              key={option.label}
              href={option.url}
              class={`segmented__option${option.selected ? ' segmented__option--selected' : ''}`}
              aria-current={option.selected ? 'page' : undefined}
            >
              {i.t(`update.interval.${option.label}` as MessageKey)}
            </a>
          ))}
        </nav>
      ) : null}
      <form method="get" action={view.action} class="form" novalidate>
        {view.itemId ? <input type="hidden" name="item" value={view.itemId} /> : null}
        <fieldset class="fieldset" id={fieldId('price')}>
          <legend class="fieldset__legend">{i.t('update.choosePlan')}</legend>
          {priceError ? <p class="field__error">{errorText(i, priceError)}</p> : null}
          <div class="radios">
            {view.choices.map((choice) => (
              <label class="radio plan-choice" key={choice.priceId} for={`price-${choice.priceId}`}>
                <input
                  class="radio__input"
                  type="radio"
                  name="price"
                  id={`price-${choice.priceId}`}
                  value={choice.priceId}
                  checked={choice.checked}
                />
                <span class="radio__label">
                  <span class="plan-choice__head">
                    <strong>{choice.productName}</strong>
                    {choice.current ? <Badge tone="info">{i.t('update.current')}</Badge> : null}
                  </span>
                  <span class="plan-choice__price">{priceText(i, choice.price)}</span>
                  {choice.description ? (
                    <span class="muted plan-choice__text">{choice.description}</span>
                  ) : null}
                </span>
              </label>
            ))}
          </div>
        </fieldset>
        {view.quantity ? (
          <TextField
            name="quantity"
            label={i.t('update.quantity')}
            hint={
              view.quantity.max === null
                ? i.t('update.quantityMin', { min: view.quantity.min })
                : i.t('update.quantityRange', { min: view.quantity.min, max: view.quantity.max })
            }
            value={String(view.quantity.value)}
            inputmode="numeric"
            width="s"
            errors={errors}
          />
        ) : null}
        {view.promotionCode ? (
          <TextField
            name="promotion_code"
            label={i.t('update.promotionCode')}
            optional
            value={view.promotionCode.value}
            autocomplete="off"
            spellcheck={false}
            width="m"
            errors={errors}
          />
        ) : null}
        <div class="form__actions">
          <button type="submit" class="button button--primary">
            {i.t('update.continue')}
          </button>
          <Link href={view.cancelUrl} class="action-link">
            {i.t('common.cancel')}
          </Link>
        </div>
      </form>
    </Layout>
  );
}

export const renderUpdatePlanPage = (view: UpdatePlanView): string =>
  renderDocument(<UpdatePlanPage view={view} />);

/** One line of what is charged or credited today. */
export interface PreviewLineView {
  kind: 'unused' | 'remaining' | 'period' | 'discount';
  productName: string;
  amount: Money;
}

/**
 * Review a change before confirming it: the plans before and after, what is charged or credited
 * today, the next invoice, or, for a change held until the period end, when it applies.
 */
export interface UpdatePreviewView {
  page: PageChrome;
  csrfToken: string;
  /** Posts the change (the hidden fields carry it). */
  action: string;
  fields: Record<string, string>;
  /** Back to the choice (absent in a `subscription_update_confirm` flow). */
  backUrl?: string | null;
  from: PlanLineView;
  to: PlanLineView;
  promotionCode?: string | null;
  today?: { lines: PreviewLineView[]; total: Money } | null;
  next?: { amount: Money; date: number } | null;
  /** The next invoice's lines when it carries the change's prorations. */
  nextLines?: PreviewLineView[] | null;
  scheduledAt?: number | null;
  trialEnd?: number | null;
  /** The pending change this one replaces. */
  replaces?: PlanLineView | null;
  /** A refused payment: nothing changed; the customer may add a card and try again. */
  errors?: FieldError[];
  addCardUrl?: string | null;
}

const LINE_KEYS: Record<PreviewLineView['kind'], MessageKey> = {
  unused: 'update.preview.unusedTime',
  remaining: 'update.preview.remainingTime',
  period: 'update.preview.newPeriod',
  discount: 'pdf.discount',
};

function PlanLine(props: { line: PlanLineView }) {
  const i = useI18n();
  const { line } = props;
  return (
    <>
      <strong>{line.productName}</strong>
      <span class="line">
        {priceText(i, line.price)}
        {line.quantity > 1 ? ` · ${i.t('subscription.quantity', { count: line.quantity })}` : ''}
      </span>
    </>
  );
}

export function UpdatePreviewPage(props: { view: UpdatePreviewView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const errors = view.errors ?? [];
  const rows = [
    { label: i.t('update.current'), value: <PlanLine line={view.from} /> },
    { label: i.t('update.newPlan'), value: <PlanLine line={view.to} /> },
  ];
  if (view.promotionCode) rows.push({ label: i.t('update.promotionCode'), value: <>{view.promotionCode}</> });
  const credit = view.today && view.today.total.amount < 0;
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('update.preview.title')}>
      <BackLink href={view.backUrl} />
      <ErrorSummary errors={errors} />
      <h1 class="page-title">{i.t('update.preview.title')}</h1>
      {errors.length > 0 ? (
        <Notice tone="warning">
          <p>{i.t('update.notChanged')}</p>
          {view.addCardUrl ? (
            <ul class="notice__links">
              <li>
                <Link href={view.addCardUrl}>{i.t('paymentMethods.add')}</Link>
              </li>
            </ul>
          ) : null}
        </Notice>
      ) : null}
      <div class="card">
        <SummaryList rows={rows} />
      </div>
      {view.replaces ? (
        <p class="muted">{i.t('update.preview.replaces', { product: view.replaces.productName })}</p>
      ) : null}
      {view.scheduledAt ? (
        <Notice tone="info">{i.t('update.preview.scheduled', { date: i.date(view.scheduledAt) })}</Notice>
      ) : null}
      {view.trialEnd ? <p>{i.t('update.preview.trialContinues', { date: i.date(view.trialEnd) })}</p> : null}
      {view.today ? (
        <section class="card preview-card" aria-labelledby="today-title">
          <h2 class="card__title" id="today-title">
            {i.t('update.preview.today')}
          </h2>
          <dl class="totals">
            {view.today.lines.map((line, index) => (
              <div class="totals__row" key={index}>
                <dt>{i.t(LINE_KEYS[line.kind], { product: line.productName })}</dt>
                <dd>{i.money(line.amount)}</dd>
              </div>
            ))}
            <div class="totals__row totals__row--strong">
              <dt>{credit ? i.t('update.preview.credit') : i.t('update.preview.dueToday')}</dt>
              <dd>
                {i.money(
                  credit ? { ...view.today.total, amount: -view.today.total.amount } : view.today.total,
                )}
              </dd>
            </div>
          </dl>
        </section>
      ) : null}
      {view.next && view.nextLines ? (
        <section class="card preview-card" aria-labelledby="next-title">
          <h2 class="card__title" id="next-title">
            {i.t('update.preview.next')}
          </h2>
          <dl class="totals">
            {view.nextLines.map((line, index) => (
              <div class="totals__row" key={index}>
                <dt>{i.t(LINE_KEYS[line.kind], { product: line.productName })}</dt>
                <dd>{i.money(line.amount)}</dd>
              </div>
            ))}
          </dl>
        </section>
      ) : null}
      {view.next ? (
        <p class="preview-next">
          {i.t('subscription.nextInvoice', {
            amount: i.money(view.next.amount),
            date: i.date(view.next.date),
          })}
        </p>
      ) : null}
      <PostForm action={view.action} csrfToken={view.csrfToken} class="form">
        {Object.entries(view.fields).map(([name, value]) => (
          <input type="hidden" name={name} value={value} key={name} />
        ))}
        <div class="form__actions">
          <Button>{errors.length > 0 ? i.t('update.retry') : i.t('update.confirm')}</Button>
        </div>
      </PostForm>
    </Layout>
  );
}

export const renderUpdatePreviewPage = (view: UpdatePreviewView): string =>
  renderDocument(<UpdatePreviewPage view={view} />);

/** Why this subscription cannot be changed here; in a flow, the only way on is the return link. */
export interface UpdateBlockedView {
  page: PageChrome;
  reason: UpdateBlockReason;
  backUrl?: string | null;
}

export function UpdateBlockedPage(props: { view: UpdateBlockedView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('update.blocked.title')}>
      <div class="message">
        <h1 class="page-title">{i.t('update.blocked.title')}</h1>
        <p>{i.t(BLOCKS[view.reason], { business: view.page.business.name })}</p>
        <p class="message__actions">
          {view.backUrl ? (
            <ButtonLink href={view.backUrl} kind="secondary">
              {i.t('common.back')}
            </ButtonLink>
          ) : view.page.returnUrl ? (
            <ButtonLink href={view.page.returnUrl} kind="primary">
              {i.t('layout.returnTo', { business: view.page.business.name })}
            </ButtonLink>
          ) : null}
        </p>
      </div>
    </Layout>
  );
}

export const renderUpdateBlockedPage = (view: UpdateBlockedView): string =>
  renderDocument(<UpdateBlockedPage view={view} />);

/** "Cancel scheduled update": confirm that the pending change is dropped. */
export interface CancelScheduledView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  cancelUrl?: string | null;
  pending: PlanLineView;
  date: number;
}

export function CancelScheduledPage(props: { view: CancelScheduledView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('subscription.action.cancelScheduledUpdate')}>
      <BackLink href={view.cancelUrl} />
      <h1 class="page-title">{i.t('subscription.action.cancelScheduledUpdate')}</h1>
      <PostForm action={view.action} csrfToken={view.csrfToken} class="form">
        <p>
          {i.t('update.cancelScheduled.body', {
            product: view.pending.productName,
            price: priceText(i, view.pending.price),
            date: i.date(view.date),
          })}
        </p>
        <div class="form__actions">
          <Button kind="danger">{i.t('subscription.action.cancelScheduledUpdate')}</Button>
          <Link href={view.cancelUrl} class="action-link">
            {i.t('update.cancelScheduled.keep')}
          </Link>
        </div>
      </PostForm>
    </Layout>
  );
}

export const renderCancelScheduledPage = (view: CancelScheduledView): string =>
  renderDocument(<CancelScheduledPage view={view} />);
