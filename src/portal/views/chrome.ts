import type Stripe from 'stripe';
import { activeFlow, type PortalScope } from '../../billing/portal/hosted/overview.ts';
import {
  type BusinessView,
  type PageChrome,
  portalAsset,
  resolveLocale,
  type UiLocale,
} from '../ui/index.ts';

/** Where a session's pages live: `/p/<session id>`. */
export const sessionBase = (sessionId: string) => `/p/${sessionId}`;

/** The static files' URLs, with a content hash so browsers may keep them. */
export function assetUrls(): PageChrome['assets'] {
  return {
    css: `/p/assets/portal.css?v=${portalAsset('portal.css').hash}`,
    js: `/p/assets/portal.js?v=${portalAsset('portal.js').hash}`,
  };
}

/** The business a page speaks for: its public name, branding and policy links. */
export function businessView(
  account: Stripe.Account,
  configuration: Stripe.BillingPortal.Configuration | null,
  brandBase: string,
): BusinessView {
  const branding = account.settings?.branding;
  const profile = configuration?.business_profile;
  return {
    name: account.business_profile?.name || account.settings?.dashboard?.display_name || account.id,
    headline: profile?.headline ?? null,
    logoUrl: branding?.logo ? `${brandBase}/brand/logo` : null,
    iconUrl: branding?.icon ? `${brandBase}/brand/icon` : null,
    primaryColor: branding?.primary_color ?? null,
    secondaryColor: branding?.secondary_color ?? null,
    termsOfServiceUrl: profile?.terms_of_service_url ?? account.business_profile?.url ?? null,
    privacyPolicyUrl: profile?.privacy_policy_url ?? null,
  };
}

/** The locale of a session's pages (portal contract §5). */
export function sessionLocale(portal: PortalScope, acceptLanguage: string | undefined): UiLocale {
  return resolveLocale({
    sessionLocale: portal.session.locale,
    preferredLocales: portal.customer.preferred_locales,
    acceptLanguage,
  });
}

/** What every page of a session shares. */
export function sessionChrome(portal: PortalScope, locale: UiLocale, nonce: string): PageChrome {
  const base = sessionBase(portal.session.id);
  const flow = activeFlow(portal.session, portal.flowCompleted) !== null;
  return {
    locale,
    nonce,
    testMode: !portal.session.livemode,
    business: businessView(portal.business, portal.configuration, base),
    returnUrl: portal.session.return_url,
    assets: assetUrls(),
    homeUrl: flow ? null : `${base}/`,
    flow,
  };
}
