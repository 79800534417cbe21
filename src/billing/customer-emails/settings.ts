import type { Ctx } from '../../core/context.ts';
import { type Infer, p } from '../../core/params.ts';

/**
 * An account's switches for the mails Portico sends its customers, after the settings Stripe
 * keeps in its Dashboard (there is no Stripe API for them): "Email finalized invoices to
 * customers", "Email customers about successful payments", "Send emails about failed payments"
 * and "Send a reminder email 7 days before a free trial ends".
 */
export interface CustomerEmailSettings {
  /** A `send_invoice` invoice is mailed when it is finalized. */
  finalized_invoices: boolean;
  /** A receipt is mailed when a payment pays an invoice. */
  successful_payments: boolean;
  /** A failed automatic payment is mailed, with a link to update the payment method. */
  failed_payments: boolean;
  /** A reminder is mailed 7 days before a trial ends. */
  trial_ending: boolean;
}

/**
 * As a new Stripe account starts: invoices sent for payment are emailed (that is what
 * `send_invoice` is for), the other mails wait until the account turns them on.
 */
export const DEFAULT_CUSTOMER_EMAILS: CustomerEmailSettings = {
  finalized_invoices: true,
  successful_payments: false,
  failed_payments: false,
  trial_ending: false,
};

const SWITCHES = Object.keys(DEFAULT_CUSTOMER_EMAILS) as (keyof CustomerEmailSettings)[];

/** `GET`/`POST /v1/portico/customer_emails` (Portico's own): the switches of the caller's account. */
export interface CustomerEmailSettingsObject extends CustomerEmailSettings {
  object: 'portico.customer_email_settings';
  account: string;
}

export const updateEmailSettingsParams = p.object({
  finalized_invoices: p.boolean(),
  successful_payments: p.boolean(),
  failed_payments: p.boolean(),
  trial_ending: p.boolean(),
  expand: p.array(p.string()),
});

export type UpdateEmailSettingsParams = Infer<typeof updateEmailSettingsParams>;

const MEMO_KEY = 'customer_email_settings';

/** The account's switches (the defaults until it changes one); read once per operation. */
export async function customerEmailSettings(ctx: Ctx): Promise<CustomerEmailSettings> {
  const known = ctx.memo?.get(MEMO_KEY) as CustomerEmailSettings | undefined;
  if (known) return known;
  const row = await ctx.db
    .selectFrom('customer_email_settings')
    .selectAll()
    .where('account_id', '=', ctx.scope.accountId)
    .executeTakeFirst();
  const settings: CustomerEmailSettings = row
    ? {
        finalized_invoices: row.finalized_invoices === 1,
        successful_payments: row.successful_payments === 1,
        failed_payments: row.failed_payments === 1,
        trial_ending: row.trial_ending === 1,
      }
    : { ...DEFAULT_CUSTOMER_EMAILS };
  ctx.memo?.set(MEMO_KEY, settings);
  return settings;
}

const asObject = (ctx: Ctx, settings: CustomerEmailSettings): CustomerEmailSettingsObject => ({
  object: 'portico.customer_email_settings',
  account: ctx.scope.accountId,
  ...settings,
});

export async function retrieveEmailSettings(ctx: Ctx): Promise<CustomerEmailSettingsObject> {
  return asObject(ctx, await customerEmailSettings(ctx));
}

/** Changes the switches given; the others keep their value. Test and live mode share them. */
export async function updateEmailSettings(
  ctx: Ctx,
  params: UpdateEmailSettingsParams,
): Promise<CustomerEmailSettingsObject> {
  const settings = { ...(await customerEmailSettings(ctx)) };
  for (const name of SWITCHES) {
    const value = params[name];
    if (value !== undefined) settings[name] = value;
  }
  const columns = {
    finalized_invoices: settings.finalized_invoices ? 1 : 0,
    successful_payments: settings.successful_payments ? 1 : 0,
    failed_payments: settings.failed_payments ? 1 : 0,
    trial_ending: settings.trial_ending ? 1 : 0,
    updated: ctx.clock.now(),
  };
  await ctx.db
    .insertInto('customer_email_settings')
    .values({ account_id: ctx.scope.accountId, ...columns })
    .onConflict((oc) => oc.column('account_id').doUpdateSet(columns))
    .execute();
  ctx.memo?.set(MEMO_KEY, settings);
  return asObject(ctx, settings);
}
