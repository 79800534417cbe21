import { type PriceView, priceText } from '../components/billing.tsx';
import { useI18n } from '../components/ui.tsx';

/** The subscription an action page is about: its lead product and price. */
export interface SubscriptionSummaryView {
  productName: string;
  price: PriceView;
  quantity?: number | null;
}

/** A card naming the subscription at the top of an action page. */
export function SubscriptionSummary(props: { sub: SubscriptionSummaryView }) {
  const i = useI18n();
  const { sub } = props;
  return (
    <div class="card sub action-summary">
      <p class="card__title">{sub.productName}</p>
      <p class="sub__price">
        {priceText(i, sub.price)}
        {sub.quantity && sub.quantity > 1 ? (
          <span class="sub__qty"> · {i.t('subscription.quantity', { count: sub.quantity })}</span>
        ) : null}
      </p>
    </div>
  );
}
