import type { FastifyInstance } from 'fastify';
import { isRefusal } from '../../core/errors.ts';
import { renderErrorPage } from '../ui/index.ts';
import { bareChrome, type PortalDeps, sendNotFound, sendPage } from './core.ts';
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
      const nonce = newNonce();
      const page = bareChrome(request, nonce);
      // A refusal the domain raised (an object that is not this customer's, a state that allows
      // no change) is the customer's answer; anything else is a bug, logged with its stack.
      if (isRefusal(error)) {
        const missing = error.code === 'resource_missing' || error.code === 'related_resource_missing';
        const status = missing ? 404 : 400;
        const html = renderErrorPage({ page, status, code: error.code, requestId: request.id });
        return sendPage(reply, deps, nonce, html, status);
      }
      request.log.error({ err: error }, 'portal page failed');
      const html = renderErrorPage({ page, status: 500, code: 'internal', requestId: request.id });
      return sendPage(reply, deps, nonce, html, 500);
    });
    // A path segment that decodes to a NUL names nothing (and PostgreSQL refuses to compare it).
    portal.addHook('preHandler', async (request, reply) => {
      const params = Object.values((request.params ?? {}) as Record<string, string>);
      if (params.some((value) => value.includes('\0'))) return sendNotFound(request, reply, deps);
    });
    registerPortalRoutes(portal, deps);
  });
}
