import type { ComponentChildren } from 'preact';
import type { I18n } from '../i18n/messages.ts';
import { themeCss, themeFor } from '../theme.ts';
import type { PageChrome } from './chrome.ts';
import { Badge, I18nContext, Link } from './ui.tsx';
import { safeHref, sameOriginSrc } from './urls.ts';

/** The first letter of a name, for the monogram shown when a business has neither logo nor icon. */
function initial(name: string): string {
  const first = [...name.trim()][0];
  return first ? first.toLocaleUpperCase() : '•';
}

function BusinessMark(props: { chrome: PageChrome }) {
  const { business } = props.chrome;
  const logo = sameOriginSrc(business.logoUrl);
  const icon = sameOriginSrc(business.iconUrl);
  if (logo) return <img class="business__logo" src={logo} alt={business.name} />;
  return (
    <span class="business__identity">
      {icon ? (
        <img class="business__icon" src={icon} alt="" />
      ) : (
        <span class="business__monogram" aria-hidden="true">
          {initial(business.name)}
        </span>
      )}
      <span class="business__name">{business.name}</span>
    </span>
  );
}

export interface LayoutProps {
  chrome: PageChrome;
  i18n: I18n;
  /** The page's own title (the document title adds the business name). */
  title: string;
  children: ComponentChildren;
}

/**
 * The page frame: a narrow business column (identity, headline, the way back to the business,
 * terms and privacy at its foot) beside the page's sections. On a phone the columns stack.
 */
export function Layout(props: LayoutProps) {
  const { chrome, i18n: i } = props;
  const { business } = chrome;
  const theme = themeFor(business.primaryColor, business.secondaryColor);
  const home = chrome.flow ? undefined : safeHref(chrome.homeUrl);
  const returnUrl = safeHref(chrome.returnUrl);
  const css = sameOriginSrc(chrome.assets.css);
  const js = sameOriginSrc(chrome.assets.js);
  const headline = business.headline?.trim() || i.t('layout.defaultHeadline', { business: business.name });
  return (
    <html lang={i.locale} dir="ltr">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <meta name="robots" content="noindex, nofollow" />
        <meta name="referrer" content="no-referrer" />
        <title>{`${props.title} – ${business.name}`}</title>
        {css ? <link rel="stylesheet" href={css} nonce={chrome.nonce} /> : null}
        {/* The theme is built by theme.ts from validated colours only (#rrggbb). */}
        <style nonce={chrome.nonce} dangerouslySetInnerHTML={{ __html: themeCss(theme) }} />
        {js ? <script src={js} nonce={chrome.nonce} defer /> : null}
      </head>
      <body class={chrome.flow ? 'is-flow' : undefined}>
        <a class="skip-link" href="#main">
          {i.t('layout.skipToContent')}
        </a>
        <div class="shell">
          <header class="side">
            <div class="side__inner">
              {home ? (
                <a class="business" href={home}>
                  <BusinessMark chrome={chrome} />
                </a>
              ) : (
                <div class="business">
                  <BusinessMark chrome={chrome} />
                </div>
              )}
              {chrome.testMode ? (
                <p class="side__mode">
                  <Badge tone="warning">{i.t('layout.testMode')}</Badge>
                </p>
              ) : null}
              <p class="side__headline">{headline}</p>
              {returnUrl ? (
                <a class="side__return" href={returnUrl}>
                  <span aria-hidden="true">← </span>
                  {i.t('layout.returnTo', { business: business.name })}
                </a>
              ) : null}
            </div>
          </header>
          <main id="main" class="content" tabindex={-1}>
            <I18nContext.Provider value={i}>{props.children}</I18nContext.Provider>
          </main>
          {safeHref(business.termsOfServiceUrl) || safeHref(business.privacyPolicyUrl) ? (
            <footer class="side-foot">
              <ul class="side-foot__links">
                {safeHref(business.termsOfServiceUrl) ? (
                  <li>
                    <Link href={business.termsOfServiceUrl} rel="noopener">
                      {i.t('layout.terms')}
                    </Link>
                  </li>
                ) : null}
                {safeHref(business.privacyPolicyUrl) ? (
                  <li>
                    <Link href={business.privacyPolicyUrl} rel="noopener">
                      {i.t('layout.privacy')}
                    </Link>
                  </li>
                ) : null}
              </ul>
            </footer>
          ) : null}
        </div>
      </body>
    </html>
  );
}
