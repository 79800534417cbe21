// Sample view models for the subscription action pages (cancel, retention, reasons, renew, pause, resume).
import {
  type PageChrome,
  renderCancelReasonPage,
  renderCancelSubscriptionPage,
  renderPauseSubscriptionPage,
  renderRenewSubscriptionPage,
  renderResumeSubscriptionPage,
  renderRetentionOfferPage,
  renderSubscriptionUnavailablePage,
  type SubscriptionSummaryView,
} from '../../src/portal/ui/index.ts';

const JAN_16 = Date.UTC(2027, 0, 16) / 1000;
const FEB_1 = Date.UTC(2027, 1, 1) / 1000;
const base = '/p/bps_sample/subscriptions/sub_sample';

const subscription: SubscriptionSummaryView = {
  productName: 'Pro plan',
  price: { amount: { amount: 3000, currency: 'usd' }, interval: 'month', intervalCount: 1 },
  quantity: 2,
};

/** The subscription action pages rendered from samples on the sample chrome, by name. */
export function renderSubscriptionSamples(page: PageChrome, csrfToken: string): Record<string, string> {
  const form = { page, csrfToken, subscription };
  return {
    cancel: renderCancelSubscriptionPage({
      ...form,
      action: `${base}/cancel`,
      keepUrl: '/p/bps_sample/',
      mode: 'immediately',
      endsAt: JAN_16,
      credit: { amount: 1548, currency: 'usd' },
    }),
    retention: renderRetentionOfferPage({
      ...form,
      action: `${base}/retention`,
      discount: { percentOff: 20, duration: 'repeating', months: 3 },
    }),
    'cancel-reason': renderCancelReasonPage({
      page,
      csrfToken,
      action: `${base}/cancel/reason`,
      canceled: { mode: 'at_period_end', endsAt: FEB_1 },
      choices: [
        { value: 'too_expensive' },
        { value: 'other' },
        { value: 'option:bfo_1', description: 'Moving' },
      ],
      errors: [{ field: 'reason', code: 'reason_invalid' }],
    }),
    renew: renderRenewSubscriptionPage({ ...form, action: `${base}/renew`, endsAt: FEB_1 }),
    pause: renderPauseSubscriptionPage({
      ...form,
      action: `${base}/pause`,
      choices: [
        { key: 'month-1', interval: 'month', count: 1, resumesAt: Date.UTC(2027, 1, 16) / 1000 },
        { key: 'indefinite', resumesAt: null },
      ],
    }),
    resume: renderResumeSubscriptionPage({ ...form, action: `${base}/resume`, resumesAt: FEB_1 }),
    unavailable: renderSubscriptionUnavailablePage({ page: { ...page, flow: true }, reason: 'ended' }),
  };
}
