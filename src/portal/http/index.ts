import type { FastifyInstance } from 'fastify';
import { renderErrorPage } from '../ui/index.ts';
import { bareChrome, type PortalDeps, sendPage } from './core.ts';
import { registerPortalRoutes } from './routes.ts';
import { newNonce } from './security.ts';

export type { PortalDeps } from './core.ts';

/**
 * The hosted portal on the server: its pages answer HTML, and an unexpected failure on one is an
 * error page in the browser's language (the request id to quote), never the API's JSON.
 */
export function registerPortal(app: FastifyInstance, deps: PortalDeps): void {
  app.register(async (portal) => {
    portal.setErrorHandler((error, request, reply) => {
      request.log.error({ err: error }, 'portal page failed');
      const nonce = newNonce();
      const html = renderErrorPage({
        page: bareChrome(request, nonce),
        status: 500,
        code: 'internal',
        requestId: request.id,
      });
      return sendPage(reply, deps, nonce, html, 500);
    });
    registerPortalRoutes(portal, deps);
  });
}
