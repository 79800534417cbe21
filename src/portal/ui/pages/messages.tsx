import type { PageChrome } from '../components/chrome.ts';
import { Layout } from '../components/layout.tsx';
import { Button, ButtonLink, errorText, Link, PostForm } from '../components/ui.tsx';
import { i18n, type MessageKey } from '../i18n/messages.ts';
import { renderDocument } from '../render.ts';

/**
 * An expired or unknown session. Shows nothing of the customer; `page.returnUrl` (when the
 * session named one) is the way out. `page.homeUrl` is ignored.
 */
export interface SessionExpiredView {
  page: PageChrome;
  /** The login page, when the configuration has one (`login_page.url`). */
  loginUrl?: string | null;
  /**
   * `after_expiration.customer_login` before its deadline: a form that emails the customer a code
   * opening a replacement session. `token`: the session URL's secret, the browser's proof when it
   * holds no cookie for the session yet.
   */
  recovery?: { action: string; csrfToken: string; token?: string | null } | null;
}

export function SessionExpiredPage(props: { view: SessionExpiredView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const chrome = { ...view.page, homeUrl: null };
  return (
    <Layout chrome={chrome} i18n={i} title={i.t('expired.title')}>
      <div class="message">
        <h1 class="page-title">{i.t('expired.title')}</h1>
        <p>{view.recovery ? i.t('expired.recover') : i.t('expired.body')}</p>
        {view.recovery ? (
          <PostForm action={view.recovery.action} csrfToken={view.recovery.csrfToken}>
            {view.recovery.token ? <input type="hidden" name="token" value={view.recovery.token} /> : null}
            <Button>{i.t('expired.sendCode')}</Button>
          </PostForm>
        ) : null}
        <p class="message__actions">
          {view.loginUrl ? (
            <ButtonLink href={view.loginUrl} kind="primary">
              {i.t('expired.login')}
            </ButtonLink>
          ) : null}
          {view.page.returnUrl ? (
            <ButtonLink
              href={view.page.returnUrl}
              kind={view.loginUrl || view.recovery ? 'secondary' : 'primary'}
            >
              {i.t('layout.returnTo', { business: view.page.business.name })}
            </ButtonLink>
          ) : null}
        </p>
      </div>
    </Layout>
  );
}

export const renderSessionExpiredPage = (view: SessionExpiredView): string =>
  renderDocument(<SessionExpiredPage view={view} />);

/** What a flow did, for the confirmation's heading. */
export type FlowKind =
  | 'subscription_cancel'
  | 'subscription_update'
  | 'subscription_update_confirm'
  | 'subscription_pause'
  | 'payment_method_update'
  | 'customer_update';

/** The `hosted_confirmation` page at the end of a flow. */
export interface FlowCompleteView {
  page: PageChrome;
  kind: FlowKind;
  /** `after_completion.hosted_confirmation.custom_message`, shown as plain text. */
  customMessage?: string | null;
  /** Lines summarising the change, already in the page's language (e.g. "Pro plan, $15.00 per month"). */
  summary?: string[];
  /** A heading other than the flow's own (a kept subscription after a retention offer). */
  titleKey?: MessageKey | null;
}

const FLOW_TITLES: Record<FlowKind, MessageKey> = {
  subscription_cancel: 'flowComplete.subscriptionCancel',
  subscription_update: 'flowComplete.subscriptionUpdate',
  subscription_update_confirm: 'flowComplete.subscriptionUpdate',
  subscription_pause: 'flowComplete.subscriptionPause',
  payment_method_update: 'flowComplete.paymentMethodUpdate',
  customer_update: 'flowComplete.customerUpdate',
};

function CheckIcon() {
  return (
    <svg
      class="message__icon"
      viewBox="0 0 24 24"
      width="40"
      height="40"
      aria-hidden="true"
      focusable="false"
    >
      <circle cx="12" cy="12" r="11" fill="currentColor" />
      <path d="M7 12.5l3.2 3.2L17 9" fill="none" stroke="#fff" stroke-width="2.2" stroke-linecap="round" />
    </svg>
  );
}

export function FlowCompletePage(props: { view: FlowCompleteView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const title = i.t(view.titleKey ?? FLOW_TITLES[view.kind]);
  return (
    <Layout chrome={{ ...view.page, flow: true }} i18n={i} title={title}>
      <div class="message message--success">
        <CheckIcon />
        <h1 class="page-title">{title}</h1>
        {view.summary && view.summary.length > 0 ? (
          <ul class="message__summary">
            {view.summary.map((line) => (
              <li key={line}>{line}</li>
            ))}
          </ul>
        ) : null}
        {view.customMessage ? <p class="message__custom">{view.customMessage}</p> : null}
        {view.page.returnUrl ? (
          <p class="message__actions">
            <ButtonLink href={view.page.returnUrl} kind="primary">
              {i.t('layout.returnTo', { business: view.page.business.name })}
            </ButtonLink>
          </p>
        ) : null}
      </div>
    </Layout>
  );
}

export const renderFlowCompletePage = (view: FlowCompleteView): string =>
  renderDocument(<FlowCompletePage view={view} />);

/** Something went wrong: a coded error in the page's language, and where to go next. */
export interface ErrorPageView {
  page: PageChrome;
  /** HTTP status, for the heading: 404 reads "Page not found". */
  status?: number;
  /** A code from the error catalogue (`errors.<code>`), or an already localized message. */
  code?: string | null;
  message?: string | null;
  /** A request id to quote to the business. */
  requestId?: string | null;
}

export function ErrorPage(props: { view: ErrorPageView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const title = view.status === 404 ? i.t('errorPage.notFound') : i.t('errorPage.title');
  const body =
    view.code || view.message
      ? errorText(i, { code: view.code, message: view.message })
      : i.t(view.status === 404 ? 'errorPage.notFoundBody' : 'errors.generic');
  return (
    <Layout chrome={view.page} i18n={i} title={title}>
      <div class="message">
        <h1 class="page-title">{title}</h1>
        <p>{body}</p>
        {view.requestId ? (
          <p class="muted">
            {i.t('errorPage.reference')} <span class="mono">{view.requestId}</span>
          </p>
        ) : null}
        <p class="message__actions">
          {view.page.homeUrl && !view.page.flow ? (
            <ButtonLink href={view.page.homeUrl} kind="primary">
              {i.t('errorPage.home')}
            </ButtonLink>
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

export const renderErrorPage = (view: ErrorPageView): string => renderDocument(<ErrorPage view={view} />);
