import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { errors } from '../../core/errors.ts';
import { type ListObject, listObject, pageQuery } from '../../core/list.ts';
import { type Filter, findObject, listObjects } from '../../store/objects.ts';
import { selectFirst } from '../../store/run.ts';
import type { ListInvoicePaymentParams } from './params.ts';

/*
 * Invoice payments live inside their invoice (`payments`); each is backed by one PaymentIntent,
 * whose id it shares after the prefix (`inpay_X` ↔ `pi_X`), and the PaymentIntent's row names the
 * invoice. So payments are found through the PaymentIntents of invoices.
 */
const intentOf = (paymentId: string) => `pi_${paymentId.slice('inpay_'.length)}`;

async function paymentFor(ctx: Ctx, intentId: string): Promise<Stripe.InvoicePayment | undefined> {
  const row = await selectFirst(
    ctx.db,
    ctx.db
      .selectFrom('payment_intents')
      .select('invoice')
      .where('id', '=', intentId)
      .where('account_id', '=', ctx.scope.accountId)
      .where('livemode', '=', ctx.scope.livemode ? 1 : 0),
  );
  if (!row?.invoice) return undefined;
  const invoice = await findObject<Stripe.Invoice>(ctx.db, 'invoices', ctx.scope, row.invoice);
  return invoice?.payments?.data.find((p) => p.payment.payment_intent === intentId);
}

export async function retrieveInvoicePayment(ctx: Ctx, id: string): Promise<Stripe.InvoicePayment> {
  const found = id.startsWith('inpay_') ? await paymentFor(ctx, intentOf(id)) : undefined;
  if (!found) throw errors.noSuchPath('invoice_payment', id);
  return found;
}

/**
 * `GET /v1/invoice_payments`: newest first, by `invoice`, `payment[payment_intent]`, `status` and
 * `created`. Pages walk the PaymentIntents of invoices, keeping those that match.
 */
export async function listInvoicePayments(
  ctx: Ctx,
  params: ListInvoicePaymentParams,
): Promise<ListObject<Stripe.InvoicePayment>> {
  const where: Record<string, Filter> = { invoice: params.invoice ?? { prefix: 'in_' } };
  const query = pageQuery(params);
  const url = '/v1/invoice_payments';
  for (const [name, cursor] of [
    ['starting_after', query.startingAfter],
    ['ending_before', query.endingBefore],
  ] as const) {
    if (cursor !== undefined && !(await paymentFor(ctx, intentOf(cursor)))) {
      throw errors.noSuchParam('invoice_payment', cursor, name);
    }
  }
  const wanted = params.payment?.payment_intent;
  const matches = (p: Stripe.InvoicePayment) =>
    (wanted === undefined || p.payment.payment_intent === wanted) &&
    (params.status === undefined || p.status === params.status);
  const found: Stripe.InvoicePayment[] = [];
  let startingAfter = query.startingAfter && intentOf(query.startingAfter);
  let endingBefore = query.endingBefore && intentOf(query.endingBefore);
  for (;;) {
    const page = await listObjects<Stripe.PaymentIntent>(
      ctx.db,
      'payment_intents',
      ctx.scope,
      { limit: 100, startingAfter, endingBefore, created: query.created },
      where,
    );
    const intents = endingBefore === undefined ? page.data : [...page.data].reverse();
    for (const intent of intents) {
      const payment = await paymentFor(ctx, intent.id);
      if (payment && matches(payment)) found.push(payment);
      if (found.length > query.limit) break;
    }
    if (found.length > query.limit || !page.hasMore || intents.length === 0) break;
    const last = intents[intents.length - 1]!.id;
    if (endingBefore === undefined) startingAfter = last;
    else endingBefore = last;
  }
  const hasMore = found.length > query.limit;
  const data = found.slice(0, query.limit);
  if (query.endingBefore !== undefined) data.reverse();
  return listObject({ data, hasMore }, url);
}
