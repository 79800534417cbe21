import type Stripe from 'stripe';
import type { SubscriptionSummaryView } from '../ui/index.ts';
import { priceView } from './home.ts';

const idOf = (value: string | { id: string } | null | undefined) =>
  typeof value === 'string' ? value : (value?.id ?? null);

/** The subscription an action page is about: its first item's product and price. */
export function subscriptionSummary(
  sub: Stripe.Subscription,
  products: Map<string, Stripe.Product>,
): SubscriptionSummaryView {
  const item = sub.items.data[0]!;
  const product = products.get(idOf(item.price.product) ?? '');
  return {
    productName: product?.name ?? item.price.nickname ?? item.price.id,
    price: priceView(item.price),
    quantity: item.quantity ?? null,
  };
}
