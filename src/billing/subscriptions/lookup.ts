/** Finding a subscription by id, for other modules (portal flows, invoices). */
export { requireSubscription } from './store.ts';
