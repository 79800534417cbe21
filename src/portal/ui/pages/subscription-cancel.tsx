import type { FieldError, PageChrome } from '../components/chrome.ts';
import { Layout } from '../components/layout.tsx';
import {
  BackLink,
  Button,
  ErrorSummary,
  errorFor,
  errorText,
  Hidden,
  Link,
  Notice,
  PostForm,
} from '../components/ui.tsx';
import { fieldId } from '../components/urls.ts';
import type { Money } from '../i18n/format.ts';
import { i18n, type MessageKey } from '../i18n/messages.ts';
import { renderDocument } from '../render.ts';
import { SubscriptionSummary, type SubscriptionSummaryView } from './subscription-summary.tsx';

/** Confirm a cancellation: what will happen (the end date, or now with the credit), then one button. */
export interface CancelSubscriptionView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  /** Where "Keep subscription" leads (the homepage, or the return URL in a flow). */
  keepUrl?: string | null;
  subscription: SubscriptionSummaryView;
  mode: 'at_period_end' | 'immediately';
  /** The period end (`at_period_end`), or now. */
  endsAt: number;
  /** `immediately`: the credit for unused time with `create_prorations`, null without. */
  credit?: Money | null;
}

export function CancelSubscriptionPage(props: { view: CancelSubscriptionView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const title = i.t('subscription.action.cancel');
  return (
    <Layout chrome={view.page} i18n={i} title={title}>
      <BackLink href={view.page.flow ? null : view.keepUrl} />
      <h1 class="page-title">{title}</h1>
      <SubscriptionSummary sub={view.subscription} />
      {view.mode === 'at_period_end' ? (
        <p>{i.t('cancel.atPeriodEnd', { date: i.date(view.endsAt) })}</p>
      ) : (
        <>
          <p>{i.t('cancel.immediately')}</p>
          <p class="cancel__credit">
            {view.credit ? i.t('cancel.credit', { amount: i.money(view.credit) }) : i.t('cancel.noCredit')}
          </p>
        </>
      )}
      <PostForm action={view.action} csrfToken={view.csrfToken} class="form action-form">
        <div class="form__actions">
          <Button kind="danger">{title}</Button>
          <Link href={view.keepUrl} class="action-link">
            {i.t('cancel.keep')}
          </Link>
        </div>
      </PostForm>
    </Layout>
  );
}

export const renderCancelSubscriptionPage = (view: CancelSubscriptionView): string =>
  renderDocument(<CancelSubscriptionPage view={view} />);

/** The retention coupon of a `subscription_cancel` flow, offered before the final confirmation. */
export interface RetentionOfferView {
  page: PageChrome;
  csrfToken: string;
  /** Posts `answer=accept` or `answer=decline`. */
  action: string;
  subscription: SubscriptionSummaryView;
  /** The coupon: a percentage or an amount off, for the next invoice, some months or for good. */
  discount: {
    percentOff?: number | null;
    amountOff?: Money | null;
    duration: 'once' | 'repeating' | 'forever';
    months?: number | null;
  };
}

function discountText(i: ReturnType<typeof i18n>, d: RetentionOfferView['discount']): string {
  const amount =
    d.amountOff != null
      ? i.money(d.amountOff)
      : new Intl.NumberFormat(i.locale, { style: 'percent', maximumFractionDigits: 2 }).format(
          (d.percentOff ?? 0) / 100,
        );
  if (d.duration === 'repeating') return i.t('retention.repeating', { amount, count: d.months ?? 1 });
  return i.t(d.duration === 'once' ? 'retention.once' : 'retention.forever', { amount });
}

export function RetentionOfferPage(props: { view: RetentionOfferView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('retention.title')}>
      <h1 class="page-title">{i.t('retention.title')}</h1>
      <SubscriptionSummary sub={view.subscription} />
      <p class="retention__offer">{discountText(i, view.discount)}</p>
      <PostForm action={view.action} csrfToken={view.csrfToken} class="form action-form">
        <div class="form__actions">
          <Button name="answer" value="accept">
            {i.t('retention.accept')}
          </Button>
          <Button kind="link" name="answer" value="decline">
            {i.t('retention.decline')}
          </Button>
        </div>
      </PostForm>
    </Layout>
  );
}

export const renderRetentionOfferPage = (view: RetentionOfferView): string =>
  renderDocument(<RetentionOfferPage view={view} />);

/**
 * The optional reasons step after a cancellation: one choice (a configured reason, or one of the
 * account's feedback options) and a comment. Posts `reason` and `comment`; `skip` posts nothing.
 */
export interface CancelReasonView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  /** What was just done, said at the top. */
  canceled: { mode: 'at_period_end' | 'immediately'; endsAt: number };
  /** `value` is what posts as `reason`: a Stripe feedback value, or `option:<id>` with its own text. */
  choices: { value: string; description?: string }[];
  selected?: string | null;
  comment?: string | null;
  errors?: FieldError[];
}

export function CancelReasonPage(props: { view: CancelReasonView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const choiceError = errorFor(view.errors, 'reason');
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('reason.title')}>
      <ErrorSummary errors={view.errors} />
      <Notice>
        {view.canceled.mode === 'at_period_end'
          ? i.t('subscription.cancelsOn', { date: i.date(view.canceled.endsAt) })
          : i.t('notice.subscriptionCanceled')}
      </Notice>
      <h1 class="page-title">{i.t('reason.title')}</h1>
      <p class="muted">{i.t('reason.body')}</p>
      <PostForm action={view.action} csrfToken={view.csrfToken} class="form action-form">
        <fieldset class="fieldset" aria-describedby={choiceError ? 'reason-error' : undefined}>
          <legend class="visually-hidden">{i.t('reason.title')}</legend>
          {choiceError ? (
            <p class="field__error" id="reason-error">
              <Hidden>{i.t('errors.prefix')} </Hidden>
              {errorText(i, choiceError)}
            </p>
          ) : null}
          <div class="radios" id={fieldId('reason')}>
            {view.choices.map((choice) => {
              const id = `reason-${choice.value.replace(/[^a-z0-9_]/gi, '-')}`;
              return (
                <div class="radio" key={choice.value}>
                  <input
                    class="radio__input"
                    type="radio"
                    id={id}
                    name="reason"
                    value={choice.value}
                    checked={view.selected === choice.value}
                  />
                  <label class="radio__label" for={id}>
                    {choice.description ?? i.t(`cancel.reason.${choice.value}` as MessageKey)}
                  </label>
                </div>
              );
            })}
          </div>
        </fieldset>
        <div class="field">
          <label class="field__label" for="comment">
            {i.t('reason.comment')}
            <span class="field__optional"> {i.t('common.optional')}</span>
          </label>
          <textarea class="input textarea" id="comment" name="comment" rows={4} maxlength={5000}>
            {view.comment ?? ''}
          </textarea>
        </div>
        <div class="form__actions">
          <Button>{i.t('reason.submit')}</Button>
          <Button kind="link" name="skip" value="1">
            {i.t('reason.skip')}
          </Button>
        </div>
      </PostForm>
    </Layout>
  );
}

export const renderCancelReasonPage = (view: CancelReasonView): string =>
  renderDocument(<CancelReasonPage view={view} />);

/** Renew a subscription set to cancel at its period end. */
export interface RenewSubscriptionView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  backUrl?: string | null;
  subscription: SubscriptionSummaryView;
  /** When it would otherwise end. */
  endsAt: number;
}

export function RenewSubscriptionPage(props: { view: RenewSubscriptionView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const title = i.t('subscription.action.renew');
  return (
    <Layout chrome={view.page} i18n={i} title={title}>
      <BackLink href={view.backUrl} />
      <h1 class="page-title">{title}</h1>
      <SubscriptionSummary sub={view.subscription} />
      <p>{i.t('renew.body', { date: i.date(view.endsAt) })}</p>
      <PostForm action={view.action} csrfToken={view.csrfToken} class="form action-form">
        <div class="form__actions">
          <Button>{title}</Button>
          <Link href={view.backUrl} class="action-link">
            {i.t('common.back')}
          </Link>
        </div>
      </PostForm>
    </Layout>
  );
}

export const renderRenewSubscriptionPage = (view: RenewSubscriptionView): string =>
  renderDocument(<RenewSubscriptionPage view={view} />);

/**
 * A subscription the action no longer applies to (it ended, is already set to cancel, or does
 * not qualify): an explanation and the way out, the return link in a flow.
 */
export interface SubscriptionUnavailableView {
  page: PageChrome;
  reason: 'ended' | 'cancel_pending' | 'not_eligible';
}

const UNAVAILABLE: Record<SubscriptionUnavailableView['reason'], MessageKey> = {
  ended: 'unavailable.ended',
  cancel_pending: 'unavailable.cancelPending',
  not_eligible: 'unavailable.notEligible',
};

export function SubscriptionUnavailablePage(props: { view: SubscriptionUnavailableView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('unavailable.title')}>
      <div class="message">
        <h1 class="page-title">{i.t('unavailable.title')}</h1>
        <p>{i.t(UNAVAILABLE[view.reason], { business: view.page.business.name })}</p>
        <p class="message__actions">
          {view.page.homeUrl && !view.page.flow ? (
            <Link href={view.page.homeUrl} class="button button--primary">
              {i.t('errorPage.home')}
            </Link>
          ) : view.page.returnUrl ? (
            <Link href={view.page.returnUrl} class="button button--primary">
              {i.t('layout.returnTo', { business: view.page.business.name })}
            </Link>
          ) : null}
        </p>
      </div>
    </Layout>
  );
}

export const renderSubscriptionUnavailablePage = (view: SubscriptionUnavailableView): string =>
  renderDocument(<SubscriptionUnavailablePage view={view} />);
