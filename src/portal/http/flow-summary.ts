import { pauseEndOf } from '../../billing/subscriptions/pause-end.ts';
import { type FlowCompleteView, i18n } from '../ui/index.ts';
import type { PortalRequest } from './core.ts';
import { loadSubscription, readAsCustomer } from './subscription-pages.ts';

/**
 * What the confirmation at the end of a subscription flow says beside its heading: when a
 * cancellation takes effect, until when a pause lasts; after an accepted retention offer, that
 * heading instead of the cancellation's. Other flows have no summary.
 */
export async function flowCompleteSummary(
  p: PortalRequest,
  outcome: string | undefined,
): Promise<Pick<FlowCompleteView, 'summary' | 'titleKey'>> {
  const flow = p.portal.session.flow;
  const id = flow?.subscription_cancel?.subscription ?? flow?.subscription_pause?.subscription;
  if (!flow || !id) return {};
  const i = i18n(p.page.locale, p.page.timeZone ?? undefined);
  const { sub, summary, pauseEnd } = await readAsCustomer(p, async (ctx) => {
    const loaded = await loadSubscription(ctx, p, id);
    return { ...loaded, pauseEnd: await pauseEndOf(ctx, loaded.sub) };
  });
  const lines = [summary.productName];
  if (flow.type === 'subscription_cancel') {
    if (outcome === 'retention_accepted')
      return { summary: lines, titleKey: 'flowComplete.retentionAccepted' };
    const end = sub.items.data[0]?.current_period_end;
    if (sub.cancel_at_period_end && end) lines.push(i.t('subscription.cancelsOn', { date: i.date(end) }));
  }
  if (flow.type === 'subscription_pause' && sub.status === 'paused') {
    lines.push(
      pauseEnd ? i.t('subscription.pausedUntil', { date: i.date(pauseEnd) }) : i.t('subscription.paused'),
    );
  }
  return { summary: lines };
}
