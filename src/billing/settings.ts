/**
 * How the billing engine collects (Stripe's "retries" and "upcoming renewal" settings), set per
 * server from the environment (config.ts) and carried by every operation's context.
 */
export interface BillingSettings {
  /** Days after the first attempt at which a failed payment is tried again. */
  retryDays: number[];
  /** The subscription's status once the last retry has failed. */
  afterFinalRetry: 'cancel' | 'unpaid' | 'past_due';
  /** Days before an automatic renewal at which `invoice.upcoming` is sent (0: never). */
  upcomingDays: number;
}

/** Four attempts over three weeks, then the subscription is canceled; renewals announced 7 days ahead. */
export const DEFAULT_BILLING: BillingSettings = {
  retryDays: [3, 7, 21],
  afterFinalRetry: 'cancel',
  upcomingDays: 7,
};
