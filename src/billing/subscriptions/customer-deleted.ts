import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { selectRows } from '../../store/run.ts';
import { saveInvoice } from '../invoices/store.ts';
import { endSubscription } from './end.ts';
import { ctxForCustomer } from './time.ts';

/**
 * A deleted customer's subscriptions end at once, as on Stripe, and nothing of theirs is
 * collected any more: drafts stop advancing and open invoices are no longer retried (they stay
 * open, as Stripe leaves them).
 */
export async function endCustomerBilling(base: Ctx, owner: Stripe.Customer): Promise<void> {
  // Dated on the customer's clock, like everything else of its subscriptions.
  const ctx = await ctxForCustomer(base, owner);
  const customer = owner.id;
  const mode = ctx.scope.livemode ? 1 : 0;
  const subscriptions = ctx.db
    .selectFrom('subscriptions')
    .select('data')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', mode)
    .where('customer', '=', customer)
    .where('status', 'not in', ['canceled', 'incomplete_expired']);
  const invoices = ctx.db
    .selectFrom('invoices')
    .select('data')
    .where('account_id', '=', ctx.scope.accountId)
    .where('livemode', '=', mode)
    .where('customer', '=', customer)
    .where('next_action_at', 'is not', null);
  for (const row of await selectRows(ctx.db, subscriptions)) {
    const sub = JSON.parse(row.data) as Stripe.Subscription;
    await endSubscription(ctx, structuredClone(sub), sub, { reason: 'cancellation_requested' });
  }
  for (const row of await selectRows(ctx.db, invoices)) {
    const invoice = JSON.parse(row.data) as Stripe.Invoice;
    invoice.auto_advance = false;
    invoice.next_payment_attempt = null;
    await saveInvoice(ctx, invoice);
  }
}
