import { createHash } from 'node:crypto';
import type Stripe from 'stripe';
import type { Ctx } from '../../core/context.ts';
import { newId, randomBase62 } from '../../core/ids.ts';
import type { Db } from '../../store/database.ts';
import type { MailLinkFlow, PortalMailLinkRow } from '../../store/schema.ts';
import { modePrefix } from '../portal/urls.ts';

const DAY = 86_400;
/**
 * How long a mailed link opens the portal (Portico rule): 30 days on the customer's clock, longer
 * than the default retries of a failed payment (3, 7 and 21 days), so the first mail's link still
 * works before the last retry.
 */
export const MAIL_LINK_SECONDS = 30 * DAY;
/** Base62 characters of a link's secret: 32 carry about 190 bits. */
const TOKEN_LENGTH = 32;
const LINK_PREFIX = 'pml';

const hashToken = (token: string) => createHash('sha256').update(`portico-mail-link\0${token}`).digest('hex');

/**
 * A stable link for a customer mail: following it opens a new portal session for the customer
 * (portal sessions expire within minutes, a mail is read days later). Only the hash of the
 * secret is stored; `now` is on the customer's clock. Answers the URL.
 */
export async function issueMailLink(
  ctx: Ctx,
  customer: Stripe.Customer,
  flow: MailLinkFlow,
  now: number,
): Promise<string> {
  const token = `${modePrefix(ctx.scope.livemode)}${randomBase62(TOKEN_LENGTH)}`;
  await ctx.db
    .insertInto('portal_mail_links')
    .values({
      id: newId(LINK_PREFIX),
      account_id: ctx.scope.accountId,
      livemode: ctx.scope.livemode ? 1 : 0,
      customer: customer.id,
      flow,
      token_hash: hashToken(token),
      created: now,
      expires_at: now + MAIL_LINK_SECONDS,
    })
    .execute();
  return `${ctx.publicUrl}/p/link/${token}`;
}

/** The link a secret names, whatever its account; undefined for a secret nobody was sent. */
export function findMailLink(db: Db, token: string): Promise<PortalMailLinkRow | undefined> {
  if (token.length > 64) return Promise.resolve(undefined);
  return db
    .selectFrom('portal_mail_links')
    .selectAll()
    .where('token_hash', '=', hashToken(token))
    .executeTakeFirst();
}
