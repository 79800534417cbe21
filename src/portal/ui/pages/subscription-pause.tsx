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
  PostForm,
} from '../components/ui.tsx';
import { fieldId } from '../components/urls.ts';
import { i18n } from '../i18n/messages.ts';
import { renderDocument } from '../render.ts';
import { SubscriptionSummary, type SubscriptionSummaryView } from './subscription-summary.tsx';

/** One pause duration: posts `duration=<key>`; `resumesAt` null for a pause until the customer resumes. */
export interface PauseChoiceView {
  key: string;
  interval?: 'day' | 'week' | 'month' | 'year' | null;
  count?: number | null;
  resumesAt: number | null;
}

/** Pause a subscription for one of the configured durations. */
export interface PauseSubscriptionView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  backUrl?: string | null;
  subscription: SubscriptionSummaryView;
  choices: PauseChoiceView[];
  selected?: string | null;
  errors?: FieldError[];
}

export function PauseSubscriptionPage(props: { view: PauseSubscriptionView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const title = i.t('subscription.action.pause');
  const selected = view.selected ?? view.choices[0]?.key;
  const choiceError = errorFor(view.errors, 'duration');
  return (
    <Layout chrome={view.page} i18n={i} title={title}>
      <BackLink href={view.page.flow ? null : view.backUrl} />
      <ErrorSummary errors={view.errors} />
      <h1 class="page-title">{title}</h1>
      <SubscriptionSummary sub={view.subscription} />
      <p>{i.t('pause.body')}</p>
      <PostForm action={view.action} csrfToken={view.csrfToken} class="form action-form">
        <fieldset class="fieldset" aria-describedby={choiceError ? 'duration-error' : undefined}>
          <legend class="fieldset__legend">{i.t('pause.duration')}</legend>
          {choiceError ? (
            <p class="field__error" id="duration-error">
              <Hidden>{i.t('errors.prefix')} </Hidden>
              {errorText(i, choiceError)}
            </p>
          ) : null}
          <div class="radios" id={fieldId('duration')}>
            {view.choices.map((choice) => {
              const id = `duration-${choice.key}`;
              return (
                <div class="radio" key={choice.key}>
                  <input
                    class="radio__input"
                    type="radio"
                    id={id}
                    name="duration"
                    value={choice.key}
                    checked={selected === choice.key}
                    aria-describedby={choice.resumesAt ? `${id}-hint` : undefined}
                  />
                  <label class="radio__label" for={id}>
                    {choice.interval
                      ? i.t('pause.for', { interval: choice.interval, count: choice.count ?? 1 })
                      : i.t('pause.indefinite')}
                    {choice.resumesAt ? (
                      <span class="radio__hint muted" id={`${id}-hint`}>
                        {i.t('pause.resumesOn', { date: i.date(choice.resumesAt) })}
                      </span>
                    ) : null}
                  </label>
                </div>
              );
            })}
          </div>
        </fieldset>
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

export const renderPauseSubscriptionPage = (view: PauseSubscriptionView): string =>
  renderDocument(<PauseSubscriptionPage view={view} />);

/** Resume a paused subscription now (billing starts again today). */
export interface ResumeSubscriptionView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  backUrl?: string | null;
  subscription: SubscriptionSummaryView;
  /** When a preset pause would end by itself. */
  resumesAt?: number | null;
}

export function ResumeSubscriptionPage(props: { view: ResumeSubscriptionView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const title = i.t('subscription.action.resume');
  return (
    <Layout chrome={view.page} i18n={i} title={title}>
      <BackLink href={view.backUrl} />
      <h1 class="page-title">{title}</h1>
      <SubscriptionSummary sub={view.subscription} />
      <p>
        {view.resumesAt
          ? i.t('subscription.pausedUntil', { date: i.date(view.resumesAt) })
          : i.t('subscription.paused')}
      </p>
      <p>{i.t('resume.body')}</p>
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

export const renderResumeSubscriptionPage = (view: ResumeSubscriptionView): string =>
  renderDocument(<ResumeSubscriptionPage view={view} />);
