import type Stripe from 'stripe';
import { requireOnBehalfOf } from '../../../accounts/service.ts';
import type { Ctx } from '../../../core/context.ts';
import { errors, fail } from '../../../core/errors.ts';
import { newId, randomBase62 } from '../../../core/ids.ts';
import { emitEvent } from '../../../events/emit.ts';
import { requireCustomer } from '../../customers/service.ts';
import { customerNow } from '../../test-clocks/lookup.ts';
import { findDefaultConfiguration, requireConfiguration } from '../configurations/service.ts';
import { checkUrl, modePrefix } from '../urls.ts';
import { afterCompletion, buildFlow } from './flows.ts';
import { expiresAt, hashSessionToken, pruneAt } from './lifetime.ts';
import type { CreateSessionParams } from './params.ts';

type Session = Stripe.BillingPortal.Session;
type Configuration = Stripe.BillingPortal.Configuration;

export const SESSION_PREFIX = 'bps';
/** Base62 characters of a session URL's secret: 32 carry about 190 bits. */
const TOKEN_LENGTH = 32;

/** The configuration a session uses: the one named (active), else the mode's default. */
async function sessionConfiguration(ctx: Ctx, id: string | undefined): Promise<Configuration> {
  if (id !== undefined) {
    const config = await requireConfiguration(ctx, id, 'configuration');
    if (!config.active) {
      throw fail('portal_configuration_inactive', { configuration: id }, 'configuration');
    }
    return config;
  }
  const config = await findDefaultConfiguration(ctx);
  if (!config) {
    const mode = ctx.scope.livemode ? 'live' : 'test';
    throw fail('portal_default_configuration_missing', { mode }, 'configuration');
  }
  return config;
}

function afterExpiration(sent: CreateSessionParams['after_expiration'], now: number) {
  if (!sent) return null;
  const deadline = sent.customer_login?.expires_at ?? null;
  if (deadline !== null && deadline <= now) {
    throw fail('portal_recovery_expires_past', {}, 'after_expiration[customer_login][expires_at]');
  }
  return { customer_login: { expires_at: deadline }, type: 'customer_login' as const };
}

/**
 * Creates a portal session, checking in Stripe's order: the customer, the configuration, the
 * return URLs, the flow, then Portico's own rules (`after_expiration`, `on_behalf_of`). The URL's
 * secret is shown in this response only: the store, and the event, keep none of it.
 */
export async function createSession(ctx: Ctx, params: CreateSessionParams): Promise<Session> {
  if (params.customer_account !== undefined) {
    throw fail('customer_account_unsupported', {}, 'customer_account');
  }
  if (params.customer === undefined) throw errors.parameterMissing('customer');
  const customer = await requireCustomer(ctx, params.customer, 'customer');
  const config = await sessionConfiguration(ctx, params.configuration);
  if (params.return_url !== undefined) checkUrl(params.return_url, 'return_url');
  const data = params.flow_data;
  const completion = afterCompletion(data?.after_completion);
  const onBehalfOf = params.on_behalf_of ?? null;
  const flow = data
    ? await buildFlow(ctx, data, completion, config, { customer: customer.id, onBehalfOf })
    : null;
  // Sessions live on their customer's clock: a test clock's frozen time, if it has one.
  const now = await customerNow(ctx, customer);
  const recovery = afterExpiration(params.after_expiration, now);
  if (onBehalfOf !== null) await requireOnBehalfOf(ctx, onBehalfOf);

  const token = `${modePrefix(ctx.scope.livemode)}${randomBase62(TOKEN_LENGTH)}`;
  const base = `${ctx.publicUrl}/p/session/`;
  const session: Session = {
    id: newId(SESSION_PREFIX),
    object: 'billing_portal.session',
    after_expiration: recovery,
    configuration: config.id,
    created: now,
    customer: customer.id,
    customer_account: null,
    flow,
    livemode: ctx.scope.livemode,
    locale: params.locale ?? null,
    on_behalf_of: onBehalfOf,
    return_url: params.return_url ?? config.default_return_url ?? null,
    url: `${base}${token}`,
  };
  // What is stored and sent in events has the secret replaced: the URL is a bearer credential.
  const kept: Session = { ...session, url: `${base}${modePrefix(ctx.scope.livemode)}redacted` };
  const expires = expiresAt(now, null);
  await ctx.db
    .insertInto('billing_portal_sessions')
    .values({
      id: session.id,
      account_id: ctx.scope.accountId,
      livemode: ctx.scope.livemode ? 1 : 0,
      created: now,
      data: JSON.stringify(kept),
      token_hash: hashSessionToken(token),
      customer: customer.id,
      configuration: config.id,
      last_activity_at: null,
      expires_at: expires,
      prune_at: pruneAt(session, expires),
    })
    .execute();
  await emitEvent(ctx, 'billing_portal.session.created', kept);
  return session;
}
