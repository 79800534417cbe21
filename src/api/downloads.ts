import type { FastifyInstance, FastifyReply } from 'fastify';
import type Stripe from 'stripe';
import type { Clock } from '../core/clock.ts';
import { errors, fail } from '../core/errors.ts';
import { servedAs } from '../files/content.ts';
import { fileOfLink } from '../files/links.ts';
import { fileContent } from '../files/service.ts';
import type { Store } from '../store/database.ts';
import { checkPermission } from './auth.ts';

/**
 * The bytes of files, outside the JSON API: `GET /v1/files/:id/contents` (a file's `url`; needs
 * the secret key, or a restricted key with `files` read, as Stripe's does) and `GET /links/:token`
 * (a file link's `url`; public until the link expires).
 */

function sendFile(reply: FastifyReply, file: Stripe.File, content: Buffer): FastifyReply {
  const served = servedAs(file);
  return (
    reply
      .code(200)
      .type(served.mimeType)
      .header('Content-Disposition', `inline; filename="${served.filename}"`)
      // An uploaded SVG is a document: even sanitised, it may run nothing and load nothing.
      .header('Content-Security-Policy', "default-src 'none'; style-src 'unsafe-inline'; sandbox")
      .header('X-Content-Type-Options', 'nosniff')
      .header('Cache-Control', 'private, max-age=300')
      .send(content)
  );
}

export function registerFileDownloads(app: FastifyInstance, store: Store, clock: Clock): void {
  app.get('/v1/files/:id/contents', async (request, reply) => {
    const caller = request.caller!;
    checkPermission(caller, 'files', 'GET');
    const { id } = request.params as { id: string };
    const found = await fileContent(store.read, caller.scope, id);
    if (!found) throw errors.noSuchPath('file', id);
    return sendFile(reply, found.file, found.content);
  });

  app.get('/links/:token', async (request, reply) => {
    const { token } = request.params as { token: string };
    const link = await fileOfLink(store.read, token, clock.now());
    const found = link && (await fileContent(store.read, link.scope, link.fileId));
    if (!found) {
      throw fail('file_link_missing', {});
    }
    return sendFile(reply, found.file, found.content);
  });
}
