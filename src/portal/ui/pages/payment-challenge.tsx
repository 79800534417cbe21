import type { PageChrome } from '../components/chrome.ts';
import { Layout } from '../components/layout.tsx';
import { Notice } from '../components/ui.tsx';
import { i18n, type MessageKey } from '../i18n/messages.ts';
import { renderDocument } from '../render.ts';

/**
 * After a PaymentIntent's or SetupIntent's 3D Secure challenge, when the confirmation asked for no
 * `return_url` to go back to: what became of the payment (`paid`) or of the card (`saved`).
 */
export interface ChallengeResultView {
  page: PageChrome;
  outcome: 'paid' | 'saved' | 'authentication_failed' | 'declined';
}

const MESSAGES: Record<ChallengeResultView['outcome'], MessageKey> = {
  paid: 'notice.invoicePaid',
  saved: 'notice.cardAdded',
  authentication_failed: 'notice.authenticationFailed',
  declined: 'errors.card_declined',
};

export function ChallengeResultPage(props: { view: ChallengeResultView }) {
  const { view } = props;
  const i = i18n(view.page.locale, view.page.timeZone ?? undefined);
  return (
    <Layout chrome={view.page} i18n={i} title={i.t('threeDS.title')}>
      <h1 class="page-title">{i.t('threeDS.title')}</h1>
      <Notice tone={view.outcome === 'paid' || view.outcome === 'saved' ? 'success' : 'warning'}>
        {i.t(MESSAGES[view.outcome])}
      </Notice>
    </Layout>
  );
}

export const renderChallengeResultPage = (view: ChallengeResultView): string =>
  renderDocument(<ChallengeResultPage view={view} />);
