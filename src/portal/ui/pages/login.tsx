import type { FieldError, PageChrome } from '../components/chrome.ts';
import { Layout } from '../components/layout.tsx';
import { Button, ErrorSummary, Link, PostForm, TextField } from '../components/ui.tsx';
import { i18n } from '../i18n/messages.ts';
import { renderDocument } from '../render.ts';

/** The login page (`login_page.url`): one email field. */
export interface LoginView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  /** What was typed, or `?prefilled_email=`. */
  email?: string | null;
  errors?: FieldError[];
}

export function LoginPage(props: { view: LoginView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('login.title')}>
      <div class="message">
        <ErrorSummary errors={view.errors} labels={{ email: i.t('login.email') }} />
        <h1 class="page-title">{i.t('login.title')}</h1>
        <p>{i.t('login.intro', { business: view.page.business.name })}</p>
        <PostForm action={view.action} csrfToken={view.csrfToken} class="form">
          <TextField
            name="email"
            type="email"
            label={i.t('login.email')}
            value={view.email}
            autocomplete="email"
            spellcheck={false}
            errors={view.errors}
          />
          <div class="form__actions">
            <Button>{i.t('login.send')}</Button>
          </div>
        </PostForm>
      </div>
    </Layout>
  );
}

/**
 * The code form, for the login page and for recovering an expired session. `closed`: the code
 * is locked or expired, so only the way to a new code is offered.
 */
export interface CodeView {
  page: PageChrome;
  csrfToken: string;
  action: string;
  /** The address typed on the login page, or the masked address a recovery code went to. */
  sentTo: string;
  /** Recovery knows the address is the customer's; the login page never says. */
  recovery: boolean;
  minutes: number;
  errors?: FieldError[];
  closed?: boolean;
  /** A new code: the login page again (a link), or a form that sends another recovery code. */
  restart: { href: string } | { action: string };
}

export function CodePage(props: { view: CodeView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  const sent = view.recovery
    ? i.t('login.codeSentTo', { email: view.sentTo, minutes: view.minutes })
    : i.t('login.codeSent', { email: view.sentTo, business: view.page.business.name, minutes: view.minutes });
  const restart =
    'href' in view.restart ? (
      <Link href={view.restart.href} class={view.closed ? 'button button--primary' : 'action-link'}>
        {i.t('login.startOver')}
      </Link>
    ) : null;
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('login.codeTitle')}>
      <div class="message">
        <ErrorSummary errors={view.errors} labels={{ code: i.t('login.codeLabel') }} />
        <h1 class="page-title">{i.t('login.codeTitle')}</h1>
        {view.closed ? null : <p>{sent}</p>}
        {view.closed ? null : (
          <PostForm action={view.action} csrfToken={view.csrfToken} class="form">
            <TextField
              name="code"
              label={i.t('login.codeLabel')}
              hint={i.t('login.codeHint')}
              autocomplete="one-time-code"
              inputmode="numeric"
              spellcheck={false}
              maxlength={12}
              width="m"
              errors={view.errors}
            />
            <div class="form__actions">
              <Button>{i.t('login.signIn')}</Button>
              {restart}
            </div>
          </PostForm>
        )}
        {'action' in view.restart ? (
          <PostForm action={view.restart.action} csrfToken={view.csrfToken}>
            <Button kind={view.closed ? 'primary' : 'link'}>{i.t('login.newCode')}</Button>
          </PostForm>
        ) : view.closed ? (
          <p class="message__actions">{restart}</p>
        ) : null}
      </div>
    </Layout>
  );
}

export const renderLoginPage = (view: LoginView): string => renderDocument(<LoginPage view={view} />);
export const renderCodePage = (view: CodeView): string => renderDocument(<CodePage view={view} />);
