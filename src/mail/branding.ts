import type Stripe from 'stripe';
import { currentAccount } from '../accounts/service.ts';
import type { Ctx } from '../core/context.ts';
import type { MailBusiness } from './outbox.ts';

/** The name and colour a mail is branded with: the given account's, else the context's. */
export async function mailBranding(ctx: Ctx, account?: Stripe.Account): Promise<MailBusiness> {
  const business = account ?? (await currentAccount(ctx));
  return {
    business: business.business_profile?.name || business.settings?.dashboard?.display_name || business.id,
    primaryColor: business.settings?.branding?.primary_color ?? null,
  };
}
