import type { UiLocale } from '../i18n/locale.ts';

/** The business a page speaks for (the account's, or `on_behalf_of`'s, business profile and branding). */
export interface BusinessView {
  /** Public business name; always shown. */
  name: string;
  /** `business_profile.headline`; when empty the page shows a default line naming the business. */
  headline?: string | null;
  /** Logo and icon as paths on the portal's own origin (nothing is loaded from elsewhere). */
  logoUrl?: string | null;
  iconUrl?: string | null;
  /** `branding.primary_color` / `secondary_color` (`#rrggbb`); defaults when unset. */
  primaryColor?: string | null;
  secondaryColor?: string | null;
  termsOfServiceUrl?: string | null;
  privacyPolicyUrl?: string | null;
}

/** What every page shares: language, security nonce, branding, mode and navigation. */
export interface PageChrome {
  locale: UiLocale;
  /** IANA time zone for dates (the customer's when known); UTC by default. */
  timeZone?: string | null;
  /** The CSP nonce of this response: carried by every `<script>`, `<style>` and style sheet link. */
  nonce: string;
  /** Test-mode pages carry a visible marker. */
  testMode: boolean;
  business: BusinessView;
  /** The session's `return_url`: "Return to {business}" shows only when it is set. */
  returnUrl?: string | null;
  /** Same-origin paths where the routes serve `assets/portal.css` and `assets/portal.js`. */
  assets: { css: string; js?: string | null };
  /**
   * The portal homepage. Absent on pages outside a portal session (the hosted invoice page) and
   * in a flow session (`flow_data`), which hides navigation to the rest of the portal.
   */
  homeUrl?: string | null;
  /** A session opened with `flow_data`: no navigation beyond the flow and the return link. */
  flow?: boolean;
}

/**
 * A refusal to show on a form. `field` is the input's `name` (`address[postal_code]`); without it
 * the error concerns the whole form. The text is `message` when given (already in the page's
 * language, e.g. a card decline), else the catalogue's `errors.<code>`, else a generic line.
 */
export interface FieldError {
  field?: string | null;
  code?: string | null;
  message?: string | null;
}

/** One kind of confirmation shown at the top of a page after a successful form (post/redirect/get). */
export type NoticeKind =
  | 'billing_info_saved'
  | 'card_added'
  | 'card_removed'
  | 'default_card_set'
  | 'invoice_paid'
  | 'authentication_failed'
  | 'subscription_canceled'
  | 'cancel_scheduled'
  | 'subscription_renewed'
  | 'subscription_paused'
  | 'subscription_resumed'
  | 'retention_accepted'
  | 'subscription_updated'
  | 'update_scheduled'
  | 'scheduled_update_canceled';
