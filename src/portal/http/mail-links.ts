import type { FastifyInstance } from 'fastify';
import { findMailLink } from '../../billing/customer-emails/links.ts';
import { openMailLink } from '../../billing/customer-emails/open-link.ts';
import { isRefusal } from '../../core/errors.ts';
import { actorFor } from '../../operations/context.ts';
import { renderErrorPage } from '../ui/index.ts';
import { bareChrome, type PortalDeps, sendNotFound, sendPage } from './core.ts';
import { newNonce } from './security.ts';

/**
 * The stable links of customer mails (failed payment, trial ending): each visit opens a new
 * portal session and goes to its URL, where the browser exchanges it for the session's cookie as
 * with any session URL. A link that is unknown, expired or whose customer is gone is "not found";
 * a refusal of the account's portal configuration (no default, the flow's feature off) is shown.
 */
export function registerMailLinkRoutes(app: FastifyInstance, deps: PortalDeps): void {
  app.get<{ Params: { token: string } }>('/p/link/:token', async (request, reply) => {
    const link = await findMailLink(deps.operations.store.read, request.params.token);
    if (!link) return sendNotFound(request, reply, deps);
    const actor = await actorFor(deps.operations.store.read, {
      accountId: link.account_id,
      livemode: link.livemode === 1,
    });
    let session: Awaited<ReturnType<typeof openMailLink>>;
    try {
      session = await deps.operations.write(actor, { id: request.id, idempotency_key: null }, (ctx) =>
        openMailLink(ctx, link),
      );
    } catch (error) {
      if (!isRefusal(error)) throw error;
      const nonce = newNonce();
      const html = renderErrorPage({
        page: bareChrome(request, nonce),
        status: 409,
        code: error.code,
        requestId: request.id,
      });
      return sendPage(reply, deps, nonce, html, 409);
    }
    if (!session) return sendNotFound(request, reply, deps);
    return reply
      .code(303)
      .header('Location', new URL(session.url).pathname)
      .header('Cache-Control', 'no-store')
      .header('Referrer-Policy', 'no-referrer')
      .send();
  });
}
