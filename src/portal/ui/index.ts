/**
 * The hosted portal's presentation: each page is a pure function from its view model (plain,
 * already-resolved data) to a complete HTML document. The routes build the view models.
 */
export { type PortalAsset, type PortalAssetName, portalAsset } from './assets.ts';
export type { AddressView } from './components/address.tsx';
export type {
  InvoiceStatus,
  PaymentMethodView,
  PriceView,
  SubscriptionStatus,
} from './components/billing.tsx';
export type { CardValues } from './components/card-fields.tsx';
export type { BusinessView, FieldError, NoticeKind, PageChrome } from './components/chrome.ts';
export { formatDate, formatMoney, type Money } from './i18n/format.ts';
export {
  isUiLocale,
  type LocaleInputs,
  matchLocale,
  parseAcceptLanguage,
  resolveLocale,
  UI_LOCALES,
  type UiLocale,
} from './i18n/locale.ts';
export { type I18n, i18n, isMessageKey, type MessageKey } from './i18n/messages.ts';
export { type BillingInfoView, renderBillingInfoPage } from './pages/billing-info.tsx';
export {
  type BillingSummaryView,
  type HomeView,
  type InvoiceRowView,
  type PayInvoiceView,
  type PaymentMethodRowView,
  renderHomePage,
  type SubscriptionActionView,
  type SubscriptionItemView,
  type SubscriptionView,
} from './pages/home.tsx';
export {
  type HostedInvoiceView,
  type InvoiceLineView,
  type InvoiceListView,
  type InvoicePayView,
  renderHostedInvoicePage,
  renderInvoiceListPage,
} from './pages/invoices.tsx';
export { type CodeView, type LoginView, renderCodePage, renderLoginPage } from './pages/login.tsx';
export {
  type ErrorPageView,
  type FlowCompleteView,
  type FlowKind,
  renderErrorPage,
  renderFlowCompletePage,
  renderSessionExpiredPage,
  type SessionExpiredView,
} from './pages/messages.tsx';
export { type ChallengeResultView, renderChallengeResultPage } from './pages/payment-challenge.tsx';
export {
  type AddCardView,
  type RemovePaymentMethodView,
  renderAddCardPage,
  renderRemovePaymentMethodPage,
  renderThreeDSecurePage,
  type ThreeDSecureView,
} from './pages/payment-methods.tsx';
export {
  type CancelReasonView,
  type CancelSubscriptionView,
  type RenewSubscriptionView,
  type RetentionOfferView,
  renderCancelReasonPage,
  renderCancelSubscriptionPage,
  renderRenewSubscriptionPage,
  renderRetentionOfferPage,
  renderSubscriptionUnavailablePage,
  type SubscriptionUnavailableView,
} from './pages/subscription-cancel.tsx';
export {
  type PauseChoiceView,
  type PauseSubscriptionView,
  type ResumeSubscriptionView,
  renderPauseSubscriptionPage,
  renderResumeSubscriptionPage,
} from './pages/subscription-pause.tsx';
export type { SubscriptionSummaryView } from './pages/subscription-summary.tsx';
export {
  type CancelScheduledView,
  type PlanChoiceView,
  type PlanLineView,
  type PreviewLineView,
  renderCancelScheduledPage,
  renderUpdateBlockedPage,
  renderUpdatePlanPage,
  renderUpdatePreviewPage,
  type UpdateBlockedView,
  type UpdateBlockReason,
  type UpdatePlanView,
  type UpdatePreviewView,
} from './pages/subscription-update.tsx';
export { type Theme, themeFor } from './theme.ts';
